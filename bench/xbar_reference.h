// The yardstick for crossbar speed: the plain bit-packed XNOR/popcount loop a person would
// write for a binary layer, with nothing simulated (no ADC, no faults, no gathers). The
// benchmark reports the simulator's CrossbarArray::mvm() time as a multiple of this loop's.
#pragma once

#include <cstdint>

namespace imc::bench {

// out[c] = rows - 2 * popcount(w_col ^ x) for c < cols: the ±1 dot product of column c with
// x when bit 1 means +1 and bit 0 means -1. w_cols holds `words` uint64 per column, rows
// packed LSB-first; bits past `rows` in the last word are masked off.
inline void reference_binary_mvm(const uint64_t* w_cols, int words, int cols, const uint64_t* x,
                                 int32_t* out, int rows) {
  if (words <= 0) {
    for (int c = 0; c < cols; ++c) out[c] = 0;
    return;
  }
  const uint64_t last = rows % 64 == 0 ? ~uint64_t{0} : (uint64_t{1} << (rows % 64)) - 1;
  for (int c = 0; c < cols; ++c) {
    const uint64_t* w = w_cols + static_cast<int64_t>(c) * words;
    int diff = 0;
    for (int i = 0; i < words - 1; ++i) diff += __builtin_popcountll(w[i] ^ x[i]);
    diff += __builtin_popcountll((w[words - 1] ^ x[words - 1]) & last);
    out[c] = rows - 2 * diff;
  }
}

}  // namespace imc::bench
