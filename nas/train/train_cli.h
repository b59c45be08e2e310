// `imcnas train --net N.yaml -o model.onnx`: trains one network and exports it as ONNX.
#pragma once
#include <string>
#include <vector>

namespace imc::nas {
int train_main(const std::vector<std::string>& args);
}  // namespace imc::nas
