// CrossbarArray storage: the physical cells, their stuck-at faults and conductance factors,
// programming, and the effective weight planes the read paths (crossbar_mvm.cpp) consume.
//
// Random draws, in this order, from one std::mt19937_64 seeded with `seed`; each uniform is
// u = (next() >> 11) * 2^-53, so the maps do not depend on the standard library:
//  1. only if stuck_at_0 + stuck_at_1 > 0, the fault map: for each column, each row, the pos
//     cell then (cells_per_weight 2) the neg cell: one u per cell; u < stuck_at_0 -> stuck
//     at 0, else u < stuck_at_0 + stuck_at_1 -> stuck at 1.
//  2. only if variation_sigma > 0, the conductance factors in the same cell order:
//     max(0, 1 + sigma * n), n = sqrt(-2 ln(1 - u1)) cos(2 pi u2) (Box-Muller, 2 u's).
#include "hw/models/crossbar_array.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "hw/models/bitops.h"

namespace imc::models {
namespace {

constexpr double kPi = 3.14159265358979323846;

double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double normal(std::mt19937_64& rng) {
  const double u1 = uniform(rng);
  const double u2 = uniform(rng);
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * kPi * u2);
}

void set_bit(std::vector<uint64_t>& v, size_t word, int bit, bool on) {
  const uint64_t m = uint64_t{1} << bit;
  v[word] = on ? (v[word] | m) : (v[word] & ~m);
}

bool get_bit(const std::vector<uint64_t>& v, size_t word, int bit) {
  return (v[word] >> bit) & 1u;
}

}  // namespace

CrossbarArray::CrossbarArray(const arch::CrossbarParams& params, uint64_t seed) : p_(params) {
  p_.rows = std::max(p_.rows, 0);
  p_.cols = std::max(p_.cols, 0);
  words_ = (p_.rows + 63) / 64;
  col_words_ = (p_.cols + 63) / 64;
  step_rows_ = p_.rows_per_step > 0 ? std::min(p_.rows_per_step, p_.rows) : p_.rows;
  step_rows_ = std::max(step_rows_, 1);
  exact_ = adc_is_exact(p_);
  // A step's integer sum never exceeds step_rows_ in magnitude: tabulating the converter
  // keeps a division out of the per-step, per-column loop.
  quant_.resize(2 * static_cast<size_t>(step_rows_) + 1);
  for (int s = -step_rows_; s <= step_rows_; ++s) quant_[s + step_rows_] = adc_quantize(s, p_.adc);
  const bool two_cells = p_.cells_per_weight != 1;

  const size_t n = static_cast<size_t>(p_.cols) * words_;
  w_nz_.assign(n, 0);
  w_neg_.assign(n, 0);
  c_pos_.assign(n, 0);
  c_neg_.assign(n, 0);
  if (two_cells) {  // one cell per weight never holds a zero: no summaries needed
    const size_t table = static_cast<size_t>(words_) * 64 * col_words_;
    full_from_.assign(table, 0);
    full_to_.assign(table, 0);
  }

  std::mt19937_64 rng(seed);
  const double p0 = std::max(p_.stuck_at_0, 0.0);
  const double p01 = p0 + std::max(p_.stuck_at_1, 0.0);
  if (p01 > 0) {
    sa0_pos_.assign(n, 0);
    sa1_pos_.assign(n, 0);
    sa0_neg_.assign(n, 0);
    sa1_neg_.assign(n, 0);
    auto draw = [&](std::vector<uint64_t>& sa0, std::vector<uint64_t>& sa1, size_t w, int b) {
      const double u = uniform(rng);
      if (u < p0) {
        set_bit(sa0, w, b, true);
      } else if (u < p01) {
        set_bit(sa1, w, b, true);
      }
    };
    for (int c = 0; c < p_.cols; ++c) {
      for (int r = 0; r < p_.rows; ++r) {
        const size_t w = static_cast<size_t>(c) * words_ + r / 64;
        draw(sa0_pos_, sa1_pos_, w, r % 64);
        if (two_cells) draw(sa0_neg_, sa1_neg_, w, r % 64);
      }
    }
    // Cells start erased (0); the stuck-at-1 ones read 1 whatever is written.
    c_pos_ = sa1_pos_;
    c_neg_ = sa1_neg_;
  }

  if (p_.variation_sigma > 0) {
    const size_t cells = static_cast<size_t>(p_.cols) * p_.rows;
    g_pos_.assign(cells, 1.0f);
    if (two_cells) g_neg_.assign(cells, 1.0f);
    auto factor = [&] {
      return static_cast<float>(std::max(0.0, 1.0 + p_.variation_sigma * normal(rng)));
    };
    for (size_t i = 0; i < cells; ++i) {
      g_pos_[i] = factor();
      if (two_cells) g_neg_[i] = factor();
    }
  }
  refresh_columns(0, p_.cols);
}

