#include "compiler/reference/mat_layer.h"

#include <stdexcept>
#include <string>

#include "compiler/reference/requantize.h"

namespace imc::compiler::reference {

namespace {

[[noreturn]] void fail(const MatLayer& m, const std::string& what) {
  throw std::invalid_argument("reference: layer '" + m.name + "': " + what);
}

const Value& value_of(const Graph& g, const MatLayer& m, int id, const char* role) {
  if (id < 0 || id >= static_cast<int>(g.values.size()))
    fail(m, std::string(role) + " value id " + std::to_string(id) + " out of range");
  return g.values[id];
}

std::string dims(const Value& v) {
  return std::to_string(v.h) + "x" + std::to_string(v.w) + "x" + std::to_string(v.c);
}

void check(const Graph& g, const MatLayer& m) {
  const Value& in = value_of(g, m, m.input, "input");
  const Value& out = value_of(g, m, m.output, "output");
  if (m.kh < 1 || m.kw < 1 || m.stride_h < 1 || m.stride_w < 1)
    fail(m, "kernel and strides must be >= 1");
  if (m.pad_top < 0 || m.pad_left < 0 || m.pad_bottom < 0 || m.pad_right < 0)
    fail(m, "negative padding");
  int64_t span_h = in.h + m.pad_top + m.pad_bottom - m.kh;
  int64_t span_w = in.w + m.pad_left + m.pad_right - m.kw;
  if (span_h < 0 || span_w < 0) fail(m, "kernel larger than the padded input " + dims(in));
  if (out.h != span_h / m.stride_h + 1 || out.w != span_w / m.stride_w + 1)
    fail(m, "output " + dims(out) + " does not match input " + dims(in) + " and the kernel");
  if (static_cast<int64_t>(m.weights.size()) != out.c * m.kh * m.kw * in.c)
    fail(m, std::to_string(m.weights.size()) + " weights, expected out_c*kh*kw*in_c = " +
                std::to_string(out.c * m.kh * m.kw * in.c));
  for (int8_t w : m.weights)
    if (w < -1 || w > 1) fail(m, "weight " + std::to_string(w) + " not in {-1, 0, +1}");
  if (out.type == isa::DType::kI32) {
    if (!m.thresholds.empty()) fail(m, "an i32 output takes no thresholds");
  } else if (out.type == isa::DType::kB1 || out.type == isa::DType::kT2) {
    if (static_cast<int64_t>(m.thresholds.size()) != out.c)
      fail(m, std::to_string(m.thresholds.size()) + " thresholds for " + std::to_string(out.c) +
                  " output channels");
  } else {
    fail(m, std::string("output type ") + isa::to_string(out.type) + " (b1, t2 or i32 only)");
  }
  if (m.sum_shift < 0 || m.sum_shift > 31) fail(m, "sum_shift outside 0..31");
  if (m.residual >= 0) {
    const Value& r = value_of(g, m, m.residual, "residual");
    if (r.h != out.h || r.w != out.w || r.c != out.c)
      fail(m, "residual " + dims(r) + " does not match output " + dims(out));
  }
  if (!m.residual_scales.empty() && static_cast<int64_t>(m.residual_scales.size()) != out.c)
    fail(m, std::to_string(m.residual_scales.size()) + " residual scales for " +
                std::to_string(out.c) + " output channels");
}

}  // namespace

MatKernel::MatKernel(const Graph& g, const MatLayer& m)
    : m_((check(g, m), m)),
      in_(g.values[m.input]),
      out_(g.values[m.output]),
      weights_(m.weights, static_cast<int>(out_.c), m.kh * m.kw, in_.c) {}

int64_t MatKernel::window_sum(const PackedMap& in, int64_t oy, int64_t ox, int oc) const {
  const bool xnor = in.binary() && weights_.binary();
  int64_t acc = 0;
  for (int ky = 0; ky < m_.kh; ++ky) {
    int64_t iy = oy * m_.stride_h - m_.pad_top + ky;
    if (iy < 0 || iy >= in.h()) continue;  // padding contributes 0
    for (int kx = 0; kx < m_.kw; ++kx) {
      int64_t ix = ox * m_.stride_w - m_.pad_left + kx;
      if (ix < 0 || ix >= in.w()) continue;
      int seg = ky * m_.kw + kx;
      acc += xnor ? binary_dot(in.neg(iy, ix), weights_.neg(oc, seg), in.words(), in.c())
                  : ternary_dot(in.nz(iy, ix), in.neg(iy, ix), weights_.nz(oc, seg),
                                weights_.neg(oc, seg), in.words());
    }
  }
  return acc;
}

std::vector<int64_t> MatKernel::packed_sums(const std::vector<int32_t>& input) const {
  PackedMap in(input, in_.h, in_.w, in_.c, in_.type);
  std::vector<int64_t> sums(static_cast<size_t>(out_.elements()));
  for (int64_t oy = 0; oy < out_.h; ++oy)
    for (int64_t ox = 0; ox < out_.w; ++ox)
      for (int oc = 0; oc < out_.c; ++oc)
        sums[(oy * out_.w + ox) * out_.c + oc] = window_sum(in, oy, ox, oc);
  return sums;
}

std::vector<int64_t> MatKernel::integer_sums(const std::vector<int32_t>& input) const {
  const int64_t k = m_.kh * m_.kw * in_.c;
  std::vector<int64_t> sums(static_cast<size_t>(out_.elements()));
  std::vector<int32_t> window(static_cast<size_t>(k));
  for (int64_t oy = 0; oy < out_.h; ++oy) {
    for (int64_t ox = 0; ox < out_.w; ++ox) {
      for (int ky = 0; ky < m_.kh; ++ky) {  // gather the window, zeros for padding
        for (int kx = 0; kx < m_.kw; ++kx) {
          int64_t iy = oy * m_.stride_h - m_.pad_top + ky, ix = ox * m_.stride_w - m_.pad_left + kx;
          int32_t* dst = window.data() + (ky * m_.kw + kx) * in_.c;
          bool inside = iy >= 0 && iy < in_.h && ix >= 0 && ix < in_.w;
          for (int64_t ci = 0; ci < in_.c; ++ci)
            dst[ci] = inside ? input[(iy * in_.w + ix) * in_.c + ci] : 0;
        }
      }
      for (int oc = 0; oc < out_.c; ++oc) {
        const int8_t* w = m_.weights.data() + oc * k;
        int64_t acc = 0;
        for (int64_t i = 0; i < k; ++i) acc += int64_t{window[i]} * w[i];
        sums[(oy * out_.w + ox) * out_.c + oc] = acc;
      }
    }
  }
  return sums;
}

std::vector<int32_t> MatKernel::run(const std::vector<int32_t>& input,
                                    const std::vector<int32_t>* residual) const {
  const bool packed = in_.type == isa::DType::kB1 || in_.type == isa::DType::kT2;
  std::vector<int64_t> sums = packed ? packed_sums(input) : integer_sums(input);
  std::vector<int32_t> out(sums.size());
  const Threshold none;
  for (size_t i = 0; i < sums.size(); ++i) {
    int64_t acc = sums[i] * (int64_t{1} << m_.sum_shift);
    const size_t oc = i % static_cast<size_t>(out_.c);
    if (residual) acc += int64_t{m_.residual_scale_of(static_cast<int64_t>(oc))} * (*residual)[i];
    out[i] = requantize(acc, m_.thresholds.empty() ? none : m_.thresholds[oc], out_.type);
  }
  return out;
}

}  // namespace imc::compiler::reference
