// gather_input: lays the segments of a Gather onto crossbar rows as bit planes. Each
// segment starts on a byte boundary, so elements are moved a word at a time: 64 b1, 32 t2
// or 8 u8/i8 elements per 8-byte load, shifted into place with at most two word ORs.
#include <algorithm>
#include <stdexcept>

#include "hw/models/bitops.h"
#include "hw/models/crossbar_array.h"

namespace imc::models {
namespace {

using bits::load_le;
using bits::low_mask;
using bits::or_bits;

int planes_of(isa::DType t) {
  switch (t) {
    case isa::DType::kB1:
    case isa::DType::kT2:
      return 1;
    case isa::DType::kU8:
    case isa::DType::kI8:
      return 8;  // bit-serial: one plane per bit
    default:
      return 0;  // i32 is not a crossbar input; the checker rejects it
  }
}

// b1: every element drives its row (nz = 1); a 0 bit is -1 (neg = 1).
void put_b1(const uint8_t* src, int64_t n, int64_t pos, uint64_t* nz, uint64_t* neg) {
  for (int64_t i = 0; i < n; i += 64) {
    const int k = static_cast<int>(std::min<int64_t>(64, n - i));
    const uint64_t m = low_mask(k);
    const uint64_t v = load_le(src + i / 8, (k + 7) / 8) & m;
    or_bits(nz, pos + i, m);
    or_bits(neg, pos + i, ~v & m);
  }
}

// Moves the even bits of x to its low half, in order (a software PEXT with 0x5555...).
uint64_t even_bits(uint64_t x) {
  x &= 0x5555555555555555ull;
  x = (x | (x >> 1)) & 0x3333333333333333ull;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0Full;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFull;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFull;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFull;
  return x;
}

// t2: bit0 = nonzero, bit1 = negative; the unused code 10 reads as 0, hence neg &= nz.
void put_t2(const uint8_t* src, int64_t n, int64_t pos, uint64_t* nz, uint64_t* neg) {
  for (int64_t i = 0; i < n; i += 32) {
    const int k = static_cast<int>(std::min<int64_t>(32, n - i));
    const uint64_t v = load_le(src + i / 4, (2 * k + 7) / 8) & low_mask(2 * k);
    const uint64_t z = even_bits(v);
    or_bits(nz, pos + i, z);
    or_bits(neg, pos + i, even_bits(v >> 1) & z);
  }
}

// Collects bit 0 of each of the 8 bytes of v into one byte: the multiply sends byte i's
// bit to bit 56 + i, and no two partial products share a bit position (so no carries).
inline uint64_t byte_lsbs(uint64_t v) {
  return ((v & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56;
}

// u8/i8: plane p holds bit p of every element (values 0/1, never negative; i8's sign is
// carried by the weight of plane 7).
void put_bytes(const uint8_t* src, int64_t n, int64_t pos, uint64_t* nz, int words) {
  for (int64_t i = 0; i < n; i += 64) {
    const int k = static_cast<int>(std::min<int64_t>(64, n - i));
    uint64_t plane[8] = {};
    for (int j = 0; j < k; j += 8) {
      const uint64_t v = load_le(src + i + j, std::min(8, k - j));
      for (int p = 0; p < 8; ++p) plane[p] |= byte_lsbs(v >> p) << j;
    }
    for (int p = 0; p < 8; ++p) {
      if (plane[p] != 0) or_bits(nz + static_cast<int64_t>(p) * words, pos + i, plane[p]);
    }
  }
}

}  // namespace

void gather_input(isa::DType t, const uint8_t* mem, int64_t addr, const isa::Gather& g, int row0,
                  int crossbar_rows, InputVector& out) {
  if (row0 < 0 || g.elems < 0 || row0 + g.total() > crossbar_rows) {
    throw std::out_of_range("gather_input: rows outside the crossbar");
  }
  const int planes = planes_of(t);
  const int words = (crossbar_rows + 63) / 64;
  out.planes = planes;
  out.signed_msb = t == isa::DType::kI8;
  out.words = words;
  const size_t size = static_cast<size_t>(planes) * static_cast<size_t>(words);
  // The vector is reused from call to call: resizing only on a change of shape keeps the
  // steady state free of allocations.
  if (out.nz.size() != size) {
    out.nz.assign(size, 0);
    out.neg.assign(size, 0);
  } else {
    std::fill(out.nz.begin(), out.nz.end(), 0);
    std::fill(out.neg.begin(), out.neg.end(), 0);
  }

  int lo = -1, hi = row0, driven = 0;
  if (planes > 0) {
    for (int y = 0; y < g.ky; ++y) {
      for (int x = 0; x < g.kx; ++x) {
        const int seg = y * g.kx + x;
        if (seg < 32 && ((g.mask >> seg) & 1u) == 0) continue;  // padding: rows not driven
        const int64_t rs = row0 + seg * g.elems;
        const uint8_t* src = mem + addr + y * g.sy + x * g.sx;
        switch (t) {
          case isa::DType::kB1:
            put_b1(src, g.elems, rs, out.nz.data(), out.neg.data());
            break;
          case isa::DType::kT2:
            put_t2(src, g.elems, rs, out.nz.data(), out.neg.data());
            break;
          default:
            put_bytes(src, g.elems, rs, out.nz.data(), words);
            break;
        }
        if (lo < 0) lo = static_cast<int>(rs);
        hi = static_cast<int>(rs + g.elems);
        driven += static_cast<int>(g.elems);
      }
    }
  }
  if (lo < 0) lo = hi = row0;
  out.row_lo = lo;
  out.row_hi = hi;
  out.driven = driven;
  // b1 rows are all nonzero; with no holes between the unmasked segments the column sum is
  // n - 2 * popcount(disagreements), the crossbar's fast path.
  out.binary = t == isa::DType::kB1 && driven == hi - lo;
}

}  // namespace imc::models
