// The backend tests' one check: compile a graph for a chip, simulate it on imcsim and compare
// with the naive evaluator bit for bit (gtest expectations).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/backend/backend.h"
#include "hw/arch/load.h"
#include "sim_runner.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {

constexpr const char* kTile8x8 = "configs/tile8x8.yaml";
constexpr const char* kRram4x4 = "configs/rram4x4.yaml";

// A chip: an arch file (relative to the repository root) and --set overrides.
struct Target {
  std::string arch = kTile8x8;
  std::vector<arch::Override> sets;
  std::string extra() const;  // the overrides as imcsim options
  arch::ChipParams chip() const;
};

// rram4x4 with a 6-bit ADC: every partial sum of 16 rows is converted exactly.
Target rram_exact();

// Compiles b's graph for `t`, checks the program statically, simulates `n` inferences and
// expects the naive evaluator's outputs bit for bit (gtest expectations); returns cycles.
// Unless `t` repeats MVMs already, the same again with `tile.sequencer.mvm_repeat: strided`
// (imcc's MVM runs).
// `shifted_kernels`: BackendOptions::shifted_kernels.
int64_t check(compiler::testing::GraphBuilder& b, compiler::Schedule s, const Target& t = {},
              int n = 3,
              compiler::ShiftedKernels shifted_kernels = compiler::ShiftedKernels::kSerial);
// The same with every backend option given (dumps and parts ignored).
int64_t check_with(compiler::testing::GraphBuilder& b, const compiler::BackendOptions& o,
                   const Target& t = {}, int n = 3);

// The plan after backend pass `pass` (imcc --dump-after) for b's graph on `t`.
std::string dumped(const compiler::testing::GraphBuilder& b, const char* pass,
                   compiler::Schedule s = compiler::Schedule::kPipelined, const Target& t = {},
                   compiler::ShiftedKernels shifted_kernels = compiler::ShiftedKernels::kSerial);
bool has(const std::string& text, const std::string& what);  // text contains what

}  // namespace imc::test
