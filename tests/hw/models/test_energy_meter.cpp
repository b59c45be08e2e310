#include <gtest/gtest.h>

#include "hw/models/energy_meter.h"

namespace imc::models {
namespace {

TEST(EnergyMeter, ClassesTilesAndBinsAddUpToTheTotal) {
  EnergyMeter m(2, 10);
  m.charge(EnergyClass::kCrossbar, 0, 30.0, 5, 35);  // 1 pJ per cycle over 3 bins
  m.charge(EnergyClass::kNoc, -1, 4.0, 12, 12);
  m.finish(40, 0.25);
  EXPECT_DOUBLE_EQ(m.by_class(EnergyClass::kCrossbar), 30.0);
  EXPECT_DOUBLE_EQ(m.by_class(EnergyClass::kLeakage), 0.25 * 2 * 40);
  EXPECT_DOUBLE_EQ(m.total(), 30.0 + 4.0 + 20.0);
  EXPECT_DOUBLE_EQ(m.by_tile(0), 30.0 + 10.0);
  EXPECT_DOUBLE_EQ(m.by_tile(1), 10.0);
  ASSERT_EQ(m.bins().size(), 4u);
  const int xb = static_cast<int>(EnergyClass::kCrossbar);
  EXPECT_DOUBLE_EQ(m.bins()[0][xb], 5.0);
  EXPECT_DOUBLE_EQ(m.bins()[1][xb], 10.0);
  EXPECT_DOUBLE_EQ(m.bins()[3][xb], 5.0);
  double binned = 0;
  for (const auto& b : m.bins())
    for (double e : b) binned += e;
  EXPECT_NEAR(binned, m.total(), 1e-9);
}

// A run longer than kMaxPowerBins bins (an arch file with absurd latencies) widens the bins
// instead of allocating one per 100 cycles; nothing is lost on the way.
TEST(EnergyMeter, ALongRunWidensTheBinsAndKeepsEveryPicojoule) {
  EnergyMeter m(1, 10);
  m.charge(EnergyClass::kCrossbar, 0, 7.0, 0, 20);  // bins 0 and 1 at width 10
  m.charge(EnergyClass::kNoc, -1, 3.0, 35, 35);     // bin 3
  m.charge(EnergyClass::kCrossbar, 0, 5.0, 10 * kMaxPowerBins + 5, 10 * kMaxPowerBins + 6);
  m.finish(10 * kMaxPowerBins + 6, 0.0);
  EXPECT_EQ(m.bin_cycles(), 20);
  EXPECT_LE(static_cast<int64_t>(m.bins().size()), kMaxPowerBins);
  const int xb = static_cast<int>(EnergyClass::kCrossbar),
            noc = static_cast<int>(EnergyClass::kNoc);
  EXPECT_DOUBLE_EQ(m.bins()[0][xb], 7.0);   // old bins 0 and 1
  EXPECT_DOUBLE_EQ(m.bins()[1][noc], 3.0);  // old bin 3
  EXPECT_DOUBLE_EQ(m.bins().back()[xb], 5.0);
  EXPECT_DOUBLE_EQ(m.total(), 15.0);
}

}  // namespace
}  // namespace imc::models
