#include "tests/compiler/frontend/evaluators.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "compiler/frontend/requant.h"
#include "compiler/frontend/tensor.h"

namespace imc::compiler::testing {

namespace {

using frontend::ConstTensor;
using T = ConstTensor;

const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
std::vector<int64_t> ints(const onnx::NodeProto& n, const std::string& name,
                          std::vector<int64_t> d) {
  const auto* a = attr(n, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : d;
}
double flt(const onnx::NodeProto& n, const std::string& name, double d) {
  const auto* a = attr(n, name);
  return a ? a->f() : d;
}
int64_t int1(const onnx::NodeProto& n, const std::string& name, int64_t d) {
  const auto* a = attr(n, name);
  return a ? a->i() : d;
}

T conv(const onnx::NodeProto& n, const T& x, const T& w, const T* b) {
  const auto st = ints(n, "strides", {1, 1}), p = ints(n, "pads", {0, 0, 0, 0});
  const int64_t C = x.dims[1], H = x.dims[2], W = x.dims[3], M = w.dims[0], kh = w.dims[2],
                kw = w.dims[3];
  const int64_t oh = (H + p[0] + p[2] - kh) / st[0] + 1, ow = (W + p[1] + p[3] - kw) / st[1] + 1;
  T y{{1, M, oh, ow}, std::vector<double>(M * oh * ow)};
  for (int64_t m = 0; m < M; ++m)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        double s = b ? b->data[m] : 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              const int64_t iy = oy * st[0] - p[0] + ky, ix = ox * st[1] - p[1] + kx;
              if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
              s += x.data[(c * H + iy) * W + ix] * w.data[((m * C + c) * kh + ky) * kw + kx];
            }
        y.data[(m * oh + oy) * ow + ox] = s;
      }
  return y;
}

T maxpool(const onnx::NodeProto& n, const T& x) {
  const auto k = ints(n, "kernel_shape", {}), st = ints(n, "strides", {1, 1}),
             p = ints(n, "pads", {0, 0, 0, 0});
  const int64_t C = x.dims[1], H = x.dims[2], W = x.dims[3];
  const int64_t oh = (H + p[0] + p[2] - k[0]) / st[0] + 1,
                ow = (W + p[1] + p[3] - k[1]) / st[1] + 1;
  T y{{1, C, oh, ow}, std::vector<double>(C * oh * ow)};
  for (int64_t c = 0; c < C; ++c)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        double m = -std::numeric_limits<double>::infinity();
        for (int64_t ky = 0; ky < k[0]; ++ky)
          for (int64_t kx = 0; kx < k[1]; ++kx) {
            const int64_t iy = oy * st[0] - p[0] + ky, ix = ox * st[1] - p[1] + kx;
            if (iy >= 0 && ix >= 0 && iy < H && ix < W)
              m = std::max(m, x.data[(c * H + iy) * W + ix]);
          }
        y.data[(c * oh + oy) * ow + ox] = m;
      }
  return y;
}

T matmul(const T& a, const T& b, bool trans_b) {
  const int64_t K = a.dims[1], N = trans_b ? b.dims[0] : b.dims[1];
  T y{{1, N}, std::vector<double>(N)};
  for (int64_t o = 0; o < N; ++o)
    for (int64_t k = 0; k < K; ++k)
      y.data[o] += a.data[k] * b.data[trans_b ? o * K + k : k * N + o];
  return y;
}

// numpy broadcasting of b against a's shape (b no larger than a)
double at(const T& b, const std::vector<int64_t>& ad, int64_t flat) {
  std::vector<int64_t> idx(ad.size());
  for (int64_t i = static_cast<int64_t>(ad.size()) - 1; i >= 0; --i) {
    idx[i] = flat % ad[i];
    flat /= ad[i];
  }
  int64_t off = 0;
  const size_t lead = ad.size() - b.dims.size();
  for (size_t i = 0; i < b.dims.size(); ++i)
    off = off * b.dims[i] + (b.dims[i] == 1 ? 0 : idx[lead + i]);
  return b.data[off];
}

int64_t channel_of(const std::vector<int64_t>& d, int64_t i) {
  return d.size() == 4 ? (i / (d[2] * d[3])) % d[1] : i % d[1];
}

}  // namespace

