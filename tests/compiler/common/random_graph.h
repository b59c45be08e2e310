// Hand-built random Graphs for the compiler's tests: conv, dense, pool and residual layers
// with random ±1 (or ternary) weights and thresholds inside each channel's range of sums.
// Shared by the reference-executor and backend tests.
#pragma once

#include <random>
#include <utility>

#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

struct Window {
  int kh = 1, kw = 1, stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

// A square conv window with the same padding on every side, for conv().
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
  // An existing graph (an imported ONNX model, say), to draw random inputs for.
  GraphBuilder(unsigned seed, Graph g) : rng_(seed), g_(std::move(g)) {}

  // The network input, [h][w][c]. `onnx_rank`: 2 ([N, F], needs h = w = 1), 4 ([N, C, H, W]),
  // or 0: 2 for a vector, else 4.
  int input(isa::DType type, int64_t h, int64_t w, int64_t c, int onnx_rank = 0);
  // A MatLayer (named "layer<i>") with random weights (ternary: some zeros) and thresholds.
  int mat(int in, isa::DType out_type, int64_t out_c, const Window& k, bool ternary_weights,
          int residual = -1, int sum_shift = 0, int residual_scale = 1);
  int conv(int in, const ConvSpec& s);
  int dense(int in, int64_t out_c, isa::DType out_type, bool ternary_weights = false);
  int pool(int in, const Window& k);  // named "pool<i>"
  int pool(int in, int k, int stride, int pad = 0);
  void output(int id);

  // `batch` inferences of random values of the input's type, in ONNX layout.
  Tensor random_input(int64_t batch);
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Window random_window(int max_kernel, int max_stride, int max_pad);
  const Graph& graph() const { return g_; }
  Graph& graph() { return g_; }

 private:
  int add_value(isa::DType type, int64_t h, int64_t w, int64_t c);
  // The output of window `k` over `src`, with c channels.
  int add_output(const Value& src, const Window& k, isa::DType type, int64_t c);

  std::mt19937 rng_;
  Graph g_;
};

}  // namespace imc::compiler::testing
