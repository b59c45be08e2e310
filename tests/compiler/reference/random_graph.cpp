#include "random_graph.h"

#include <cmath>
#include <string>

namespace imc::compiler::testing {

namespace {

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

}  // namespace

int GraphBuilder::add_value(isa::DType type, int64_t h, int64_t w, int64_t c) {
  Value v;
  v.name = "v" + std::to_string(g_.values.size());
  v.type = type;
  v.h = h;
  v.w = w;
  v.c = c;
  g_.values.push_back(v);
  return static_cast<int>(g_.values.size()) - 1;
}

void GraphBuilder::shape_of(const Value& in, const Window& k, int64_t* h, int64_t* w) {
  *h = (in.h + k.pad_top + k.pad_bottom - k.kh) / k.stride_h + 1;
  *w = (in.w + k.pad_left + k.pad_right - k.kw) / k.stride_w + 1;
}

int GraphBuilder::input(isa::DType type, int64_t h, int64_t w, int64_t c, int onnx_rank) {
  g_.input = add_value(type, h, w, c);
  onnx_rank_ = onnx_rank;
  g_.onnx_input_shape =
      onnx_rank == 2 ? std::vector<int64_t>{1, h * w * c} : std::vector<int64_t>{1, c, h, w};
  return g_.input;
}

int GraphBuilder::mat(int in, isa::DType out_type, int64_t out_c, const Window& k,
                      bool ternary_weights, int residual, int sum_shift, int residual_scale) {
  const Value src = g_.values[in];
  int64_t h, w;
  shape_of(src, k, &h, &w);
  MatLayer m;
  m.name = "mat" + std::to_string(g_.layers.size());
  m.input = in;
  m.output = add_value(out_type, h, w, out_c);
  m.kh = k.kh;
  m.kw = k.kw;
  m.stride_h = k.stride_h;
  m.stride_w = k.stride_w;
  m.pad_top = k.pad_top;
  m.pad_left = k.pad_left;
  m.pad_bottom = k.pad_bottom;
  m.pad_right = k.pad_right;
  m.sum_shift = sum_shift;
  m.residual = residual;
  m.residual_scale = residual_scale;
  for (int64_t i = 0; i < out_c * k.kh * k.kw * src.c; ++i) {
    int r = uniform(0, 3);
    m.weights.push_back(ternary_weights && r == 0 ? 0 : (r & 1 ? 1 : -1));
  }
  if (out_type != isa::DType::kI32) {
    double spread = std::sqrt(double(k.kh * k.kw * src.c)) * magnitude(src.type) * (1 << sum_shift);
    int s = std::max(1, static_cast<int>(spread));
    for (int64_t j = 0; j < out_c; ++j) {
      Threshold t;
      t.t0 = uniform(-s, s);
      t.t1 = t.t0 + uniform(0, s);
      t.invert = uniform(0, 1) == 1;
      m.thresholds.push_back(t);
    }
  }
  Layer l;
  l.kind = Layer::Kind::kMat;
  l.mat = m;
  g_.layers.push_back(l);
  return m.output;
}

int GraphBuilder::pool(int in, const Window& k) {
  const Value src = g_.values[in];
  int64_t h, w;
  shape_of(src, k, &h, &w);
  PoolLayer p;
  p.name = "pool" + std::to_string(g_.layers.size());
  p.input = in;
  p.output = add_value(src.type, h, w, src.c);
  p.kh = k.kh;
  p.kw = k.kw;
  p.stride_h = k.stride_h;
  p.stride_w = k.stride_w;
  p.pad_top = k.pad_top;
  p.pad_left = k.pad_left;
  p.pad_bottom = k.pad_bottom;
  p.pad_right = k.pad_right;
  Layer l;
  l.kind = Layer::Kind::kPool;
  l.pool = p;
  g_.layers.push_back(l);
  return p.output;
}

void GraphBuilder::output(int id) {
  const Value& v = g_.values[id];
  g_.outputs.push_back(id);
  g_.onnx_output_shapes.push_back(v.h == 1 && v.w == 1 ? std::vector<int64_t>{1, v.c}
                                                       : std::vector<int64_t>{1, v.c, v.h, v.w});
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
  for (int64_t i = 0; i < batch * v.elements(); ++i) {
    switch (v.type) {
      case isa::DType::kB1:
        t.values.push_back(uniform(0, 1) ? 1 : -1);
        break;
      case isa::DType::kT2:
        t.values.push_back(uniform(-1, 1));
        break;
      case isa::DType::kU8:
        t.values.push_back(uniform(0, 255));
        break;
      case isa::DType::kI8:
        t.values.push_back(uniform(-128, 127));
        break;
      case isa::DType::kI32:
        t.values.push_back(uniform(-1000, 1000));
        break;
    }
  }
  return t;
}

}  // namespace imc::compiler::testing
