// The compiler's graph IR: a network after import and folding, as crossbar-mappable layers
// on binary/ternary/integer activations. Shared by the passes, the reference executor and the
// code generator. No ONNX, no SystemC.
//
// Layout: a feature map is channel-last, [h][w][c]; a vector is a map with h = w = 1. Every
// value's shape is per inference (no batch dimension).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/isa/dtype.h"

namespace imc::compiler {

struct Value {
  std::string name;                   // the ONNX tensor name
  isa::DType type = isa::DType::kB1;  // b1, t2, u8, i8 activations; i32 raw sums
  int64_t h = 1, w = 1, c = 0;
  int64_t elements() const { return h * w * c; }
};

// u8 and i8 maps enter a crossbar bit-serially: eight reads per MVM, one per bit plane.
inline bool bit_serial(isa::DType t) {
  return t == isa::DType::kU8 || t == isa::DType::kI8;
}

// One output channel's requantization: b1: acc >= t0 ? +1 : -1; t2: count(acc >= t0) +
// count(acc >= t1) - 1; `invert` negates the result (hw/models/thresholder.h).
struct Threshold {
  int32_t t0 = 0;
  int32_t t1 = 0;
  bool invert = false;
};

// out = requantize(((conv(in, W) << sum_shift) + residual_scale * residual)), where conv is a
// convolution with zero padding (a dense layer is a 1x1 convolution over a 1x1 map) and the
// residual scale is per output channel when residual_scales is set.
struct MatLayer {
  std::string name;  // the ONNX node(s) it came from, for messages and dumps
  int input = -1;    // Value ids
  int output = -1;
  int kh = 1, kw = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  // [out_c][kh][kw][in_c] values in {-1, 0, +1}: row r of the crossbar matrix is
  // (ky * kw + kx) * in_c + ci, column j is output channel j.
  std::vector<int8_t> weights;
  int sum_shift = 0;
  int residual = -1;  // Value id added into the sums before requantization, or -1
  int residual_scale = 1;
  std::vector<Threshold> thresholds;  // one per output channel; empty when output is i32
  // One residual scale per output channel (BatchNorm sigma/gamma differing between channels);
  // empty: residual_scale for every channel.
  std::vector<int> residual_scales;
  int residual_scale_of(int64_t channel) const {
    return residual_scales.empty() ? residual_scale : residual_scales[channel];
  }
};

// out[y][x][c] = max over the window of in (padding never wins).
struct PoolLayer {
  std::string name;
  int input = -1;
  int output = -1;
  int kh = 2, kw = 2;
  int stride_h = 2, stride_w = 2;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

struct Layer {
  enum class Kind { kMat, kPool } kind = Kind::kMat;
  MatLayer mat;
  PoolLayer pool;
  int input() const { return kind == Kind::kMat ? mat.input : pool.input; }
  int output() const { return kind == Kind::kMat ? mat.output : pool.output; }
  const std::string& name() const { return kind == Kind::kMat ? mat.name : pool.name; }
};

struct Graph {
  std::vector<Value> values;
  int input = -1;             // the network input
  std::vector<int> outputs;   // network outputs
  std::vector<Layer> layers;  // topological order
  // ONNX's view of the input and outputs, for checking tensors: NCHW (or N, features) with
  // the batch dimension first, as the .npy files hold them.
  std::vector<int64_t> onnx_input_shape;
  std::vector<std::vector<int64_t>> onnx_output_shapes;
};

// Readable text of the graph (`imcc --dump-after PASS`).
std::string dump(const Graph& g);

}  // namespace imc::compiler
