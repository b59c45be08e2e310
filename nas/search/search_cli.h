// The search-side subcommands of imcnas. Each parses its own options; returns the exit status.
#pragma once
#include <string>
#include <vector>

namespace imc::nas {
// self_path: argv[0], to start `imcnas evaluate` children (resolved through /proc/self/exe).
int search_main(const std::vector<std::string>& args, const char* self_path);
int results_main(const std::vector<std::string>& args);
int pareto_main(const std::vector<std::string>& args);
int report_main(const std::vector<std::string>& args);
}  // namespace imc::nas
