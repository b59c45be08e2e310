#include "naive_graph.h"

#include <algorithm>
#include <climits>

namespace imc::test {

namespace {

using compiler::Graph;
using compiler::MatLayer;
using compiler::PoolLayer;
using compiler::Value;

int32_t requantize(int64_t a, const compiler::Threshold& t, isa::DType type) {
  int32_t y =
      type == isa::DType::kB1 ? (a >= t.t0 ? 1 : -1) : int32_t(a >= t.t0) + int32_t(a >= t.t1) - 1;
  return t.invert ? -y : y;
}

std::vector<int32_t> mat(const Graph& g, const MatLayer& m,
                         const std::vector<std::vector<int32_t>>& vals) {
  const Value& in = g.values[m.input];
  const Value& out = g.values[m.output];
  const std::vector<int32_t>& x = vals[m.input];
  std::vector<int32_t> y(out.elements());
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t o = 0; o < out.c; ++o) {
        int64_t a = 0;
        for (int ky = 0; ky < m.kh; ++ky)
          for (int kx = 0; kx < m.kw; ++kx) {
            const int64_t iy = oy * m.stride_h - m.pad_top + ky,
                          ix = ox * m.stride_w - m.pad_left + kx;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            for (int64_t ci = 0; ci < in.c; ++ci)
              a += int64_t{m.weights[((o * m.kh + ky) * m.kw + kx) * in.c + ci]} *
                   x[(iy * in.w + ix) * in.c + ci];
          }
        a <<= m.sum_shift;
        const int64_t at = (oy * out.w + ox) * out.c + o;
        if (m.residual >= 0) a += int64_t{m.residual_scale} * vals[m.residual][at];
        y[at] = out.type == isa::DType::kI32 ? static_cast<int32_t>(a)
                                             : requantize(a, m.thresholds[o], out.type);
      }
  return y;
}

std::vector<int32_t> pool(const Graph& g, const PoolLayer& p, const std::vector<int32_t>& x) {
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  std::vector<int32_t> y(out.elements());
  for (int64_t oy = 0; oy < out.h; ++oy)
    for (int64_t ox = 0; ox < out.w; ++ox)
      for (int64_t c = 0; c < out.c; ++c) {
        int32_t best = INT32_MIN;
        for (int ky = 0; ky < p.kh; ++ky)
          for (int kx = 0; kx < p.kw; ++kx) {
            const int64_t iy = oy * p.stride_h - p.pad_top + ky,
                          ix = ox * p.stride_w - p.pad_left + kx;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            best = std::max(best, x[(iy * in.w + ix) * in.c + c]);
          }
        y[(oy * out.w + ox) * out.c + c] = best;
      }
  return y;
}

}  // namespace

std::vector<std::vector<int32_t>> evaluate(const Graph& g, const std::vector<int32_t>& input) {
  std::vector<std::vector<int32_t>> vals(g.values.size());
  vals[g.input] = input;
  for (const compiler::Layer& l : g.layers)
    vals[l.output()] = l.kind == compiler::Layer::Kind::kMat ? mat(g, l.mat, vals)
                                                             : pool(g, l.pool, vals[l.pool.input]);
  return vals;
}

}  // namespace imc::test
