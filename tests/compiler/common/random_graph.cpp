#include "tests/compiler/common/random_graph.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace imc::compiler::testing {

namespace {

// The largest |element| of a value of this type.
int magnitude(isa::DType t) {
  switch (t) {
    case isa::DType::kU8:
      return 255;
    case isa::DType::kI8:
      return 128;
    case isa::DType::kI32:
      return 1000;
    default:
      return 1;
  }
}

int64_t out_size(int64_t in, int pad0, int pad1, int k, int stride) {
  return (in + pad0 + pad1 - k) / stride + 1;
}

// MatLayer and PoolLayer name their window fields alike.
template <typename L>
void set_window(const Window& k, L* l) {
  l->kh = k.kh;
  l->kw = k.kw;
  l->stride_h = k.stride_h;
  l->stride_w = k.stride_w;
  l->pad_top = k.pad_top;
  l->pad_left = k.pad_left;
  l->pad_bottom = k.pad_bottom;
  l->pad_right = k.pad_right;
}

std::vector<int64_t> onnx_shape(const Value& v, int rank) {
  if (rank == 0) rank = v.h * v.w == 1 ? 2 : 4;
  return rank == 2 ? std::vector<int64_t>{1, v.elements()} : std::vector<int64_t>{1, v.c, v.h, v.w};
}

}  // namespace

int GraphBuilder::add_value(isa::DType type, int64_t h, int64_t w, int64_t c) {
  g_.values.push_back({"v" + std::to_string(g_.values.size()), type, h, w, c});
  return static_cast<int>(g_.values.size()) - 1;
}

int GraphBuilder::add_output(const Value& src, const Window& k, isa::DType type, int64_t c) {
  return add_value(type, out_size(src.h, k.pad_top, k.pad_bottom, k.kh, k.stride_h),
                   out_size(src.w, k.pad_left, k.pad_right, k.kw, k.stride_w), c);
}

int GraphBuilder::input(isa::DType type, int64_t h, int64_t w, int64_t c, int onnx_rank) {
  g_.input = add_value(type, h, w, c);
  g_.onnx_input_shape = onnx_shape(g_.values[g_.input], onnx_rank);
  return g_.input;
}

int GraphBuilder::mat(int in, isa::DType out_type, int64_t out_c, const Window& k,
                      bool ternary_weights, int residual, int sum_shift, int residual_scale) {
  const Value src = g_.values[in];
  Layer l;
  l.kind = Layer::Kind::kMat;
  MatLayer& m = l.mat;
  m.name = "layer" + std::to_string(g_.layers.size());
  m.input = in;
  m.output = add_output(src, k, out_type, out_c);
  set_window(k, &m);
  m.sum_shift = sum_shift;
  m.residual = residual;
  m.residual_scale = residual_scale;
  for (int64_t i = 0; i < out_c * k.kh * k.kw * src.c; ++i) {
    const int r = uniform(0, 3);
    m.weights.push_back(static_cast<int8_t>(ternary_weights && r == 0 ? 0 : (r & 1 ? 1 : -1)));
  }
  if (out_type != isa::DType::kI32) {
    // Sums spread about sqrt(fan-in) times the input's range: thresholds in that band.
    const double spread =
        std::sqrt(double(k.kh * k.kw * src.c)) * magnitude(src.type) * (1 << sum_shift);
    const int s = std::max(1, static_cast<int>(spread));
    for (int64_t j = 0; j < out_c; ++j) {
      Threshold t;
      t.t0 = uniform(-s, s);
      t.t1 = t.t0 + uniform(0, s);
      t.invert = uniform(0, 1) == 1;
      m.thresholds.push_back(t);
    }
  }
  g_.layers.push_back(l);
  return m.output;
}

int GraphBuilder::conv(int in, const ConvSpec& s) {
  const Window k{s.k, s.k, s.stride, s.stride, s.pad, s.pad, s.pad, s.pad};
  return mat(in, s.out, s.out_c, k, s.ternary, s.residual, s.shift, s.residual_scale);
}

int GraphBuilder::dense(int in, int64_t out_c, isa::DType out_type, bool ternary_weights) {
  const Value& x = g_.values[in];
  if (x.h * x.w != 1) throw std::invalid_argument("dense needs a vector");
  return mat(in, out_type, out_c, Window{}, ternary_weights);
}

int GraphBuilder::pool(int in, const Window& k) {
  const Value src = g_.values[in];
  Layer l;
  l.kind = Layer::Kind::kPool;
  PoolLayer& p = l.pool;
  p.name = "pool" + std::to_string(g_.layers.size());
  p.input = in;
  p.output = add_output(src, k, src.type, src.c);
  set_window(k, &p);
  g_.layers.push_back(l);
  return p.output;
}

int GraphBuilder::pool(int in, int k, int stride, int pad) {
  return pool(in, Window{k, k, stride, stride, pad, pad, pad, pad});
}

void GraphBuilder::output(int id) {
  g_.outputs.push_back(id);
  g_.onnx_output_shapes.push_back(onnx_shape(g_.values[id], 0));
}

Window GraphBuilder::random_window(int max_kernel, int max_stride, int max_pad) {
  Window k;
  k.kh = uniform(1, max_kernel);
  k.kw = uniform(1, max_kernel);
  k.stride_h = uniform(1, max_stride);
  k.stride_w = uniform(1, max_stride);
  k.pad_top = uniform(0, max_pad);
  k.pad_left = uniform(0, max_pad);
  k.pad_bottom = uniform(0, max_pad);
  k.pad_right = uniform(0, max_pad);
  return k;
}

Tensor GraphBuilder::random_input(int64_t batch) {
  const Value& v = g_.values[g_.input];
  Tensor t;
  t.shape = g_.onnx_input_shape;
  t.shape[0] = batch;
  const int m = magnitude(v.type);
  const int lo = v.type == isa::DType::kU8 ? 0 : v.type == isa::DType::kI8 ? -128 : -m;
  for (int64_t i = 0; i < batch * v.elements(); ++i) {
    if (v.type == isa::DType::kB1) {
      t.values.push_back(uniform(0, 1) ? 1 : -1);
    } else {
      t.values.push_back(uniform(lo, v.type == isa::DType::kI8 ? 127 : m));
    }
  }
  return t;
}

}  // namespace imc::compiler::testing
