// The ADC transfer function and the exactness predicate the crossbar uses to skip it.
#include <gtest/gtest.h>

#include "hw/models/crossbar_array.h"

namespace imc::models {
namespace {

arch::AdcParams adc(int bits, int full_scale) {
  arch::AdcParams a;
  a.bits = bits;
  a.full_scale = full_scale;
  return a;
}

TEST(Adc, DeltaIsFullScaleOverPositiveLevelsRoundedUp) {
  EXPECT_EQ(adc_delta(adc(5, 16)), 2);   // 16 / 15 -> 2
  EXPECT_EQ(adc_delta(adc(3, 16)), 6);   // 16 / 3 -> 6
  EXPECT_EQ(adc_delta(adc(8, 64)), 1);   // 64 / 127 -> 1 (never below 1)
  EXPECT_EQ(adc_delta(adc(8, 300)), 3);  // 300 / 127 -> 3
  EXPECT_EQ(adc_delta(adc(4, 7)), 1);    // 7 / 7
  EXPECT_EQ(adc_delta(adc(4, 8)), 2);    // 8 / 7 -> 2
}

TEST(Adc, FiveBitsFullScaleSixteenTable) {
  const arch::AdcParams a = adc(5, 16);  // delta 2
  const struct {
    double sum;
    int32_t out;
  } table[] = {
      {0, 0},    {0.99, 0},  {1, 2},    // 0.5 rounds away from zero
      {-1, -2},  {2, 2},     {2.9, 2},  // 1.45 -> 1
      {3, 4},    {-3, -4},   {3.1, 4},  // 1.5 -> 2
      {5, 6},    {-5, -6},   {14, 14},  // 2.5 -> 3
      {15, 16},  {16, 16},   {17, 16},  // 8.5 -> 9 -> 18, clipped
      {100, 16}, {-17, -16}, {-100, -16},
  };
  for (const auto& row : table) EXPECT_EQ(adc_quantize(row.sum, a), row.out) << row.sum;
}

TEST(Adc, CoarseStepRoundsToMultiplesAndClips) {
  const arch::AdcParams a = adc(3, 16);  // delta 6
  EXPECT_EQ(adc_quantize(2, a), 0);
  EXPECT_EQ(adc_quantize(3, a), 6);  // 0.5 -> 1
  EXPECT_EQ(adc_quantize(-3, a), -6);
  EXPECT_EQ(adc_quantize(9, a), 12);   // 1.5 -> 2
  EXPECT_EQ(adc_quantize(15, a), 16);  // 2.5 -> 3 -> 18, clipped to full scale
  EXPECT_EQ(adc_quantize(-15, a), -16);
}

TEST(Adc, UnitStepRoundsDoublesAndClips) {
  const arch::AdcParams a = adc(8, 64);
  EXPECT_EQ(adc_quantize(2.5, a), 3);
  EXPECT_EQ(adc_quantize(-2.5, a), -3);
  EXPECT_EQ(adc_quantize(2.49, a), 2);
  EXPECT_EQ(adc_quantize(64, a), 64);
  EXPECT_EQ(adc_quantize(70, a), 64);
  EXPECT_EQ(adc_quantize(-70, a), -64);
}

arch::CrossbarParams xbar(int rows, int rows_per_step, arch::Readout ro, int bits, int fs) {
  arch::CrossbarParams p;
  p.rows = rows;
  p.cols = 8;
  p.rows_per_step = rows_per_step;
  p.readout = ro;
  p.adc = adc(bits, fs);
  return p;
}

TEST(Adc, ExactWhenUnitStepCoversAStep) {
  using arch::Readout;
  EXPECT_TRUE(adc_is_exact(xbar(256, 64, Readout::kDigital, 0, 0)));
  EXPECT_TRUE(adc_is_exact(xbar(256, 64, Readout::kAdc, 8, 64)));
  EXPECT_FALSE(adc_is_exact(xbar(256, 64, Readout::kAdc, 8, 32)));  // a step can exceed fs
  EXPECT_FALSE(adc_is_exact(xbar(256, 64, Readout::kAdc, 6, 64)));  // delta 3
  EXPECT_TRUE(adc_is_exact(xbar(32, 64, Readout::kAdc, 8, 32)));    // a step is all 32 rows
  arch::CrossbarParams v = xbar(256, 64, Readout::kAdc, 8, 64);
  v.variation_sigma = 0.1;  // conductances alter every sum
  EXPECT_FALSE(adc_is_exact(v));
}

}  // namespace
}  // namespace imc::models