bool CrossbarArray::program(int row0, int col0, int rows, int cols, const int32_t* w) {
  if (row0 < 0 || col0 < 0 || rows < 0 || cols < 0 || row0 + rows > p_.rows ||
      col0 + cols > p_.cols) {
    return false;
  }
  const bool two_cells = p_.cells_per_weight != 1;
  const size_t count = static_cast<size_t>(rows) * cols;
  for (size_t i = 0; i < count; ++i) {
    if (w[i] < -1 || w[i] > 1 || (!two_cells && w[i] == 0)) return false;
  }
  const bool faults = !sa0_pos_.empty();
  for (int c = 0; c < cols; ++c) {
    for (int r = 0; r < rows; ++r) {
      const int32_t v = w[static_cast<size_t>(r) * cols + c];
      const int row = row0 + r;
      const size_t word = static_cast<size_t>(col0 + c) * words_ + row / 64;
      const int bit = row % 64;
      // Differential pair: +1 = (1,0), -1 = (0,1), 0 = (0,0). One cell: 1 = +1, 0 = -1.
      bool pos = v > 0;
      bool neg = v < 0;
      if (faults) {
        pos = (pos && !get_bit(sa0_pos_, word, bit)) || get_bit(sa1_pos_, word, bit);
        neg = (neg && !get_bit(sa0_neg_, word, bit)) || get_bit(sa1_neg_, word, bit);
      }
      set_bit(c_pos_, word, bit, pos);
      if (two_cells) set_bit(c_neg_, word, bit, neg);
    }
  }
  refresh_columns(col0, cols);
  return true;
}

void CrossbarArray::refresh_columns(int col0, int cols) {
  using bits::word_mask;
  const bool two_cells = p_.cells_per_weight != 1;
  for (int c = col0; c < col0 + cols; ++c) {
    const size_t cw = static_cast<size_t>(c / 64);
    const uint64_t cbit = uint64_t{1} << (c % 64);
    for (int w = 0; w < words_; ++w) {
      const size_t i = static_cast<size_t>(c) * words_ + w;
      const uint64_t valid = word_mask(w, 0, p_.rows);
      const uint64_t pos = c_pos_[i];
      const uint64_t neg = c_neg_[i];
      // (1,1) and (0,0) pairs both read as 0: their currents cancel or are absent.
      w_nz_[i] = two_cells ? (pos ^ neg) & valid : valid;
      w_neg_[i] = two_cells ? neg & ~pos & valid : ~pos & valid;

      if (!two_cells) continue;
      // Rows past the array end count as nonzero so that they never veto the fast path.
      const uint64_t zeros = ~w_nz_[i] & valid;
      const int top = zeros ? 63 - __builtin_clzll(zeros) : -1;  // highest zero row
      const int bottom = zeros ? __builtin_ctzll(zeros) : 64;    // lowest zero row
      for (int k = 0; k < 64; ++k) {
        const size_t t = (static_cast<size_t>(w) * 64 + k) * col_words_ + cw;
        full_from_[t] = k > top ? full_from_[t] | cbit : full_from_[t] & ~cbit;
        full_to_[t] = k + 1 <= bottom ? full_to_[t] | cbit : full_to_[t] & ~cbit;
      }
    }
  }
  any_zero_weight_ = false;
  for (int c = 0; c < p_.cols && !any_zero_weight_; ++c) {
    for (int w = 0; w < words_; ++w) {
      if (~w_nz_[static_cast<size_t>(c) * words_ + w] & word_mask(w, 0, p_.rows)) {
        any_zero_weight_ = true;
        break;
      }
    }
  }
}

bool CrossbarArray::zero_free(int row_lo, int row_hi, int col0, int ncols) const {
  if (!any_zero_weight_ || row_hi <= row_lo || ncols <= 0) return true;
  const int wa = row_lo / 64;
  const int wb = (row_hi - 1) / 64;
  const int ca = col0 / 64;
  const int cb = (col0 + ncols - 1) / 64;
  auto row = [&](const std::vector<uint64_t>& t, int w, int k) {
    return t.data() + (static_cast<size_t>(w) * 64 + k) * col_words_;
  };
  for (int w = wa; w <= wb; ++w) {
    // A column qualifies when the rows of [row_lo, row_hi) inside word w hold no zero.
    // Inside one word the range is covered by either of two summaries; a column passes
    // when one of them does.
    const uint64_t* from = row(full_from_, w, w == wa ? row_lo % 64 : 0);
    const uint64_t* to = row(full_to_, w, w == wb ? (row_hi - 1) % 64 : 63);
    for (int cw = ca; cw <= cb; ++cw) {
      const uint64_t need = bits::word_mask(cw, col0, col0 + ncols);
      const uint64_t ok = w == wa && w == wb ? (from[cw] | to[cw]) : w == wa ? from[cw] : to[cw];
      if ((ok & need) != need) return false;
    }
  }
  return true;
}

int32_t CrossbarArray::weight(int row, int col) const {
  if (row < 0 || col < 0 || row >= p_.rows || col >= p_.cols) return 0;
  const size_t i = static_cast<size_t>(col) * words_ + row / 64;
  const int bit = row % 64;
  if (!((w_nz_[i] >> bit) & 1u)) return 0;
  return ((w_neg_[i] >> bit) & 1u) ? -1 : 1;
}

}  // namespace imc::models
