// gather_input: packed segments -> crossbar row bit planes.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "hw/models/crossbar_array.h"
#include "tests/hw/models/test_inputs.h"

namespace imc::models {
namespace {

using isa::DType;
using testing::random_gather;
using testing::test_pack;
using testing::test_plane_value;
using testing::test_planes;
using testing::TestGather;

// The value row r of plane p holds: +1, -1 or 0 from its (nz, neg) bits.
int32_t plane_value(const InputVector& in, int p, int r) {
  const size_t w = static_cast<size_t>(p) * in.words + r / 64;
  const bool nz = (in.nz[w] >> (r % 64)) & 1u;
  const bool neg = (in.neg[w] >> (r % 64)) & 1u;
  if (!nz) return neg ? 99 : 0;  // neg without nz is never written: flag it
  return neg ? -1 : 1;
}

void expect_matches(const TestGather& tg, int rows, const InputVector& in) {
  ASSERT_EQ(in.planes, test_planes(tg.type));
  ASSERT_EQ(in.words, (rows + 63) / 64);
  ASSERT_EQ(in.nz.size(), static_cast<size_t>(in.planes) * in.words);
  ASSERT_EQ(in.neg.size(), in.nz.size());
  EXPECT_EQ(in.signed_msb, tg.type == DType::kI8);
  EXPECT_EQ(in.row_lo, tg.row_lo);
  EXPECT_EQ(in.row_hi, tg.row_hi);
  int driven = 0;
  for (int r = 0; r < rows; ++r) driven += tg.driven[r];
  EXPECT_EQ(in.driven, driven);
  EXPECT_EQ(in.binary, tg.type == DType::kB1 && driven == tg.row_hi - tg.row_lo);
  for (int p = 0; p < in.planes; ++p) {
    for (int r = 0; r < rows; ++r) {
      ASSERT_EQ(plane_value(in, p, r), test_plane_value(tg.type, tg.row_value[r], p))
          << "plane " << p << " row " << r;
    }
  }
  // Bits past the last row stay clear: the read paths rely on it.
  for (int p = 0; p < in.planes; ++p) {
    const size_t last = static_cast<size_t>(p) * in.words + in.words - 1;
    const uint64_t beyond = rows % 64 ? ~((uint64_t{1} << (rows % 64)) - 1) : 0;
    EXPECT_EQ(in.nz[last] & beyond, 0u);
    EXPECT_EQ(in.neg[last] & beyond, 0u);
  }
}

TEST(Gather, RandomSegmentsMatchUnpackedValues) {
  std::mt19937_64 rng(1234);
  InputVector in;  // reused on purpose: stale bits from the last call must not survive
  const DType types[] = {DType::kB1, DType::kT2, DType::kU8, DType::kI8};
  const int sizes[] = {1, 7, 37, 64, 100, 130, 256, 300};
  for (int iter = 0; iter < 2000; ++iter) {
    const DType t = types[rng() % 4];
    const int rows = sizes[rng() % 8];
    const TestGather tg = random_gather(t, rows, rng);
    gather_input(t, tg.mem.data(), tg.addr, tg.g, tg.row0, rows, in);
    SCOPED_TRACE(::testing::Message() << "iter " << iter << " type " << static_cast<int>(t));
    expect_matches(tg, rows, in);
    if (::testing::Test::HasFailure()) return;
  }
}

// The simulator feeds gather_input bytes written by isa::pack: both must agree on the layout.
TEST(Gather, ReadsWhatIsaPackWrites) {
  std::mt19937_64 rng(99);
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8}) {
    std::vector<int32_t> v(77);
    for (auto& x : v) x = testing::test_random_value(t, rng);
    const std::vector<uint8_t> bytes = isa::pack(t, v);
    isa::Gather g;
    g.elems = 77;
    InputVector in;
    gather_input(t, bytes.data(), 0, g, 3, 100, in);
    for (int p = 0; p < in.planes; ++p) {
      for (int i = 0; i < 77; ++i) {
        ASSERT_EQ(plane_value(in, p, 3 + i), test_plane_value(t, v[i], p))
            << "type " << static_cast<int>(t) << " plane " << p << " element " << i;
      }
    }
  }
}

