// `imcnas evaluate --job job.json [--result r.json]`: evaluates one candidate (what a worker
// runs in a child process) and writes its EvalResult as JSON.
#pragma once
#include <string>
#include <vector>

namespace imc::nas {
int evaluate_main(const std::vector<std::string>& args);
}  // namespace imc::nas
