// requantize: folded BatchNorm thresholds to b1/t2 activations.
#include <gtest/gtest.h>

#include "hw/models/thresholder.h"

namespace imc::models {
namespace {

using isa::DType;

ThresholdEntry entry(int32_t t0, int32_t t1 = 0, bool invert = false) {
  ThresholdEntry e;
  e.t0 = t0;
  e.t1 = t1;
  e.invert = invert;
  return e;
}

TEST(Thresholder, BinaryTieGoesUp) {
  EXPECT_EQ(requantize(5, entry(5), DType::kB1), 1);
  EXPECT_EQ(requantize(4, entry(5), DType::kB1), -1);
  EXPECT_EQ(requantize(6, entry(5), DType::kB1), 1);
  EXPECT_EQ(requantize(-3, entry(-3), DType::kB1), 1);
  EXPECT_EQ(requantize(0, entry(0), DType::kB1), 1);  // sign(0) = +1 (QONNX, Larq)
}

TEST(Thresholder, BinaryInvertFlipsTheOutput) {
  EXPECT_EQ(requantize(5, entry(5, 0, true), DType::kB1), -1);
  EXPECT_EQ(requantize(4, entry(5, 0, true), DType::kB1), 1);
}

TEST(Thresholder, TernaryThreeRegionsAndTies) {
  const ThresholdEntry e = entry(-2, 3);
  EXPECT_EQ(requantize(-10, e, DType::kT2), -1);
  EXPECT_EQ(requantize(-3, e, DType::kT2), -1);
  EXPECT_EQ(requantize(-2, e, DType::kT2), 0);  // tie at t0 goes up
  EXPECT_EQ(requantize(2, e, DType::kT2), 0);
  EXPECT_EQ(requantize(3, e, DType::kT2), 1);  // tie at t1 goes up
  EXPECT_EQ(requantize(100, e, DType::kT2), 1);
}

TEST(Thresholder, TernaryEqualThresholdsHaveNoZeroBand) {
  const ThresholdEntry e = entry(4, 4);
  EXPECT_EQ(requantize(3, e, DType::kT2), -1);
  EXPECT_EQ(requantize(4, e, DType::kT2), 1);
}

TEST(Thresholder, TernaryInvertNegates) {
  const ThresholdEntry e = entry(-2, 3, true);
  EXPECT_EQ(requantize(-3, e, DType::kT2), 1);
  EXPECT_EQ(requantize(0, e, DType::kT2), 0);
  EXPECT_EQ(requantize(3, e, DType::kT2), -1);
}

TEST(Thresholder, I32PassesThroughEvenWithInvert) {
  EXPECT_EQ(requantize(-1234, entry(0), DType::kI32), -1234);
  EXPECT_EQ(requantize(77, entry(100, 200, true), DType::kI32), 77);
  EXPECT_EQ(requantize(INT32_MIN, entry(0), DType::kI32), INT32_MIN);
}

}  // namespace
}  // namespace imc::models
