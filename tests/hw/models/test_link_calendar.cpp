#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "hw/models/link_calendar.h"

namespace imc::models {
namespace {

TEST(LinkCalendar, AFreeLinkIsTakenAtOnce) {
  LinkCalendar c;
  EXPECT_EQ(c.reserve(10, 4), 10);
  EXPECT_EQ(c.reserve(20, 4), 20);
}

TEST(LinkCalendar, APacketWaitsForTheOneOnTheLink) {
  LinkCalendar c;
  EXPECT_EQ(c.reserve(10, 4), 10);  // cycles 10..13
  EXPECT_EQ(c.reserve(12, 3), 14);
  EXPECT_EQ(c.intervals(), 1u);  // 10..16 merged
}

TEST(LinkCalendar, APacketUsesTheGapBeforeALaterReservation) {
  LinkCalendar c;
  EXPECT_EQ(c.reserve(50, 8), 50);  // a read's reply, reserved when it was requested
  EXPECT_EQ(c.reserve(10, 1), 10);  // a token long before it passes
  EXPECT_EQ(c.reserve(45, 5), 45);  // exactly fills 45..49
  EXPECT_EQ(c.reserve(44, 2), 58);  // 44..45 is not free: after the reply
  EXPECT_EQ(c.intervals(), 2u);     // 10, 44..59 (45..49, 50..57 and 58..59 merged)
}

TEST(LinkCalendar, ForgettingThePastKeepsWhatCanStillDelay) {
  LinkCalendar c;
  c.reserve(0, 5);
  c.reserve(10, 5);
  c.forget_until(5);
  EXPECT_EQ(c.intervals(), 1u);
  EXPECT_EQ(c.reserve(12, 1), 15);
}

// Against a plain cycle-by-cycle occupancy map: the first fitting gap, every time.
TEST(LinkCalendar, AgreesWithABitmapOfTakenCycles) {
  std::mt19937 rng(7);
  LinkCalendar c;
  std::vector<bool> taken(4000, false);
  for (int k = 0; k < 400; ++k) {
    const int64_t earliest = std::uniform_int_distribution<int64_t>(0, 3000)(rng);
    const int64_t n = std::uniform_int_distribution<int64_t>(1, 12)(rng);
    int64_t want = earliest;
    for (;; ++want) {
      bool free = true;
      for (int64_t t = want; t < want + n && free; ++t) free = !taken[static_cast<size_t>(t)];
      if (free) break;
    }
    ASSERT_EQ(c.reserve(earliest, n), want) << "request " << k;
    for (int64_t t = want; t < want + n; ++t) taken[static_cast<size_t>(t)] = true;
  }
}

}  // namespace
}  // namespace imc::models
