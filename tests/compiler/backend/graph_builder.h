// Hand-built random Graphs for backend tests: dense, conv, pool and residual layers with
// random ±1 (or ternary) weights and thresholds near the middle of each channel's range.
#pragma once

#include <random>

#include "compiler/ir.h"

namespace imc::test {

struct ConvSpec {
  int out_c = 8;
  int k = 3, stride = 1, pad = 0;
  isa::DType out = isa::DType::kB1;  // b1, t2 or i32 (raw sums)
  bool ternary = false;              // weights in {-1, 0, +1}
  int residual = -1, residual_scale = 1, shift = 0;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(unsigned seed) : rng_(seed) {}
  int input(isa::DType t, int64_t h, int64_t w, int64_t c);
  int conv(int in, const ConvSpec& s);
  int dense(int in, int out_c, isa::DType out, bool ternary = false);
  int pool(int in, int k, int stride, int pad = 0);
  void output(int v);
  compiler::Graph graph() const { return g_; }
  // Random input values of the network input for `n` inferences, channel-last.
  std::vector<int32_t> random_input(int n);

 private:
  int value(isa::DType t, int64_t h, int64_t w, int64_t c);
  std::vector<int64_t> onnx_shape(int v) const;
  compiler::Graph g_;
  std::mt19937 rng_;
  int counter_ = 0;
};

}  // namespace imc::test
