// Constant weights -> the IR's [out_c][kh][kw][in_c] ternary layout.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/frontend/tensor.h"

namespace imc::compiler::frontend {

// Every value must be -1, 0 or +1 exactly; throws std::runtime_error naming the first
// offending value otherwise.
std::vector<int8_t> ternary_values(const ConstTensor& w);

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
