// The functional model of one crossbar: weights held as bit planes per column, column sums
// computed with word-wide AND/XOR/popcount, then read out exactly (digital) or through an
// ADC per read step, with optional conductance variation and stuck-at cells. No SystemC.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/arch/params.h"
#include "hw/isa/dtype.h"
#include "hw/isa/program.h"

namespace imc::models {

// An input vector laid onto the crossbar's rows, one bit plane per input bit. Row r of
// plane p contributes value(nz, neg) * weight_of_plane(p), value = nz ? (neg ? -1 : +1) : 0.
struct InputVector {
  int planes = 0;              // 1 for b1/t2, 8 for u8/i8 (bit-serial)
  bool signed_msb = false;     // i8: the top plane weighs -2^7
  int words = 0;               // uint64 words per plane
  std::vector<uint64_t> nz;    // [planes][words]
  std::vector<uint64_t> neg;   // [planes][words]
  int row_lo = 0, row_hi = 0;  // rows that may be nonzero: [row_lo, row_hi)
  bool binary = false;         // every row in [row_lo,row_hi) nonzero, single plane
  int driven = 0;              // rows of unmasked segments: wordlines driven per plane
};

// What one MVM did, for energy accounting.
struct MvmCounts {
  int64_t steps = 0;        // read steps (row groups x planes)
  int64_t cells = 0;        // cells read
  int64_t wordlines = 0;    // rows driven
  int64_t conversions = 0;  // ADC conversions (readout: adc)
  int64_t popcounts = 0;    // digital column popcounts (readout: digital)
};

// Builds the crossbar input for `g` elements of type `t` read from `mem` at byte `addr`,
// placed on rows [row0, row0 + g.total()). Masked segments stay zero. The caller has
// checked that every byte read lies inside `mem`; rows past `crossbar_rows` throw
// std::out_of_range. `out` is reused: it reallocates only when its shape changes.
void gather_input(isa::DType t, const uint8_t* mem, int64_t addr, const isa::Gather& g, int row0,
                  int crossbar_rows, InputVector& out);

// The quantised value an ADC reports for a partial sum (docs/arch-file.md):
// delta = max(1, ceil(full_scale / (2^(bits-1) - 1))), out = clamp(delta * round(s / delta),
// -full_scale, full_scale), round half away from zero.
int32_t adc_quantize(double sum, const arch::AdcParams& adc);
int adc_delta(const arch::AdcParams& adc);         // the quantisation step above
bool adc_is_exact(const arch::CrossbarParams& p);  // no step sum can be altered

class CrossbarArray {
 public:
  // `seed` fixes this array's device variation and stuck-at map (draw order: see
  // crossbar_array.cpp; identical on every platform).
  CrossbarArray(const arch::CrossbarParams& params, uint64_t seed);

  // Stores w[r][c] (row-major, values -1/0/+1) at rows row0.., cols col0... Returns false,
  // storing nothing, when a value cannot be held (0 with one cell per weight, |w| > 1) or
  // the block does not fit in the array.
  bool program(int row0, int col0, int rows, int cols, const int32_t* w);

  // out[j] += sum over planes p of plane_weight(p) * readout(column col0 + j), for
  // j < ncols, then shifted left by `shift`.  With `accumulate` false out is overwritten.
  // Adds this MVM's activity to `counts` (it does not reset them). Throws std::out_of_range
  // for columns outside the array, std::invalid_argument for an input gathered for another
  // row count.
  void mvm(const InputVector& in, int col0, int ncols, int shift, bool accumulate, int32_t* out,
           MvmCounts& counts) const;

  // Cycles one MVM over `in` takes on this array (read steps and conversions).
  int64_t mvm_cycles(const InputVector& in, int ncols) const;

  int32_t weight(int row, int col) const;  // the effective stored weight, after faults
  const arch::CrossbarParams& params() const { return p_; }

 private:
  void refresh_columns(int col0, int cols);
  bool zero_free(int row_lo, int row_hi, int col0, int ncols) const;
  void mvm_binary(const InputVector& in, int col0, int ncols, int shift, bool accumulate,
                  int32_t* out) const;
  void mvm_exact(const InputVector& in, int col0, int ncols, int shift, int32_t* out) const;
  void mvm_stepped(const InputVector& in, int col0, int ncols, int shift, int32_t* out) const;
  void mvm_analog(const InputVector& in, int col0, int ncols, int shift, int32_t* out) const;
  int groups(const InputVector& in) const;  // read steps per plane

  arch::CrossbarParams p_;
  int words_ = 0;                        // words per column
  int col_words_ = 0;                    // words of a bit set over columns
  int step_rows_ = 1;                    // rows read per step (rows_per_step, clamped to rows)
  std::vector<int32_t> quant_;           // adc_quantize(s) at s + step_rows_, |s| <= step_rows_
  bool exact_ = true;                    // readout never alters a step sum
  bool any_zero_weight_ = false;         // false: zero_free() holds without looking
  std::vector<uint64_t> w_nz_, w_neg_;   // [cols][words]
  std::vector<uint64_t> c_pos_, c_neg_;  // physical cells after faults [cols][words]
  std::vector<uint64_t> sa0_pos_, sa1_pos_, sa0_neg_, sa1_neg_;  // fault maps [cols][words]
  std::vector<float> g_pos_, g_neg_;  // conductance factors [cols][rows], variation only
  // Zero-free summaries, bit sets over columns indexed [word][k]: full_from_ has column c's
  // bit when rows [64 word + k, 64 word + 64) hold no zero weight, full_to_ when rows
  // [64 word, 64 word + k + 1) hold none. They let mvm() admit the binary fast path with a
  // few word tests instead of a scan of the weights.
  std::vector<uint64_t> full_from_, full_to_;  // [words][64][col_words]
};

}  // namespace imc::models
