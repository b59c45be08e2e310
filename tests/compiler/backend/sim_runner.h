// Runs a compiled program on imcsim (the binary, as a user would) and reads back its output
// and cycle count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/isa/program.h"

namespace imc::test {

struct SimRun {
  int status = -1;
  std::string err;
  std::vector<int32_t> output;  // [N] + the .output shape, flattened
  int64_t cycles = 0;
  double energy_per_inference_pj = 0;
};

// `arch` relative to the repository root; `extra` more imcsim arguments (e.g. --set ...).
// `input` holds n inferences of the program's input, flattened.
SimRun simulate(const isa::Program& prog, const std::string& arch, int n,
                const std::vector<int32_t>& input, const std::string& extra = "");

}  // namespace imc::test
