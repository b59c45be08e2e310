#include "graph_builder.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace imc::test {

using compiler::Layer;

int GraphBuilder::value(isa::DType t, int64_t h, int64_t w, int64_t c) {
  g_.values.push_back({"v" + std::to_string(g_.values.size()), t, h, w, c});
  return static_cast<int>(g_.values.size()) - 1;
}

std::vector<int64_t> GraphBuilder::onnx_shape(int v) const {
  const compiler::Value& x = g_.values[v];
  if (x.h * x.w == 1) return {1, x.c};
  return {1, x.c, x.h, x.w};
}

int GraphBuilder::input(isa::DType t, int64_t h, int64_t w, int64_t c) {
  g_.input = value(t, h, w, c);
  g_.onnx_input_shape = onnx_shape(g_.input);
  return g_.input;
}

int GraphBuilder::conv(int in, const ConvSpec& s) {
  const compiler::Value x = g_.values[in];
  const int64_t oh = (x.h + 2 * s.pad - s.k) / s.stride + 1;
  const int64_t ow = (x.w + 2 * s.pad - s.k) / s.stride + 1;
  Layer l;
  compiler::MatLayer& m = l.mat;
  m.name = "layer" + std::to_string(counter_++);
  m.input = in;
  m.output = value(s.out, oh, ow, s.out_c);
  m.kh = m.kw = s.k;
  m.stride_h = m.stride_w = s.stride;
  m.pad_top = m.pad_left = m.pad_bottom = m.pad_right = s.pad;
  std::uniform_int_distribution<int> w(s.ternary ? -1 : 0, 1);
  const int64_t n = s.out_c * s.k * s.k * x.c;
  for (int64_t i = 0; i < n; ++i) {
    int v = w(rng_);
    m.weights.push_back(static_cast<int8_t>(s.ternary ? v : 2 * v - 1));
  }
  m.sum_shift = s.shift;
  m.residual = s.residual;
  m.residual_scale = s.residual_scale;
  if (s.out != isa::DType::kI32) {
    // Sums spread about sqrt(fan-in) (times the input range for u8): thresholds in that band.
    const double range = x.type == isa::DType::kU8 ? 128.0 : 1.0;
    const int spread = static_cast<int>(std::sqrt(double(s.k * s.k * x.c)) * range) << s.shift;
    std::uniform_int_distribution<int> t(-spread, spread);
    std::bernoulli_distribution inv(0.25);
    for (int o = 0; o < s.out_c; ++o) {
      int a = t(rng_), b = t(rng_);
      m.thresholds.push_back({std::min(a, b), std::max(a, b), inv(rng_)});
    }
  }
  g_.layers.push_back(l);
  return m.output;
}

int GraphBuilder::dense(int in, int out_c, isa::DType out, bool ternary) {
  compiler::Value& x = g_.values[in];
  if (x.h * x.w != 1) throw std::invalid_argument("dense needs a vector");
  ConvSpec s;
  s.out_c = out_c;
  s.k = 1;
  s.out = out;
  s.ternary = ternary;
  return conv(in, s);
}

int GraphBuilder::pool(int in, int k, int stride, int pad) {
  const compiler::Value x = g_.values[in];
  Layer l;
  l.kind = Layer::Kind::kPool;
  compiler::PoolLayer& p = l.pool;
  p.name = "pool" + std::to_string(counter_++);
  p.input = in;
  p.output = value(x.type, (x.h + 2 * pad - k) / stride + 1, (x.w + 2 * pad - k) / stride + 1, x.c);
  p.kh = p.kw = k;
  p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
  g_.layers.push_back(l);
  return p.output;
}

void GraphBuilder::output(int v) {
  g_.outputs.push_back(v);
  g_.onnx_output_shapes.push_back(onnx_shape(v));
}

std::vector<int32_t> GraphBuilder::random_input(int n) {
  const compiler::Value& x = g_.values[g_.input];
  std::vector<int32_t> v(static_cast<size_t>(n * x.elements()));
  std::uniform_int_distribution<int> u8(0, 255), i8(-128, 127), t(-1, 1), b(0, 1);
  for (int32_t& e : v) switch (x.type) {
      case isa::DType::kU8:
        e = u8(rng_);
        break;
      case isa::DType::kI8:
        e = i8(rng_);
        break;
      case isa::DType::kT2:
        e = t(rng_);
        break;
      default:
        e = 2 * b(rng_) - 1;
    }
  return v;
}

}  // namespace imc::test
