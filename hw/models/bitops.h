// Bit helpers shared by the crossbar math (internal to models_math): row masks over packed
// uint64 words and little-endian loads of packed element bytes.
#pragma once

#include <cstdint>
#include <cstring>

namespace imc::models::bits {

inline int popcount(uint64_t v) {
  return __builtin_popcountll(v);
}

// Bits [0, n) set, for n in [0, 64].
inline uint64_t low_mask(int n) {
  return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
}

// The bits of word `w` that lie in rows [lo, hi).
inline uint64_t word_mask(int w, int lo, int hi) {
  const int base = w * 64;
  const int a = lo > base ? lo - base : 0;
  const int b = hi < base + 64 ? hi - base : 64;
  return b <= a ? 0 : low_mask(b) & ~low_mask(a);
}

// Reads `nbytes` (<= 8) bytes as a little-endian word; bytes past `nbytes` read as zero and
// are never touched, so a load never strays outside the caller's buffer.
inline uint64_t load_le(const uint8_t* p, int nbytes) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (nbytes == 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
#endif
  uint64_t v = 0;
  for (int i = 0; i < nbytes; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

// ORs the low `n` bits of `v` (n <= 64, higher bits clear) into the bit string `dst` at bit
// position `pos`.
inline void or_bits(uint64_t* dst, int64_t pos, uint64_t v) {
  const int64_t w = pos >> 6;
  const int off = static_cast<int>(pos & 63);
  dst[w] |= v << off;
  if (off != 0) {
    const uint64_t spill = v >> (64 - off);
    if (spill != 0) dst[w + 1] |= spill;
  }
}

}  // namespace imc::models::bits
