// One MatLayer on one inference: a zero-padded convolution, then shift, residual and
// requantization (compiler/ir.h). b1/t2 inputs: popcount dot products over packed pixel
// segments (XNOR/popcount when input and weights are both binary); u8/i8/i32 inputs: plain
// integer dot products over the gathered window.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"
#include "compiler/reference/packed.h"

namespace imc::compiler::reference {

class MatKernel {
 public:
  // Checks the layer against the graph (shapes, weight and threshold counts, types) and packs
  // its weights. Throws std::invalid_argument naming the layer.
  MatKernel(const Graph& g, const MatLayer& m);

  // `input` and `residual` (nullptr without one) are [h][w][c] maps of their Values.
  std::vector<int32_t> run(const std::vector<int32_t>& input,
                           const std::vector<int32_t>* residual) const;

 private:
  std::vector<int64_t> packed_sums(const std::vector<int32_t>& input) const;
  std::vector<int64_t> integer_sums(const std::vector<int32_t>& input) const;
  int64_t window_sum(const PackedMap& in, int64_t oy, int64_t ox, int oc) const;

  const MatLayer& m_;
  Value in_, out_;
  PackedWeights weights_;
};

}  // namespace imc::compiler::reference
