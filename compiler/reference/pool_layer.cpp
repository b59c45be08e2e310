#include "compiler/reference/pool_layer.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace imc::compiler::reference {

namespace {

[[noreturn]] void fail(const PoolLayer& p, const std::string& what) {
  throw std::invalid_argument("reference: pool '" + p.name + "': " + what);
}

}  // namespace

void check_pool_layer(const Graph& g, const PoolLayer& p) {
  const int n = static_cast<int>(g.values.size());
  if (p.input < 0 || p.input >= n || p.output < 0 || p.output >= n)
    fail(p, "value id out of range");
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  if (p.kh < 1 || p.kw < 1 || p.stride_h < 1 || p.stride_w < 1)
    fail(p, "window and strides must be >= 1");
  // Every window must hold a real element, so padding never wins.
  if (p.pad_top < 0 || p.pad_left < 0 || p.pad_bottom < 0 || p.pad_right < 0 || p.pad_top >= p.kh ||
      p.pad_bottom >= p.kh || p.pad_left >= p.kw || p.pad_right >= p.kw)
    fail(p, "padding must be in 0..window-1");
  int64_t span_h = in.h + p.pad_top + p.pad_bottom - p.kh;
  int64_t span_w = in.w + p.pad_left + p.pad_right - p.kw;
  if (span_h < 0 || span_w < 0) fail(p, "window larger than the padded input");
  if (out.h != span_h / p.stride_h + 1 || out.w != span_w / p.stride_w + 1 || out.c != in.c)
    fail(p, "output shape does not match the input and the window");
  if (out.type != in.type) fail(p, "output type differs from the input type");
}

std::vector<int32_t> run_pool_layer(const Graph& g, const PoolLayer& p,
                                    const std::vector<int32_t>& input) {
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  std::vector<int32_t> result(static_cast<size_t>(out.elements()),
                              std::numeric_limits<int32_t>::min());
  for (int64_t oy = 0; oy < out.h; ++oy) {
    for (int64_t ox = 0; ox < out.w; ++ox) {
      int32_t* dst = result.data() + (oy * out.w + ox) * out.c;
      for (int ky = 0; ky < p.kh; ++ky) {
        int64_t iy = oy * p.stride_h - p.pad_top + ky;
        if (iy < 0 || iy >= in.h) continue;
        for (int kx = 0; kx < p.kw; ++kx) {
          int64_t ix = ox * p.stride_w - p.pad_left + kx;
          if (ix < 0 || ix >= in.w) continue;
          const int32_t* src = input.data() + (iy * in.w + ix) * in.c;
          for (int64_t c = 0; c < in.c; ++c) dst[c] = std::max(dst[c], src[c]);
        }
      }
    }
  }
  return result;
}

}  // namespace imc::compiler::reference
