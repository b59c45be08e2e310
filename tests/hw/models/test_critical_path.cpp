#include <gtest/gtest.h>

#include <vector>

#include "hw/models/critical_path.h"

namespace imc::models {
namespace {

using isa::Opcode;
using Kind = PathSegment::Kind;

CommandRecord cmd(int line, Opcode op, int64_t issue, int64_t start, int64_t end) {
  CommandRecord r;
  r.line = line;
  r.op = op;
  r.issue = issue;
  r.start = start;
  r.end = end;
  return r;
}

CommandRecord wait_for(int line, int64_t issue, int64_t passed, TokenOrigin from) {
  CommandRecord r = cmd(line, Opcode::kWait, issue, issue, passed);
  r.woken_by = from;
  r.woken_at = passed;
  return r;
}

// Tile 0 computes and sends to tile 1, which signals a credit back; tile 0 then sends again
// and tile 1 finishes last. The path alternates between the two through every token.
TEST(CriticalPath, FollowsTheTokensThatReleasedEachBlockingWait) {
  const std::vector<CommandRecord> t0{
      cmd(3, Opcode::kMvm, 0, 0, 10),    cmd(4, Opcode::kSend, 1, 10, 14),
      wait_for(5, 2, 40, {1, 9, 30}),    cmd(6, Opcode::kSend, 41, 41, 45),
      cmd(7, Opcode::kHalt, 42, 45, 45),
  };
  const std::vector<CommandRecord> t1{
      wait_for(8, 0, 20, {0, 4, 10}),     cmd(9, Opcode::kSignal, 21, 30, 32),
      cmd(10, Opcode::kMvm, 22, 22, 30),  wait_for(11, 23, 50, {0, 6, 41}),
      cmd(12, Opcode::kHalt, 51, 60, 60),
  };
  const std::vector<PathSegment> p = critical_path({{0, &t0}, {1, &t1}});
  ASSERT_EQ(p.size(), 7u);
  const struct {
    Kind kind;
    int64_t begin, end;
    int tile, from, line;
  } want[] = {
      {Kind::kTile, 0, 10, 0, -1, 4},   {Kind::kToken, 10, 20, 1, 0, 4},
      {Kind::kTile, 20, 30, 1, -1, 9},  {Kind::kToken, 30, 40, 0, 1, 9},
      {Kind::kTile, 40, 41, 0, -1, 6},  {Kind::kToken, 41, 50, 1, 0, 6},
      {Kind::kTile, 50, 60, 1, -1, 12},
  };
  for (size_t k = 0; k < p.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(p[k].kind, want[k].kind);
    EXPECT_EQ(p[k].begin, want[k].begin);
    EXPECT_EQ(p[k].end, want[k].end);
    EXPECT_EQ(p[k].tile, want[k].tile);
    EXPECT_EQ(p[k].from_tile, want[k].from);
    EXPECT_EQ(p[k].line, want[k].line);
  }
  EXPECT_EQ(p[1].op, Opcode::kSend);
  EXPECT_EQ(p[3].op, Opcode::kSignal);
  const PathShares s = path_shares(p);
  EXPECT_EQ(s.cycles, 60);  // the whole run, without gaps
  EXPECT_EQ(s.tiles.at(0), 11);
  EXPECT_EQ(s.tiles.at(1), 20);
  EXPECT_EQ(s.token_cycles, 29);
  EXPECT_EQ((s.tokens.at({0, 1})), 19);
}

TEST(CriticalPath, AWaitThatDidNotBlockIsNotALink) {
  // Tile 1's WAIT found its token there (no woken_by): it finished on its own work.
  std::vector<CommandRecord> t1{cmd(2, Opcode::kWait, 30, 30, 30), cmd(3, Opcode::kMvm, 31, 31, 90),
                                cmd(4, Opcode::kHalt, 32, 90, 90)};
  const std::vector<CommandRecord> t0{cmd(1, Opcode::kSend, 0, 0, 5),
                                      cmd(2, Opcode::kHalt, 1, 5, 5)};
  const std::vector<PathSegment> p = critical_path({{0, &t0}, {1, &t1}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].tile, 1);
  EXPECT_EQ(p[0].begin, 0);
  EXPECT_EQ(p[0].end, 90);
}

TEST(CriticalPath, NoTilesNoPath) {
  EXPECT_TRUE(critical_path({}).empty());
}

}  // namespace
}  // namespace imc::models
