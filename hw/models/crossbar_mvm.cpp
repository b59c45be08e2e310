// CrossbarArray reads: column sums by word-wide AND/XOR/popcount, the readout of each read
// step, and what one MVM costs. Four paths, fastest first:
//   binary   b1 input over a contiguous row range, no zero weight there, exact readout:
//            sum = n - 2 popcount(neg_w ^ neg_x), one popcount per word;
//   exact    any input, exact readout: the whole column in one pass per plane;
//   stepped  ADC that can alter a step sum: quantise each row group's sum separately;
//   analog   device variation: per-cell conductances summed as doubles (slow, rare).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "hw/models/bitops.h"
#include "hw/models/crossbar_array.h"

namespace imc::models {
namespace {

using bits::popcount;
using bits::word_mask;

// Sums are added as uint32 so that wrap-around is defined; `mul` = 2^shift replaces the
// left shift, which is undefined for negative values before C++20.
uint32_t shift_multiplier(int shift) {
  return shift < 0 ? 1u : shift >= 32 ? 0u : uint32_t{1} << shift;
}

inline void add_to(int32_t& o, int64_t v, uint32_t mul) {
  o = static_cast<int32_t>(static_cast<uint32_t>(o) + static_cast<uint32_t>(v) * mul);
}

int32_t plane_weight(const InputVector& in, int p) {
  return in.signed_msb && p == 7 ? -128 : int32_t{1} << p;
}

// Binary kernel with the word count fixed at compile time: the loop unrolls and only the
// first and last words are masked to [row_lo, row_hi) (the words between lie wholly inside),
// so a column costs NW loads, XORs and popcounts plus two ANDs.
template <int NW>
void binary_fixed(const uint64_t* w, size_t stride, int ncols, const uint64_t* xneg,
                  const uint64_t* xnz, int32_t n, uint32_t mul, bool acc, int32_t* out) {
  uint64_t xn[NW];
  for (int i = 0; i < NW; ++i) xn[i] = xneg[i];
  const uint64_t first = xnz[0], last = xnz[NW - 1];
  for (int j = 0; j < ncols; ++j, w += stride) {
    int d = 0;
#pragma GCC unroll 16
    for (int i = 0; i < NW; ++i) {
      uint64_t v = w[i] ^ xn[i];
      if (i == 0) v &= first;
      if (i == NW - 1) v &= last;
      d += popcount(v);
    }
    const uint32_t v = static_cast<uint32_t>(n - 2 * d) * mul;
    out[j] = static_cast<int32_t>(acc ? static_cast<uint32_t>(out[j]) + v : v);
  }
}

void binary_any(const uint64_t* w, size_t stride, int ncols, const uint64_t* xneg,
                const uint64_t* xnz, int nw, int32_t n, uint32_t mul, bool acc, int32_t* out) {
  for (int j = 0; j < ncols; ++j, w += stride) {
    int d = 0;
    for (int i = 0; i < nw; ++i) d += popcount((w[i] ^ xneg[i]) & xnz[i]);
    const uint32_t v = static_cast<uint32_t>(n - 2 * d) * mul;
    out[j] = static_cast<int32_t>(acc ? static_cast<uint32_t>(out[j]) + v : v);
  }
}

// Ternary column sum over nw words: products are nonzero where both operands are
// (m = nz_w & nz_x) and negative where exactly one sign bit is set.
inline int ternary_sum(const uint64_t* wz, const uint64_t* wn, const uint64_t* xz,
                       const uint64_t* xn, int nw) {
  int a = 0, b = 0;
  for (int i = 0; i < nw; ++i) {
    const uint64_t m = wz[i] & xz[i];
    a += popcount(m);
    b += popcount(m & (wn[i] ^ xn[i]));
  }
  return a - 2 * b;
}

// The same over the rows of one read step: words [0, nw) of the step, the first and last
// masked to the step's rows.
inline int ternary_step_sum(const uint64_t* wz, const uint64_t* wn, const uint64_t* xz,
                            const uint64_t* xn, int nw, uint64_t first, uint64_t last) {
  auto word = [&](int i, uint64_t mask) {
    const uint64_t m = wz[i] & xz[i] & mask;
    return popcount(m) - 2 * popcount(m & (wn[i] ^ xn[i]));
  };
  if (nw == 1) return word(0, first & last);
  int s = word(0, first) + word(nw - 1, last);
  for (int i = 1; i < nw - 1; ++i) s += word(i, ~uint64_t{0});
  return s;
}

}  // namespace

int CrossbarArray::groups(const InputVector& in) const {
  if (in.row_hi <= in.row_lo) return 1;  // an empty input still takes one read step
  return (in.row_hi - 1) / step_rows_ - in.row_lo / step_rows_ + 1;
}

int64_t CrossbarArray::mvm_cycles(const InputVector& in, int ncols) const {
  const int64_t steps = static_cast<int64_t>(std::max(in.planes, 1)) * groups(in);
  int64_t per_step = p_.read_cycles;
  if (p_.readout == arch::Readout::kAdc && ncols > 0) {
    // The columns share adc.count converters round-robin.
    const int64_t adcs = std::max(p_.adc.count, 1);
    per_step += (ncols + adcs - 1) / adcs * p_.adc.conversion_cycles;
  }
  return steps * per_step;
}

void CrossbarArray::mvm(const InputVector& in, int col0, int ncols, int shift, bool accumulate,
                        int32_t* out, MvmCounts& counts) const {
  if (ncols < 0 || col0 < 0 || col0 + ncols > p_.cols) {
    throw std::out_of_range("CrossbarArray::mvm: columns outside the crossbar");
  }
  if (in.planes > 0 && (in.words != words_ || in.row_lo < 0 || in.row_hi > p_.rows)) {
    throw std::invalid_argument("CrossbarArray::mvm: input gathered for another row count");
  }
  const int64_t planes = std::max(in.planes, 1);
  const int64_t steps = planes * groups(in);
  const int64_t wordlines = static_cast<int64_t>(in.driven) * planes;
  counts.steps += steps;
  counts.wordlines += wordlines;
  counts.cells += wordlines * ncols * (p_.cells_per_weight == 1 ? 1 : 2);
  if (p_.readout == arch::Readout::kAdc) {
    counts.conversions += steps * ncols;
  } else {
    counts.popcounts += steps * ncols;
  }
  if (ncols == 0) return;

  if (g_pos_.empty() && exact_ && in.binary && in.planes == 1 &&
      zero_free(in.row_lo, in.row_hi, col0, ncols)) {
    mvm_binary(in, col0, ncols, shift, accumulate, out);
    return;
  }
  if (!accumulate) std::fill(out, out + ncols, 0);
  if (!g_pos_.empty()) {
    mvm_analog(in, col0, ncols, shift, out);
  } else if (exact_) {
    mvm_exact(in, col0, ncols, shift, out);
  } else {
    mvm_stepped(in, col0, ncols, shift, out);
  }
}

void CrossbarArray::mvm_binary(const InputVector& in, int col0, int ncols, int shift,
                               bool accumulate, int32_t* out) const {
  const uint32_t mul = shift_multiplier(shift);
  const int wlo = in.row_lo / 64;
  const int nw = in.row_hi > in.row_lo ? (in.row_hi + 63) / 64 - wlo : 0;
  const int32_t n = in.row_hi - in.row_lo;
  const uint64_t* w = w_neg_.data() + static_cast<size_t>(col0) * words_ + wlo;
  const uint64_t* xn = in.neg.data() + wlo;
  const uint64_t* xz = in.nz.data() + wlo;  // exactly the rows [row_lo, row_hi)
  const size_t s = words_;
  switch (nw) {
    case 1:
      return binary_fixed<1>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 2:
      return binary_fixed<2>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 3:
      return binary_fixed<3>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 4:
      return binary_fixed<4>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 6:
      return binary_fixed<6>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 8:
      return binary_fixed<8>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    case 16:
      return binary_fixed<16>(w, s, ncols, xn, xz, n, mul, accumulate, out);
    default:
      return binary_any(w, s, ncols, xn, xz, nw, n, mul, accumulate, out);
  }
}

void CrossbarArray::mvm_exact(const InputVector& in, int col0, int ncols, int shift,
                              int32_t* out) const {
  if (in.row_hi <= in.row_lo) return;
  const uint32_t mul = shift_multiplier(shift);
  const int wlo = in.row_lo / 64;
  const int nw = (in.row_hi + 63) / 64 - wlo;
  for (int p = 0; p < in.planes; ++p) {
    const int64_t wp = plane_weight(in, p);
    const uint64_t* xz = in.nz.data() + static_cast<size_t>(p) * in.words + wlo;
    const uint64_t* xn = in.neg.data() + static_cast<size_t>(p) * in.words + wlo;
    for (int j = 0; j < ncols; ++j) {
      const size_t c = static_cast<size_t>(col0 + j) * words_ + wlo;
      add_to(out[j], wp * ternary_sum(&w_nz_[c], &w_neg_[c], xz, xn, nw), mul);
    }
  }
}

void CrossbarArray::mvm_stepped(const InputVector& in, int col0, int ncols, int shift,
                                int32_t* out) const {
  if (in.row_hi <= in.row_lo) return;
  const uint32_t mul = shift_multiplier(shift);
  const int32_t* quant = quant_.data() + step_rows_;  // indexed by the step sum
  for (int p = 0; p < in.planes; ++p) {
    const int64_t wp = plane_weight(in, p);
    const uint64_t* xz = in.nz.data() + static_cast<size_t>(p) * in.words;
    const uint64_t* xn = in.neg.data() + static_cast<size_t>(p) * in.words;
    for (int g = in.row_lo / step_rows_; g * step_rows_ < in.row_hi; ++g) {
      // The step reads rows [a, b): its group clipped to the driven range.
      const int a = std::max(g * step_rows_, in.row_lo);
      const int b = std::min((g + 1) * step_rows_, in.row_hi);
      const int wa = a / 64;
      const int nw = (b - 1) / 64 - wa + 1;
      const uint64_t first = word_mask(wa, a, b);
      const uint64_t last = word_mask(wa + nw - 1, a, b);
      for (int j = 0; j < ncols; ++j) {
        const size_t c = static_cast<size_t>(col0 + j) * words_ + wa;
        const int32_t s =
            ternary_step_sum(&w_nz_[c], &w_neg_[c], xz + wa, xn + wa, nw, first, last);
        add_to(out[j], wp * quant[s], mul);
      }
    }
  }
}

void CrossbarArray::mvm_analog(const InputVector& in, int col0, int ncols, int shift,
                               int32_t* out) const {
  if (in.row_hi <= in.row_lo) return;
  const uint32_t mul = shift_multiplier(shift);
  const bool two_cells = p_.cells_per_weight != 1;
  const bool adc = p_.readout == arch::Readout::kAdc;
  for (int p = 0; p < in.planes; ++p) {
    const int64_t wp = plane_weight(in, p);
    const uint64_t* xz = in.nz.data() + static_cast<size_t>(p) * in.words;
    const uint64_t* xn = in.neg.data() + static_cast<size_t>(p) * in.words;
    for (int g = in.row_lo / step_rows_; g * step_rows_ < in.row_hi; ++g) {
      const int a = std::max(g * step_rows_, in.row_lo);
      const int b = std::min((g + 1) * step_rows_, in.row_hi);
      for (int j = 0; j < ncols; ++j) {
        const int c = col0 + j;
        const float* gp = &g_pos_[static_cast<size_t>(c) * p_.rows];
        const float* gn = two_cells ? &g_neg_[static_cast<size_t>(c) * p_.rows] : nullptr;
        double s = 0;
        for (int i = a / 64; i <= (b - 1) / 64; ++i) {
          const size_t wi = static_cast<size_t>(c) * words_ + i;
          for (uint64_t m = xz[i] & word_mask(i, a, b); m != 0; m &= m - 1) {
            const int bit = __builtin_ctzll(m);
            const int r = i * 64 + bit;
            const bool pos = (c_pos_[wi] >> bit) & 1u;
            // Each cell conducts in proportion to its factor: a pair's current is the
            // difference of its cells', so a (1,1) fault no longer cancels exactly.
            double cell;
            if (two_cells) {
              cell = (pos ? gp[r] : 0.0) - (((c_neg_[wi] >> bit) & 1u) ? gn[r] : 0.0);
            } else {
              cell = pos ? gp[r] : -gp[r];
            }
            s += ((xn[i] >> bit) & 1u) ? -cell : cell;
          }
        }
        // The digital readout has no converter; it still reads the nearest integer.
        const int32_t q = adc ? adc_quantize(s, p_.adc) : static_cast<int32_t>(std::llround(s));
        add_to(out[j], wp * q, mul);
      }
    }
  }
}

}  // namespace imc::models
