// Test inputs for the crossbar math: element packing as hw/isa/dtype.h specifies (written
// apart from isa::pack so the tests check the packing contract itself rather than share an
// implementation) and random gathers with the row values they should produce.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "hw/isa/dtype.h"
#include "hw/isa/program.h"

namespace imc::models::testing {

inline int64_t test_packed_bytes(isa::DType t, int64_t n) {
  switch (t) {
    case isa::DType::kB1:
      return (n + 7) / 8;
    case isa::DType::kT2:
      return (n + 3) / 4;
    default:
      return n;
  }
}

// Writes values[0..n) at `bytes` (element 0 at bit 0 of bytes[0]); bytes must be zeroed.
inline void test_pack(isa::DType t, const int32_t* values, int64_t n, uint8_t* bytes) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = values[i];
    switch (t) {
      case isa::DType::kB1:
        if (v > 0) bytes[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
        break;
      case isa::DType::kT2: {
        const unsigned code = v == 0 ? 0u : v > 0 ? 1u : 3u;  // bit0 nonzero, bit1 negative
        bytes[i / 4] |= static_cast<uint8_t>(code << (2 * (i % 4)));
        break;
      }
      default:
        bytes[i] = static_cast<uint8_t>(v);
        break;
    }
  }
}

// The bit planes an element feeds: (value of plane p, weight of plane p).
inline int test_planes(isa::DType t) {
  return t == isa::DType::kU8 || t == isa::DType::kI8 ? 8 : 1;
}
inline int32_t test_plane_value(isa::DType t, int32_t v, int p) {
  if (test_planes(t) == 1) return v;
  return (static_cast<uint32_t>(v) >> p) & 1u;
}
inline int32_t test_plane_weight(isa::DType t, int p) {
  if (test_planes(t) == 1) return 1;
  return t == isa::DType::kI8 && p == 7 ? -128 : 1 << p;
}

// A random element value of type t.
template <class Rng>
int32_t test_random_value(isa::DType t, Rng& rng) {
  switch (t) {
    case isa::DType::kB1:
      return rng() % 2 ? 1 : -1;
    case isa::DType::kT2:
      return static_cast<int32_t>(rng() % 3) - 1;
    case isa::DType::kU8:
      return static_cast<int32_t>(rng() % 256);
    default:
      return static_cast<int32_t>(rng() % 256) - 128;
  }
}

// A random gather of type t onto a crossbar of `rows` rows, with the memory it reads and
// the element value every row should receive (0 on rows not driven).
struct TestGather {
  isa::DType type = isa::DType::kB1;
  std::vector<uint8_t> mem;  // sized to end exactly at the last byte read
  int64_t addr = 0;
  isa::Gather g;
  int row0 = 0;
  std::vector<int32_t> row_value;  // [rows]
  std::vector<bool> driven;        // [rows]
  int row_lo = 0, row_hi = 0;
};

// Segment sizes, strides, row0 and address are random; the mask is random half of the time
// when allowed. Padding bits of a segment's last byte are noise that must be ignored.
template <class Rng>
TestGather random_gather(isa::DType t, int rows, Rng& rng, bool allow_mask = true) {
  TestGather tg;
  tg.type = t;
  const int segs_max = std::min(rows, 32);
  int kx = 1 + static_cast<int>(rng() % 3), ky = 1 + static_cast<int>(rng() % 3);
  while (kx * ky > segs_max) kx > 1 ? --kx : --ky;
  const int per_seg_max = rows / (kx * ky);
  tg.g.kx = kx;
  tg.g.ky = ky;
  tg.g.elems = 1 + static_cast<int64_t>(rng() % per_seg_max);
  const int total = static_cast<int>(tg.g.total());
  tg.row0 = static_cast<int>(rng() % (rows - total + 1));
  const int64_t seg_bytes = test_packed_bytes(t, tg.g.elems);
  tg.g.sx = seg_bytes + static_cast<int64_t>(rng() % 3);
  tg.g.sy = kx * tg.g.sx + static_cast<int64_t>(rng() % 4);
  tg.addr = static_cast<int64_t>(rng() % 5);
  if (allow_mask && rng() % 2) tg.g.mask = static_cast<uint32_t>(rng());
  const int64_t end = tg.addr + (ky - 1) * tg.g.sy + (kx - 1) * tg.g.sx + seg_bytes;
  tg.mem.assign(static_cast<size_t>(end), 0);
  // Bytes between segments hold noise that must never be read as elements.
  for (auto& b : tg.mem) b = static_cast<uint8_t>(rng());
  tg.row_value.assign(rows, 0);
  tg.driven.assign(rows, false);
  tg.row_lo = tg.row_hi = -1;
  std::vector<int32_t> vals(tg.g.elems);
  for (int y = 0; y < ky; ++y) {
    for (int x = 0; x < kx; ++x) {
      for (auto& v : vals) v = test_random_value(t, rng);
      uint8_t* seg = tg.mem.data() + tg.addr + y * tg.g.sy + x * tg.g.sx;
      std::fill(seg, seg + seg_bytes, 0);
      test_pack(t, vals.data(), tg.g.elems, seg);
      const int64_t used_bits = tg.g.elems * (t == isa::DType::kB1   ? 1
                                              : t == isa::DType::kT2 ? 2
                                                                     : 8);
      if (used_bits % 8 != 0) {
        seg[seg_bytes - 1] |= static_cast<uint8_t>(rng() & ~((1u << (used_bits % 8)) - 1));
      }
      const int s = y * kx + x;
      if (((tg.g.mask >> s) & 1u) == 0) continue;
      const int r0 = tg.row0 + s * static_cast<int>(tg.g.elems);
      for (int i = 0; i < tg.g.elems; ++i) {
        tg.row_value[r0 + i] = vals[i];
        tg.driven[r0 + i] = true;
      }
      if (tg.row_lo < 0) tg.row_lo = r0;
      tg.row_hi = r0 + static_cast<int>(tg.g.elems);
    }
  }
  if (tg.row_lo < 0) tg.row_lo = tg.row_hi = tg.row0;
  return tg;
}

}  // namespace imc::models::testing
