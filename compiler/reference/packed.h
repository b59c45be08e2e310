// Bit planes for popcount dot products: a vector of {-1, 0, +1} is two planes of bits, nz
// (element nonzero) and neg (element negative). Binary x binary is XNOR/popcount on neg alone.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/isa/dtype.h"

namespace imc::compiler::reference {

inline int words_for(int64_t n) {
  return static_cast<int>((n + 63) / 64);
}

// A feature map [h][w][c], each pixel's channel vector packed into whole words (bits past c
// are zero in every plane), so that a convolution window is a run of pixel segments.
class PackedMap {
 public:
  // `type` b1 or t2.
  PackedMap(const std::vector<int32_t>& values, int64_t h, int64_t w, int64_t c, isa::DType type);

  int64_t h() const { return h_; }
  int64_t w() const { return w_; }
  int64_t c() const { return c_; }
  int words() const { return words_; }
  bool binary() const { return binary_; }  // one plane of ±1: nz is all ones
  const uint64_t* nz(int64_t y, int64_t x) const { return bits_.data() + offset(y, x); }
  const uint64_t* neg(int64_t y, int64_t x) const { return nz(y, x) + words_; }

 private:
  int64_t offset(int64_t y, int64_t x) const { return (y * w_ + x) * 2 * words_; }

  int64_t h_, w_, c_;
  int words_;
  bool binary_;
  std::vector<uint64_t> bits_;  // [y][x][nz, neg][word]
};

// Crossbar weights [out_c][kh][kw][in_c] in {-1, 0, +1}, each (ky, kx) segment packed like a
// PackedMap pixel.
class PackedWeights {
 public:
  PackedWeights(const std::vector<int8_t>& weights, int out_c, int segments, int64_t in_c);

  bool binary() const { return binary_; }  // no zero weight
  const uint64_t* nz(int oc, int segment) const { return bits_.data() + offset(oc, segment); }
  const uint64_t* neg(int oc, int segment) const { return nz(oc, segment) + words_; }

 private:
  int64_t offset(int oc, int segment) const {
    return (static_cast<int64_t>(oc) * segments_ + segment) * 2 * words_;
  }

  int segments_;
  int words_;
  bool binary_;
  std::vector<uint64_t> bits_;  // [oc][segment][nz, neg][word]
};

// Σ x·w over `words` words of {-1, 0, +1} planes.
inline int64_t ternary_dot(const uint64_t* xnz, const uint64_t* xneg, const uint64_t* wnz,
                           const uint64_t* wneg, int words) {
  int64_t s = 0;
  for (int i = 0; i < words; ++i) {
    uint64_t m = xnz[i] & wnz[i];
    s += __builtin_popcountll(m) - 2 * __builtin_popcountll(m & (xneg[i] ^ wneg[i]));
  }
  return s;
}

// Σ x·w of two ±1 vectors of n elements (bits past n zero in both): XNOR/popcount.
inline int64_t binary_dot(const uint64_t* xneg, const uint64_t* wneg, int words, int64_t n) {
  int64_t differ = 0;
  for (int i = 0; i < words; ++i) differ += __builtin_popcountll(xneg[i] ^ wneg[i]);
  return n - 2 * differ;
}

}  // namespace imc::compiler::reference
