#include <gtest/gtest.h>

#include <vector>

#include "hw/models/critical_path.h"

namespace imc::models {
namespace {

using isa::Opcode;
using Kind = PathSegment::Kind;

// Tile 0 computes and sends to tile 1 (line 4 at cycle 10), which signals a credit back
// (line 9 at 30); tile 0 then sends again (line 6 at 41) and tile 1 finishes last, at 60.
// Blocking WAITs: tile 0 passes line 5 at 40 (released by the SIGNAL), tile 1 passes line 8 at
// 20 and line 11 at 50. The path alternates between the two through every token.
TEST(CriticalPath, FollowsTheTokensThatReleasedEachBlockingWait) {
  const std::vector<WaitRecord> t0{{5, 40, {1, 9, Opcode::kSignal, 30, 1}, 38}};
  const std::vector<WaitRecord> t1{{8, 20, {0, 4, Opcode::kSend, 10, 0}, 20},
                                   {11, 50, {0, 6, Opcode::kSend, 41, 1}, 50}};
  const std::vector<PathSegment> p = critical_path({{0, &t0, 45, 7}, {1, &t1, 60, 12}});
  ASSERT_EQ(p.size(), 7u);
  const struct {
    Kind kind;
    int64_t begin, end;
    int tile, from, line;
    Opcode op;
  } want[] = {
      {Kind::kTile, 0, 10, 0, -1, 4, Opcode::kSend},
      {Kind::kToken, 10, 20, 1, 0, 4, Opcode::kSend},
      {Kind::kTile, 20, 30, 1, -1, 9, Opcode::kSignal},
      {Kind::kToken, 30, 40, 0, 1, 9, Opcode::kSignal},
      {Kind::kTile, 40, 41, 0, -1, 6, Opcode::kSend},
      {Kind::kToken, 41, 50, 1, 0, 6, Opcode::kSend},
      {Kind::kTile, 50, 60, 1, -1, 12, Opcode::kHalt},
  };
  for (size_t k = 0; k < p.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(p[k].kind, want[k].kind);
    EXPECT_EQ(p[k].begin, want[k].begin);
    EXPECT_EQ(p[k].end, want[k].end);
    EXPECT_EQ(p[k].tile, want[k].tile);
    EXPECT_EQ(p[k].from_tile, want[k].from);
    EXPECT_EQ(p[k].line, want[k].line);
    EXPECT_EQ(p[k].op, want[k].op);
  }
  const PathShares s = path_shares(p);
  EXPECT_EQ(s.cycles, 60);  // the whole run, without gaps
  EXPECT_EQ(s.tiles.at(0), 11);
  EXPECT_EQ(s.tiles.at(1), 20);
  EXPECT_EQ(s.token_cycles, 29);
  EXPECT_EQ((s.tokens.at({0, 1})), 19);
}

// A sender's own blocking WAITs after the SEND (in program order) are not on the chain even
// when they passed before the SEND started (it waited for its data): waits_before says which.
TEST(CriticalPath, TheSendersEarlierWaitsOnly) {
  // Tile 0: WAIT line 2 passed at 5 (from tile 2), SEND line 3 issued at 6 but started at 30,
  // WAIT line 4 passed at 12 (from tile 2 too).
  const std::vector<WaitRecord> t0{{2, 5, {2, 1, Opcode::kSignal, 1, 0}, 4},
                                   {4, 12, {2, 1, Opcode::kSignal, 8, 0}, 11}};
  const std::vector<WaitRecord> t1{{7, 35, {0, 3, Opcode::kSend, 30, 1}, 35}};
  const std::vector<WaitRecord> t2;
  const std::vector<PathSegment> p =
      critical_path({{0, &t0, 40, 5}, {1, &t1, 50, 8}, {2, &t2, 9, 2}});
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[1].kind, Kind::kToken);
  EXPECT_EQ(p[1].begin, 1);  // the SIGNAL that released line 2, not line 4's
  EXPECT_EQ(p[2].begin, 5);
  EXPECT_EQ(p[2].end, 30);
  EXPECT_EQ(p[2].tile, 0);
}

TEST(CriticalPath, AWaitThatDidNotBlockIsNotALink) {
  // Tile 1 never blocked: it finished on its own work.
  const std::vector<WaitRecord> none;
  const std::vector<PathSegment> p = critical_path({{0, &none, 5, 2}, {1, &none, 90, 4}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].tile, 1);
  EXPECT_EQ(p[0].begin, 0);
  EXPECT_EQ(p[0].end, 90);
  EXPECT_EQ(p[0].line, 4);
}

TEST(CriticalPath, NoTilesNoPath) {
  EXPECT_TRUE(critical_path({}).empty());
}

}  // namespace
}  // namespace imc::models