// Three b1 segments of 10 elements at rows 5..35; memory is one byte-aligned segment each.
struct ThreeSegments {
  std::vector<uint8_t> mem = std::vector<uint8_t>(6, 0);
  isa::Gather g;
  ThreeSegments() {
    std::vector<int32_t> v(10, 1);
    v[3] = -1;
    for (int s = 0; s < 3; ++s) test_pack(DType::kB1, v.data(), 10, mem.data() + 2 * s);
    g.elems = 10;
    g.kx = 3;
    g.sx = 2;
  }
};

TEST(Gather, HoleInTheMiddleIsNotBinary) {
  ThreeSegments s;
  s.g.mask = 0b101;
  InputVector in;
  gather_input(DType::kB1, s.mem.data(), 0, s.g, 5, 64, in);
  EXPECT_EQ(in.row_lo, 5);
  EXPECT_EQ(in.row_hi, 35);
  EXPECT_EQ(in.driven, 20);
  EXPECT_FALSE(in.binary);
  EXPECT_EQ(plane_value(in, 0, 15), 0);
  EXPECT_EQ(plane_value(in, 0, 28), -1);
}

TEST(Gather, PaddingAtTheEdgeKeepsBinary) {
  ThreeSegments s;
  s.g.mask = 0b110;  // the first segment is padding: the rest is still one contiguous range
  InputVector in;
  gather_input(DType::kB1, s.mem.data(), 0, s.g, 5, 64, in);
  EXPECT_EQ(in.row_lo, 15);
  EXPECT_EQ(in.row_hi, 35);
  EXPECT_EQ(in.driven, 20);
  EXPECT_TRUE(in.binary);
}

TEST(Gather, AllMaskedDrivesNothing) {
  ThreeSegments s;
  s.g.mask = 0;
  InputVector in;
  gather_input(DType::kB1, s.mem.data(), 0, s.g, 5, 64, in);
  EXPECT_EQ(in.row_lo, in.row_hi);
  EXPECT_EQ(in.driven, 0);
  for (uint64_t w : in.nz) EXPECT_EQ(w, 0u);
}

TEST(Gather, T2UnusedCodeReadsAsZero) {
  const uint8_t mem[1] = {0b10'11'01'10};  // elements: 10, 01, 11, 10
  isa::Gather g;
  g.elems = 4;
  InputVector in;
  gather_input(DType::kT2, mem, 0, g, 0, 4, in);
  EXPECT_EQ(plane_value(in, 0, 0), 0);
  EXPECT_EQ(plane_value(in, 0, 1), 1);
  EXPECT_EQ(plane_value(in, 0, 2), -1);
  EXPECT_EQ(plane_value(in, 0, 3), 0);
}

TEST(Gather, I8PlanesAreTwosComplementBits) {
  const uint8_t mem[2] = {0x81, 0x7F};  // -127, 127
  isa::Gather g;
  g.elems = 2;
  InputVector in;
  gather_input(DType::kI8, mem, 0, g, 0, 2, in);
  ASSERT_EQ(in.planes, 8);
  EXPECT_TRUE(in.signed_msb);
  int32_t v0 = 0, v1 = 0;
  for (int p = 0; p < 8; ++p) {
    const int32_t w = p == 7 ? -128 : 1 << p;
    v0 += w * plane_value(in, p, 0);
    v1 += w * plane_value(in, p, 1);
  }
  EXPECT_EQ(v0, -127);
  EXPECT_EQ(v1, 127);
}

TEST(Gather, ReuseAcrossTypesResizesAndClears) {
  const uint8_t ones[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  isa::Gather g;
  g.elems = 16;
  InputVector in;
  gather_input(DType::kU8, ones, 0, g, 0, 128, in);
  EXPECT_EQ(in.nz.size(), 16u);
  gather_input(DType::kB1, ones, 0, g, 100, 128, in);
  EXPECT_EQ(in.nz.size(), 2u);
  EXPECT_EQ(in.nz[0], 0u);  // rows 0..15 were set by the u8 call
  EXPECT_EQ(plane_value(in, 0, 100), 1);
}

TEST(Gather, RowsPastTheCrossbarAreRejected) {
  const uint8_t mem[8] = {};
  isa::Gather g;
  g.elems = 40;
  InputVector in;
  EXPECT_THROW(gather_input(DType::kB1, mem, 0, g, 30, 64, in), std::out_of_range);
}

}  // namespace
}  // namespace imc::models
