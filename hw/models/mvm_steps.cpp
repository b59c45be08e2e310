#include "hw/models/mvm_steps.h"

#include <algorithm>

#include "hw/models/bitops.h"

namespace imc::models {

std::vector<MvmStep> mvm_steps(const InputVector& in, const arch::CrossbarParams& p) {
  // The group size CrossbarArray reads with: rows_per_step, clamped to the array.
  const int rows = std::max(p.rows, 0);
  const int step_rows = std::max(p.rows_per_step > 0 ? std::min(p.rows_per_step, rows) : rows, 1);
  std::vector<MvmStep> steps;
  for (int plane = 0; plane < std::max(in.planes, 1); ++plane) {
    const int32_t weight = in.signed_msb && plane == 7 ? -128 : int32_t{1} << plane;
    if (in.row_hi <= in.row_lo) {  // nothing driven: one step that reads no row
      steps.push_back({plane, weight, 0, 0, 0});
      continue;
    }
    for (int g = in.row_lo / step_rows; g * step_rows < in.row_hi; ++g) {
      const int lo = std::max(g * step_rows, in.row_lo);
      const int hi = std::min((g + 1) * step_rows, in.row_hi);
      steps.push_back({plane, weight, g * step_rows, lo, hi});
    }
  }
  return steps;
}

void mvm_step_sums(const CrossbarArray& xb, const InputVector& in,
                   const std::vector<MvmStep>& steps, int col0, int ncols,
                   std::vector<int32_t>& sums) {
  sums.assign(steps.size() * static_cast<size_t>(std::max(ncols, 0)), 0);
  // One plane of the input, cut to the step's rows: a one-step MVM of its own.
  InputVector one;
  one.planes = 1;
  one.words = in.words;
  one.nz.assign(static_cast<size_t>(in.words), 0);
  one.neg.assign(static_cast<size_t>(in.words), 0);
  MvmCounts ignored;
  for (size_t s = 0; s < steps.size(); ++s) {
    const MvmStep& st = steps[s];
    if (st.row_hi <= st.row_lo || in.planes == 0) continue;  // reads nothing: 0
    const size_t base = static_cast<size_t>(st.plane) * in.words;
    for (int w = 0; w < in.words; ++w) {
      const uint64_t m = bits::word_mask(w, st.row_lo, st.row_hi);
      one.nz[w] = in.nz[base + w] & m;
      one.neg[w] = in.neg[base + w] & m;
    }
    one.row_lo = st.row_lo;
    one.row_hi = st.row_hi;
    xb.mvm(one, col0, ncols, 0, false, sums.data() + s * ncols, ignored);
  }
}

void compose_mvm(const std::vector<MvmStep>& steps, const int32_t* sums, int ncols, int shift,
                 bool accumulate, const int32_t* old, int32_t* out) {
  // As CrossbarArray::mvm: unsigned arithmetic wraps, 2^shift replaces the shift.
  const uint32_t mul = shift < 0 ? 1u : shift >= 32 ? 0u : uint32_t{1} << shift;
  for (int j = 0; j < ncols; ++j) {
    uint32_t total = 0;
    for (size_t s = 0; s < steps.size(); ++s)
      total += static_cast<uint32_t>(steps[s].weight) * static_cast<uint32_t>(sums[s * ncols + j]);
    const uint32_t base = accumulate ? static_cast<uint32_t>(old[j]) : 0u;
    out[j] = static_cast<int32_t>(base + total * mul);
  }
}

}  // namespace imc::models
