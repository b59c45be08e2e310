#include "compiler/backend/shifted_kernels.h"

#include <algorithm>
#include <cmath>

#include "hw/isa/program.h"

namespace imc::compiler {

namespace {

int kernel_width(const MatLayer& m, int positions) {
  return m.kw + (positions - 1) * m.stride_w;
}

// Crossbar cycles of one MVM of the view (docs/platform.md, "Cycles per command"), as
// place.cpp's group_cost counts them.
double mvm_cycles(const MatLayer& m, const Value& in, const Value& out, const arch::TileParams& t,
                  int positions) {
  const arch::CrossbarParams& x = t.crossbar;
  const int64_t rows = int64_t{m.kh} * kernel_width(m, positions) * in.c;
  const bool serial = in.type == isa::DType::kU8 || in.type == isa::DType::kI8;
  const double adc =
      x.readout == arch::Readout::kAdc
          ? std::ceil(double(positions * out.c) / x.adc.count) * x.adc.conversion_cycles
          : 0.0;
  return (serial ? 8.0 : 1.0) * std::ceil(double(rows) / x.rows_per_step) * (x.read_cycles + adc) +
         std::ceil(double(rows) * isa::bits_per_element(in.type) / t.input_buffer.width_bits) +
         t.accumulate_cycles;
}

bool fits(const MatLayer& m, const Value& in, const Value& out, const arch::TileParams& t,
          int positions) {
  const int kw = kernel_width(m, positions);
  const int64_t channels = positions * out.c;
  return kw <= isa::kMaxSegments && m.kh * kw <= isa::kMaxSegments &&
         int64_t{m.kh} * kw * in.c <= t.crossbar.rows && channels <= t.crossbar.cols &&
         channels <= std::min(t.accumulator_entries, t.threshold_entries);
}

}  // namespace

int positions_per_mvm(const MatLayer& m, const Value& in, const Value& out,
                      const arch::TileParams& t) {
  // Copies of other positions' columns hold 0, and P pixels must be one vector of P x out_c.
  if (m.residual >= 0 || t.crossbar.cells_per_weight < 2 || out.w < 2 ||
      (out.c * isa::bits_per_element(out.type)) % 8 != 0)
    return 1;
  int best = 1;
  double best_cost = mvm_cycles(m, in, out, t, 1);
  for (int p = 2; p <= out.w; ++p) {
    if (out.w % p != 0) continue;
    if (!fits(m, in, out, t, p)) break;  // wider windows only grow
    const double cost = mvm_cycles(m, in, out, t, p) / p;
    if (cost < best_cost) {
      best = p;
      best_cost = cost;
    }
  }
  return best;
}

MatLayer shifted_copies(const MatLayer& m, const Value& in, const Value& out, int positions) {
  MatLayer v = m;
  const int kw = kernel_width(m, positions);
  v.kw = kw;
  v.stride_w = positions * m.stride_w;
  const int64_t w = out.w / positions;
  v.pad_right = static_cast<int>((w - 1) * v.stride_w + kw - in.w - m.pad_left);
  const int64_t c = out.c, ci = in.c;
  v.weights.assign(static_cast<size_t>(positions * c * m.kh * kw * ci), 0);
  for (int q = 0; q < positions; ++q)
    for (int64_t o = 0; o < c; ++o)
      for (int ky = 0; ky < m.kh; ++ky)
        for (int kx = 0; kx < m.kw; ++kx)
          std::copy_n(
              m.weights.begin() + static_cast<ptrdiff_t>(((o * m.kh + ky) * m.kw + kx) * ci), ci,
              v.weights.begin() + static_cast<ptrdiff_t>(
                                      (((q * c + o) * m.kh + ky) * kw + kx + q * m.stride_w) * ci));
  v.thresholds.clear();
  for (int q = 0; q < positions; ++q)
    v.thresholds.insert(v.thresholds.end(), m.thresholds.begin(), m.thresholds.end());
  return v;
}

Value packed_pixels(const Value& out, int positions) {
  Value v = out;
  v.w = out.w / positions;
  v.c = out.c * positions;
  return v;
}

}  // namespace imc::compiler
