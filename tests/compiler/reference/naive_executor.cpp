#include "naive_executor.h"

#include <algorithm>
#include <climits>

namespace imc::compiler::testing {

namespace {

using Map = std::vector<int64_t>;  // [h][w][c]

Map mat(const Graph& g, const MatLayer& m, const std::vector<Map>& vals) {
  const Value& in = g.values[m.input];
  const Value& out = g.values[m.output];
  Map r(out.elements());
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t oc = 0; oc < out.c; ++oc) {
        int64_t sum = 0;
        for (int ky = 0; ky < m.kh; ++ky)
          for (int kx = 0; kx < m.kw; ++kx)
            for (int64_t ci = 0; ci < in.c; ++ci) {
              int64_t iy = oy * m.stride_h + ky - m.pad_top, ix = ox * m.stride_w + kx - m.pad_left;
              int64_t x = 0;
              if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w)
                x = vals[m.input][(iy * in.w + ix) * in.c + ci];
              sum += x * m.weights[((oc * m.kh + ky) * m.kw + kx) * in.c + ci];
            }
        int64_t i = (oy * out.w + ox) * out.c + oc;
        sum = sum * (1 << m.sum_shift);
        if (m.residual >= 0) sum += m.residual_scale * vals[m.residual][i];
        if (out.type == isa::DType::kI32) {
          r[i] = sum;
          continue;
        }
        const Threshold& t = m.thresholds[oc];
        int64_t q;
        if (out.type == isa::DType::kB1) {
          q = sum >= t.t0 ? 1 : -1;
        } else {
          q = -1;
          if (sum >= t.t0) q++;
          if (sum >= t.t1) q++;
        }
        r[i] = t.invert ? -q : q;
      }
  return r;
}

Map pool(const Graph& g, const PoolLayer& p, const std::vector<Map>& vals) {
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  Map r(out.elements(), INT64_MIN);
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t c = 0; c < out.c; ++c)
        for (int ky = 0; ky < p.kh; ++ky)
          for (int kx = 0; kx < p.kw; ++kx) {
            int64_t iy = oy * p.stride_h + ky - p.pad_top, ix = ox * p.stride_w + kx - p.pad_left;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            int64_t& dst = r[(oy * out.w + ox) * out.c + c];
            dst = std::max(dst, vals[p.input][(iy * in.w + ix) * in.c + c]);
          }
  return r;
}

}  // namespace

std::vector<Tensor> naive_run(const Graph& g, const Tensor& input) {
  const Value& v = g.values[g.input];
  int64_t batch = input.shape[0];
  std::vector<Tensor> outs(g.outputs.size());
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const Value& ov = g.values[g.outputs[o]];
    outs[o].shape = g.onnx_output_shapes[o];
    outs[o].shape[0] = batch;
    outs[o].values.resize(batch * ov.elements());
  }
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<Map> vals(g.values.size());
    vals[g.input].resize(v.elements());
    for (int64_t c = 0; c < v.c; ++c)  // NCHW -> HWC
      for (int64_t y = 0; y < v.h; ++y)
        for (int64_t x = 0; x < v.w; ++x)
          vals[g.input][(y * v.w + x) * v.c + c] =
              input.values[((b * v.c + c) * v.h + y) * v.w + x];
    for (const Layer& l : g.layers)
      vals[l.output()] = l.kind == Layer::Kind::kMat ? mat(g, l.mat, vals) : pool(g, l.pool, vals);
    for (size_t o = 0; o < g.outputs.size(); ++o) {
      const Value& ov = g.values[g.outputs[o]];
      for (int64_t c = 0; c < ov.c; ++c)  // HWC -> NCHW
        for (int64_t y = 0; y < ov.h; ++y)
          for (int64_t x = 0; x < ov.w; ++x)
            outs[o].values[((b * ov.c + c) * ov.h + y) * ov.w + x] =
                static_cast<int32_t>(vals[g.outputs[o]][(y * ov.w + x) * ov.c + c]);
    }
  }
  return outs;
}

}  // namespace imc::compiler::testing
