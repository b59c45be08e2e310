#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

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

// Ranges: only overlapping accesses order each other.
TEST(Scoreboard, DisjointBufferRangesDoNotWait) {
  Scoreboard s(3);
  s.commit(0, 0, 9, 9, 0, Touch().add(Store::kIbuf, 0, 64));  // a LOAD into slot A
  EXPECT_EQ(s.earliest_start(1, 1, Touch().add(Store::kIbuf, 64, 128), 0), 1);  // slot B
  EXPECT_EQ(s.earliest_start(1, 1, Touch().add(Store::kIbuf, 63, 65), 0), 9);   // overlaps A
  // A write into slot B waits for neither the write nor reads of slot A.
  s.commit(1, 1, 4, 4, Touch().add(Store::kIbuf, 0, 32), 0);
  EXPECT_EQ(s.earliest_start(2, 2, 0, Touch().add(Store::kIbuf, 64, 128)), 2);
  EXPECT_EQ(s.earliest_start(2, 2, 0, Touch().add(Store::kIbuf, 16, 17)), 9);  // WAW on A
}

TEST(Scoreboard, AccumulatorRangesLetMvmsOverlapTheThresholdOfAnother) {
  Scoreboard s(3);
  s.commit(0, 0, 10, 10, 0, Touch().add(Store::kAcc, 0, 16));  // MVM into acc[0..16)
  const Touch thresh_reads = Touch().add(Store::kAcc, 0, 16);
  EXPECT_EQ(s.earliest_start(2, 1, thresh_reads, 0), 10);  // THRESH waits for its sums
  s.commit(2, 10, 12, 12, thresh_reads, Touch().add(Store::kObuf, 0, 2));
  // The next MVM into another range starts at once; into the same range, after the THRESH.
  EXPECT_EQ(s.earliest_start(1, 2, 0, Touch().add(Store::kAcc, 16, 32)), 2);
  EXPECT_EQ(s.earliest_start(1, 2, 0, Touch().add(Store::kAcc, 8, 24)), 12);
  EXPECT_EQ(s.all_done(), 12);
}

// The timelines drop accesses that ended before the issue time; starts must be exactly those
// of a plain scan over every access ever committed, on random streams.
TEST(Scoreboard, RangesAgreeWithAPlainScanOverEveryAccess) {
  struct Access {
    int store;
    int64_t lo, hi, end;
    bool write;
  };
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  for (int run = 0; run < 20; ++run) {
    Scoreboard s(4);
    std::vector<Access> all;
    std::vector<int64_t> unit_free(4, 0);
    for (int64_t issue = 0; issue < 400; ++issue) {
      Touch reads, writes;
      std::vector<Access> mine;
      for (int k = 0; k < 2; ++k) {
        const bool write = k == 1;
        if (pick(3) == 0) continue;
        const int store = pick(3);
        const int64_t lo = pick(64), hi = lo + 1 + pick(16);
        (write ? writes : reads).add(static_cast<Store>(store), lo, hi);
        mine.push_back({store, lo, hi, 0, write});
      }
      const int unit = pick(4);
      int64_t want = std::max(issue, unit_free[unit]);
      for (const Access& m : mine)
        for (const Access& a : all)
          if (a.store == m.store && a.lo < m.hi && m.lo < a.hi &&
              (m.write ? (!a.write || a.store != 2) : a.write))
            want = std::max(want, a.end);
      const int64_t start = s.earliest_start(unit, issue, reads, writes);
      ASSERT_EQ(start, want) << "run " << run << " issue " << issue;
      const int64_t end = start + 1 + pick(30);
      unit_free[unit] = std::max(unit_free[unit], end);
      s.commit(unit, start, end, end, reads, writes);
      for (Access& m : mine) all.push_back({m.store, m.lo, m.hi, end, m.write});
      s.settle(issue + 1);
    }
  }
}

}  // namespace
}  // namespace imc::models
