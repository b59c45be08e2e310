// Hand-built random Graphs for the reference executor's tests.
#pragma once

#include <random>

#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

struct Window {
  int kh = 1, kw = 1, stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(unsigned seed) : rng_(seed) {}

  // The network input, [h][w][c]; `onnx_rank` 2 ([N, F]) needs h = w = 1.
  int input(isa::DType type, int64_t h, int64_t w, int64_t c, int onnx_rank = 4);
  // A MatLayer with random weights (ternary: some zeros) and random thresholds.
  int mat(int in, isa::DType out_type, int64_t out_c, const Window& k, bool ternary_weights,
          int residual = -1, int sum_shift = 0, int residual_scale = 1);
  int pool(int in, const Window& k);
  void output(int id);

  Tensor random_input(int64_t batch);
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Window random_window(int max_kernel, int max_stride, int max_pad);
  const Graph& graph() const { return g_; }
  Graph& graph() { return g_; }

 private:
  int add_value(isa::DType type, int64_t h, int64_t w, int64_t c);
  static void shape_of(const Value& in, const Window& k, int64_t* h, int64_t* w);

  std::mt19937 rng_;
  Graph g_;
  int onnx_rank_ = 4;
};

}  // namespace imc::compiler::testing