std::vector<double> eval_onnx(const onnx::ModelProto& m, const std::vector<double>& input) {
  std::map<std::string, T> env;
  const auto& g = m.graph();
  for (const auto& t : g.initializer()) env[t.name()] = frontend::to_const(t);
  std::vector<int64_t> in_dims;
  for (const auto& d : g.input(0).type().tensor_type().shape().dim())
    in_dims.push_back(d.has_dim_value() ? d.dim_value() : 1);
  env[g.input(0).name()] = T{in_dims, input};
  for (const auto& n : g.node()) {
    const std::string& op = n.op_type();
    if (op == "Shape" || op == "Gather" || op == "Unsqueeze" || op == "Concat") {
      env[n.output(0)] = T{};  // shape arithmetic: Reshape below only flattens
      continue;
    }
    const T& x = env.at(n.input(0));
    T y = x;
    if (op == "Conv") {
      y = conv(n, x, env.at(n.input(1)), n.input_size() > 2 ? &env.at(n.input(2)) : nullptr);
    } else if (op == "Gemm" || op == "MatMul") {
      y = matmul(x, env.at(n.input(1)), int1(n, "transB", 0) != 0);
      if (n.input_size() > 2)
        for (int64_t i = 0; i < y.numel(); ++i) y.data[i] += at(env.at(n.input(2)), y.dims, i);
    } else if (op == "BatchNormalization") {
      const double eps = flt(n, "epsilon", 1e-5);
      const T &s = env.at(n.input(1)), &b = env.at(n.input(2)), &mu = env.at(n.input(3)),
              &v = env.at(n.input(4));
      for (int64_t i = 0; i < y.numel(); ++i) {
        const int64_t c = channel_of(y.dims, i);
        y.data[i] = s.data[c] * (x.data[i] - mu.data[c]) / std::sqrt(v.data[c] + eps) + b.data[c];
      }
    } else if (op == "Add") {
      const T& b = env.at(n.input(1));
      if (b.numel() > x.numel()) throw std::runtime_error("Add: broadcast a");
      for (int64_t i = 0; i < y.numel(); ++i) y.data[i] += at(b, y.dims, i);
    } else if (op == "Sign" || op == "BipolarQuant") {
      for (double& v : y.data) v = v >= 0 ? 1 : -1;
    } else if (op == "MultiThreshold") {
      const T& t = env.at(n.input(1));
      const double scale = flt(n, "out_scale", 1), bias = flt(n, "out_bias", 0);
      for (int64_t i = 0; i < y.numel(); ++i) {
        const int64_t c = t.dims[0] == 1 ? 0 : channel_of(y.dims, i);
        int count = 0;
        for (int64_t j = 0; j < t.dims[1]; ++j) count += x.data[i] >= t.data[c * t.dims[1] + j];
        y.data[i] = scale * count + bias;
      }
    } else if (op == "MaxPool") {
      y = maxpool(n, x);
    } else if (op == "Flatten" || op == "Reshape") {
      y.dims = {1, x.numel()};
    } else if (op != "Identity") {
      throw std::runtime_error("eval_onnx: op " + op);
    }
    env[n.output(0)] = y;
  }
  return env.at(g.output(0).name()).data;
}

std::vector<double> eval_ir(const Graph& g, const std::vector<double>& input) {
  std::vector<std::vector<int64_t>> vals(g.values.size());
  const Value& iv = g.values[g.input];
  vals[g.input].resize(iv.elements());
  for (int64_t c = 0; c < iv.c; ++c)
    for (int64_t y = 0; y < iv.h; ++y)
      for (int64_t x = 0; x < iv.w; ++x)
        vals[g.input][(y * iv.w + x) * iv.c + c] =
            static_cast<int64_t>(input[(c * iv.h + y) * iv.w + x]);
  for (const Layer& l : g.layers) {
    if (l.kind == Layer::Kind::kPool) {
      const PoolLayer& p = l.pool;
      const Value &in = g.values[p.input], &out = g.values[p.output];
      auto& o = vals[p.output];
      o.assign(out.elements(), std::numeric_limits<int64_t>::min());
      for (int64_t oy = 0; oy < out.h; ++oy)
        for (int64_t ox = 0; ox < out.w; ++ox)
          for (int64_t ky = 0; ky < p.kh; ++ky)
            for (int64_t kx = 0; kx < p.kw; ++kx) {
              const int64_t iy = oy * p.stride_h - p.pad_top + ky,
                            ix = ox * p.stride_w - p.pad_left + kx;
              if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
              for (int64_t c = 0; c < in.c; ++c) {
                int64_t& d = o[(oy * out.w + ox) * out.c + c];
                d = std::max(d, vals[p.input][(iy * in.w + ix) * in.c + c]);
              }
            }
      continue;
    }
    const MatLayer& m = l.mat;
    const Value &in = g.values[m.input], &out = g.values[m.output];
    auto& o = vals[m.output];
    o.assign(out.elements(), 0);
    for (int64_t oy = 0; oy < out.h; ++oy)
      for (int64_t ox = 0; ox < out.w; ++ox)
        for (int64_t j = 0; j < out.c; ++j) {
          int64_t s = 0;
          for (int64_t ky = 0; ky < m.kh; ++ky)
            for (int64_t kx = 0; kx < m.kw; ++kx) {
              const int64_t iy = oy * m.stride_h - m.pad_top + ky,
                            ix = ox * m.stride_w - m.pad_left + kx;
              if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
              for (int64_t c = 0; c < in.c; ++c)
                s += vals[m.input][(iy * in.w + ix) * in.c + c] *
                     m.weights[((j * m.kh + ky) * m.kw + kx) * in.c + c];
            }
          const int64_t idx = (oy * out.w + ox) * out.c + j;
          s <<= m.sum_shift;
          if (m.residual >= 0) s += m.residual_scale * vals[m.residual][idx];
          if (out.type == isa::DType::kB1) s = frontend::requantize_b1(s, m.thresholds[j]);
          if (out.type == isa::DType::kT2) s = frontend::requantize_t2(s, m.thresholds[j]);
          o[idx] = s;
        }
  }
  const Value& ov = g.values[g.outputs.at(0)];
  std::vector<double> r(ov.elements());
  for (int64_t c = 0; c < ov.c; ++c)
    for (int64_t y = 0; y < ov.h; ++y)
      for (int64_t x = 0; x < ov.w; ++x)
        r[(c * ov.h + y) * ov.w + x] =
            static_cast<double>(vals[g.outputs[0]][(y * ov.w + x) * ov.c + c]);
  return r;
}

}  // namespace imc::compiler::testing
