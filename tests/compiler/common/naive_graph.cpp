#include "tests/compiler/common/naive_graph.h"

#include <algorithm>
#include <climits>

namespace imc::compiler::testing {

namespace {

using Values = std::vector<std::vector<int32_t>>;

// b1: acc >= t0 ? +1 : -1; t2: count(acc >= t0) + count(acc >= t1) - 1; invert negates.
int32_t requantize(int64_t acc, const Threshold& t, isa::DType type) {
  int32_t q = -1;
  if (type == isa::DType::kB1) {
    q = acc >= t.t0 ? 1 : -1;
  } else {
    if (acc >= t.t0) ++q;
    if (acc >= t.t1) ++q;
  }
  return t.invert ? -q : q;
}

std::vector<int32_t> mat(const Graph& g, const MatLayer& m, const Values& vals) {
  const Value& in = g.values[m.input];
  const Value& out = g.values[m.output];
  const std::vector<int32_t>& x = vals[m.input];
  std::vector<int32_t> y(out.elements());
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t o = 0; o < out.c; ++o) {
        int64_t acc = 0;
        for (int ky = 0; ky < m.kh; ++ky)
          for (int kx = 0; kx < m.kw; ++kx) {
            const int64_t iy = oy * m.stride_h - m.pad_top + ky;
            const int64_t ix = ox * m.stride_w - m.pad_left + kx;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;  // zero padding
            for (int64_t ci = 0; ci < in.c; ++ci)
              acc += int64_t{m.weights[((o * m.kh + ky) * m.kw + kx) * in.c + ci]} *
                     x[(iy * in.w + ix) * in.c + ci];
          }
        acc *= int64_t{1} << m.sum_shift;
        const int64_t at = (oy * out.w + ox) * out.c + o;
        if (m.residual >= 0) {
          const int scale = m.residual_scales.empty() ? m.residual_scale : m.residual_scales[o];
          acc += int64_t{scale} * vals[m.residual][at];
        }
        y[at] = out.type == isa::DType::kI32 ? static_cast<int32_t>(acc)
                                             : requantize(acc, m.thresholds[o], out.type);
      }
  return y;
}

std::vector<int32_t> pool(const Graph& g, const PoolLayer& p, const std::vector<int32_t>& x) {
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  std::vector<int32_t> y(out.elements(), INT32_MIN);
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t c = 0; c < out.c; ++c) {
        int32_t& best = y[(oy * out.w + ox) * out.c + c];
        for (int ky = 0; ky < p.kh; ++ky)
          for (int kx = 0; kx < p.kw; ++kx) {
            const int64_t iy = oy * p.stride_h - p.pad_top + ky;
            const int64_t ix = ox * p.stride_w - p.pad_left + kx;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;  // padding never wins
            best = std::max(best, x[(iy * in.w + ix) * in.c + c]);
          }
      }
  return y;
}

}  // namespace

std::vector<std::vector<int32_t>> evaluate(const Graph& g, const std::vector<int32_t>& input) {
  Values vals(g.values.size());
  vals[g.input] = input;
  for (const Layer& l : g.layers)
    vals[l.output()] =
        l.kind == Layer::Kind::kMat ? mat(g, l.mat, vals) : pool(g, l.pool, vals[l.pool.input]);
  return vals;
}

std::vector<Tensor> naive_run(const Graph& g, const Tensor& input) {
  const Value& iv = g.values[g.input];
  const int64_t batch = input.shape.at(0);
  std::vector<Tensor> outs(g.outputs.size());
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    outs[o].shape = g.onnx_output_shapes[o];
    outs[o].shape[0] = batch;
    outs[o].values.resize(batch * g.values[g.outputs[o]].elements());
  }
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<int32_t> x(iv.elements());
    for (int64_t c = 0; c < iv.c; ++c)  // NCHW -> HWC
      for (int64_t y = 0; y < iv.h; ++y)
        for (int64_t xx = 0; xx < iv.w; ++xx)
          x[(y * iv.w + xx) * iv.c + c] = input.values[((b * iv.c + c) * iv.h + y) * iv.w + xx];
    const Values vals = evaluate(g, x);
    for (size_t o = 0; o < g.outputs.size(); ++o) {
      const Value& ov = g.values[g.outputs[o]];
      for (int64_t c = 0; c < ov.c; ++c)  // HWC -> NCHW
        for (int64_t y = 0; y < ov.h; ++y)
          for (int64_t xx = 0; xx < ov.w; ++xx)
            outs[o].values[((b * ov.c + c) * ov.h + y) * ov.w + xx] =
                vals[g.outputs[o]][(y * ov.w + xx) * ov.c + c];
    }
  }
  return outs;
}

}  // namespace imc::compiler::testing
