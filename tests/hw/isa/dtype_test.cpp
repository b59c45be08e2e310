#include "hw/isa/dtype.h"

#include <gtest/gtest.h>

#include <random>

namespace imc::isa {
namespace {

TEST(DType, SizesAndNames) {
  EXPECT_EQ(bits_per_element(DType::kB1), 1);
  EXPECT_EQ(bits_per_element(DType::kT2), 2);
  EXPECT_EQ(bits_per_element(DType::kU8), 8);
  EXPECT_EQ(bits_per_element(DType::kI8), 8);
  EXPECT_EQ(bits_per_element(DType::kI32), 32);
  EXPECT_EQ(packed_bytes(DType::kB1, 0), 0);
  EXPECT_EQ(packed_bytes(DType::kB1, 1), 1);
  EXPECT_EQ(packed_bytes(DType::kB1, 8), 1);
  EXPECT_EQ(packed_bytes(DType::kB1, 9), 2);
  EXPECT_EQ(packed_bytes(DType::kT2, 5), 2);
  EXPECT_EQ(packed_bytes(DType::kU8, 7), 7);
  EXPECT_EQ(packed_bytes(DType::kI32, 3), 12);
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}) {
    EXPECT_EQ(parse_dtype(to_string(t)), t);
  }
  EXPECT_STREQ(to_string(DType::kI32), "i32");
  EXPECT_EQ(parse_dtype("B1"), std::nullopt);
  EXPECT_EQ(parse_dtype("u16"), std::nullopt);
}

TEST(DType, ValueFits) {
  EXPECT_TRUE(value_fits(DType::kB1, 1));
  EXPECT_TRUE(value_fits(DType::kB1, -1));
  EXPECT_FALSE(value_fits(DType::kB1, 0));
  EXPECT_FALSE(value_fits(DType::kB1, 2));
  EXPECT_TRUE(value_fits(DType::kT2, 0));
  EXPECT_FALSE(value_fits(DType::kT2, -2));
  EXPECT_TRUE(value_fits(DType::kU8, 255));
  EXPECT_FALSE(value_fits(DType::kU8, 256));
  EXPECT_FALSE(value_fits(DType::kU8, -1));
  EXPECT_TRUE(value_fits(DType::kI8, -128));
  EXPECT_FALSE(value_fits(DType::kI8, 128));
  EXPECT_TRUE(value_fits(DType::kI32, -2147483648LL));
  EXPECT_FALSE(value_fits(DType::kI32, 2147483648LL));
}

TEST(DType, B1PacksLsbFirstOneMeansPlusOne) {
  const std::vector<int32_t> v = {+1, -1, -1, +1, +1, +1, -1, +1, +1};
  const std::vector<uint8_t> b = pack(DType::kB1, v);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], 0b10111001);
  EXPECT_EQ(b[1], 0b00000001);
  std::vector<int32_t> back(v.size());
  unpack(DType::kB1, b.data(), 9, back.data());
  EXPECT_EQ(back, v);
}

TEST(DType, T2CodesAreNonzeroAndNegativeBits) {
  // +1 -> 01, -1 -> 11, 0 -> 00; element i at bits 2i, 2i+1.
  const std::vector<int32_t> v = {+1, -1, 0, +1, -1};
  const std::vector<uint8_t> b = pack(DType::kT2, v);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], 0b01001101);
  EXPECT_EQ(b[1], 0b00000011);
  std::vector<int32_t> back(v.size());
  unpack(DType::kT2, b.data(), 5, back.data());
  EXPECT_EQ(back, v);
}

TEST(DType, T2Code10ReadsAsZero) {
  const uint8_t b = 0b10;
  int32_t v = 7;
  unpack(DType::kT2, &b, 1, &v);
  EXPECT_EQ(v, 0);
}

TEST(DType, SubBytePackLeavesNeighbourBitsAlone) {
  uint8_t bytes[2] = {0xFF, 0xFF};
  const int32_t v[3] = {-1, +1, -1};
  pack(DType::kB1, v, 3, bytes);
  EXPECT_EQ(bytes[0], 0b11111010);
  EXPECT_EQ(bytes[1], 0xFF);
  uint8_t t[1] = {0x00};
  const int32_t w[1] = {-1};
  pack(DType::kT2, w, 1, t);
  EXPECT_EQ(t[0], 0b11);
}

TEST(DType, BytesAndWordsAreLittleEndian) {
  EXPECT_EQ(pack(DType::kU8, {0, 255, 7}), (std::vector<uint8_t>{0, 255, 7}));
  EXPECT_EQ(pack(DType::kI8, {-1, -128, 127}), (std::vector<uint8_t>{0xFF, 0x80, 0x7F}));
  EXPECT_EQ(pack(DType::kI32, {0x12345678, -2}),
            (std::vector<uint8_t>{0x78, 0x56, 0x34, 0x12, 0xFE, 0xFF, 0xFF, 0xFF}));
  const uint8_t raw[] = {0x80, 0xFF};
  int32_t v[2];
  unpack(DType::kI8, raw, 2, v);
  EXPECT_EQ(v[0], -128);
  EXPECT_EQ(v[1], -1);
  unpack(DType::kU8, raw, 2, v);
  EXPECT_EQ(v[0], 128);
  EXPECT_EQ(v[1], 255);
}

TEST(DType, RandomRoundTripEveryType) {
  std::mt19937 rng(7);
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}) {
    for (int n : {1, 3, 8, 13, 64, 100}) {
      std::vector<int32_t> v(n);
      for (int32_t& x : v) {
        switch (t) {
          case DType::kB1:
            x = rng() & 1 ? 1 : -1;
            break;
          case DType::kT2:
            x = static_cast<int32_t>(rng() % 3) - 1;
            break;
          case DType::kU8:
            x = static_cast<int32_t>(rng() % 256);
            break;
          case DType::kI8:
            x = static_cast<int32_t>(rng() % 256) - 128;
            break;
          case DType::kI32:
            x = static_cast<int32_t>(rng());
            break;
        }
      }
      const std::vector<uint8_t> b = pack(t, v);
      EXPECT_EQ(static_cast<int64_t>(b.size()), packed_bytes(t, n));
      std::vector<int32_t> back(n);
      unpack(t, b.data(), n, back.data());
      EXPECT_EQ(back, v) << to_string(t) << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace imc::isa
