#include <gtest/gtest.h>

#include "hw/models/scoreboard.h"

namespace imc::models {
namespace {

TEST(Scoreboard, IndependentUnitsOverlap) {
  Scoreboard s(2);
  EXPECT_EQ(s.earliest_start(0, 0, bit(Store::kIbuf), bit(Store::kAcc)), 0);
  s.commit(0, 0, 10, 10, bit(Store::kIbuf), bit(Store::kAcc));
  // A second crossbar accumulating into the same accumulator does not wait for the first.
  EXPECT_EQ(s.earliest_start(1, 1, bit(Store::kIbuf), bit(Store::kAcc)), 1);
  // A busy unit does.
  EXPECT_EQ(s.earliest_start(0, 1, 0, 0), 10);
}

TEST(Scoreboard, ReadAfterWriteWaits) {
  Scoreboard s(2);
  s.commit(0, 0, 7, 7, 0, bit(Store::kIbuf));
  EXPECT_EQ(s.earliest_start(1, 2, bit(Store::kIbuf), 0), 7);
  EXPECT_EQ(s.earliest_start(1, 2, bit(Store::kObuf), 0), 2);
}

TEST(Scoreboard, WriteAfterReadAndWriteAfterWriteWaitOutsideTheAccumulator) {
  Scoreboard s(3);
  s.commit(0, 0, 5, 5, bit(Store::kAcc), bit(Store::kObuf));
  EXPECT_EQ(s.earliest_start(1, 1, 0, bit(Store::kAcc)), 5);   // WAR on acc
  EXPECT_EQ(s.earliest_start(2, 1, 0, bit(Store::kObuf)), 5);  // WAW on obuf
}

TEST(Scoreboard, BusyCyclesCountTheUnionOfOverlappingWork) {
  Scoreboard s(3);
  s.commit(0, 0, 10, 10, 0, 0);
  s.settle(1);
  s.commit(1, 5, 15, 15, 0, 0);
  s.settle(2);
  s.commit(2, 20, 25, 25, 0, 0);
  s.finish();
  EXPECT_EQ(s.busy_cycles(), 15 + 5);
  EXPECT_EQ(s.all_done(), 25);
}

TEST(Scoreboard, AUnitFarBehindItsIssueCountsEachCycleOnce) {
  // One command issued per cycle, each 19 cycles of thresholder work: the unit falls ever
  // further behind; its back-to-back work is one busy stretch of 1000 x 19 cycles.
  Scoreboard s(1);
  for (int64_t i = 0; i < 1000; ++i) {
    const int64_t start = s.earliest_start(0, i, 0, 0);
    s.commit(0, start, start + 19, start + 19, 0, 0);
    s.settle(i + 1);
  }
  s.finish();
  EXPECT_EQ(s.busy_cycles(), 19000);
  EXPECT_EQ(s.all_done(), 19000);
}

}  // namespace
}  // namespace imc::models
