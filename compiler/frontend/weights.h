// Constant weights -> the IR's [out_c][kh][kw][in_c] ternary layout.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/frontend/tensor.h"

namespace imc::compiler::frontend {

// Weights of -1, 0 or +1 times one magnitude per output channel: +-1 weights, or the float
// weights PyTorch's exporter leaves when it fuses a BatchNorm into the Conv before it
// (w * gamma / sigma), or XNOR-Net-style scaled binary weights. Element i of w belongs to
// output channel (i / inner) % channels. `scale` is each channel's magnitude (> 0; 1 for a
// channel of zeros). Throws std::runtime_error naming the first offending value.
struct ScaledWeights {
  std::vector<int8_t> values;
  std::vector<double> scale;
};
ScaledWeights scaled_ternary_values(const ConstTensor& w, int64_t channels, int64_t inner);

// ONNX Conv weight [M][C][kh][kw] -> [M][kh][kw][C].
std::vector<int8_t> conv_weights(const std::vector<int8_t>& mckk, int64_t m, int64_t c, int64_t kh,
                                 int64_t kw);

// A dense weight [K][N] (row k = input feature, MatMul's B) over an input that ONNX
// flattened from an NCHW map (c, h, w) with K = c*h*w: the IR keeps the map channel-last and
// reads the dense layer as an h x w convolution, so row k = ci*h*w + y*w + x moves to
// [n][y][x][ci]. With h = w = 1 this is a transpose.
std::vector<int8_t> dense_weights(const std::vector<int8_t>& kn, int64_t n, int64_t h, int64_t w,
                                  int64_t c);

// [N][K] -> [K][N] (Gemm transB = 1).
std::vector<int8_t> transpose(const std::vector<int8_t>& rc, int64_t rows, int64_t cols);

}  // namespace imc::compiler::frontend
