// `imcnas simulate --model M.onnx --arch A.yaml [--images N] [--out DIR]`: a trained model
// on the simulated chip over the Fashion-MNIST test set (the README's main job).
#pragma once
#include <string>
#include <vector>

namespace imc::nas {
int simulate_main(const std::vector<std::string>& args);
}  // namespace imc::nas
