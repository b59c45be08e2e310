// imcc's MVM runs (mvm_runs.h): which MVMs become one command, and that random stretches of
// MVMs compute the same sums on imcsim fused or not.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "compiler/backend/mvm_runs.h"
#include "hw/isa/assembler.h"
#include "sim_runner.h"

namespace imc::test {
namespace {

using isa::Opcode;

isa::Command mvm(int xb, int64_t src, int64_t dst, bool acc) {
  isa::Command c;
  c.op = Opcode::kMvm;
  c.xbar = xb;
  c.src = {isa::Space::kIbuf, src, {}, {}};
  c.dst = {isa::Space::kAcc, dst, {}, {}};
  c.type = isa::DType::kB1;
  c.gather.elems = 32;
  c.cols = 32;
  c.accumulate = acc;
  return c;
}

// Two copies of a split matrix (crossbar 0 the first rows of each position, crossbar 1 the
// rest, added): the positions of each become one run, crossbar 1's after crossbar 0's.
TEST(MvmRuns, StridedMvmsOfOneCrossbarBecomeOneCommand) {
  std::vector<isa::Command> c = {mvm(0, 0, 0, false),  mvm(1, 100, 0, true),
                                 mvm(0, 4, 32, false), mvm(1, 104, 32, true),
                                 mvm(0, 8, 64, false), mvm(1, 108, 64, true)};
  compiler::fuse_mvm_runs(c);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].xbar, 0);
  EXPECT_EQ(c[1].xbar, 1);
  for (const isa::Command& r : c) {
    EXPECT_EQ(r.reps, 3);
    EXPECT_EQ(r.src_step, 4);
    EXPECT_EQ(r.dst_step, 32);
  }
  EXPECT_EQ(c[1].src.base, 100);
}

// An MVM that would move ahead of another MVM's write to its sums stays where it is: here the
// second position's sum on crossbar 1 overwrites acc[32], which crossbar 0 then adds to.
TEST(MvmRuns, AnMvmNeverMovesAheadOfAWriteToItsSums) {
  const std::vector<isa::Command> in = {mvm(0, 0, 0, true), mvm(1, 40, 32, false),
                                        mvm(0, 4, 32, true)};
  std::vector<isa::Command> c = in;
  compiler::fuse_mvm_runs(c);
  EXPECT_EQ(c, in);
  // Other commands end a stretch: nothing moves across a THRESH.
  std::vector<isa::Command> t = {mvm(0, 0, 0, false), isa::Command{}, mvm(0, 4, 32, false)};
  t[1].op = Opcode::kThresh;
  const std::vector<isa::Command> t0 = t;
  compiler::fuse_mvm_runs(t);
  EXPECT_EQ(t, t0);
}

// A stretch of 24 u8 MVMs on two crossbars, into overlapping 4-entry ranges of acc[0..16)
// with random acc flags: mostly strides (8 input bytes, 4 or 2 entries) that can form runs,
// sometimes a jump, a THRESH in the middle. The fused program must store the same sums.
std::string random_stretch(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string t =
      ".input x gb=0 shape=64 type=u8\n"
      ".output y gb=0x1000 shape=16 type=i32\n";
  for (int k = 0; k < 2; ++k) {
    t += ".data w" + std::to_string(k) + " type=b1 shape=8x4\n";
    for (int r = 0; r < 8; ++r) {
      for (int c = 0; c < 4; ++c) t += pick(2) ? '+' : '-';
      t += '\n';
    }
    t += ".end\n";
  }
  t += ".tile 0\n  WXB xb=0 data=w0\n  WXB xb=1 data=w1\n  LOOP count=batch\n"
       "    LOAD dst=ibuf[0] src=gb[0 + 64*i0] bytes=64\n";
  int src[2] = {0, 0}, dst[2] = {0, 0}, step[2] = {4, 4};
  for (int i = 0; i < 24; ++i) {
    const int xb = pick(2);
    if (pick(5) == 0) {  // a jump, and maybe a new step
      src[xb] = 8 * pick(7);
      dst[xb] = 2 * pick(7);
      step[xb] = pick(2) ? 4 : 2;
    }
    if (i == 12) t += "    THRESH src=acc[0] dst=obuf[64] count=16 type=i32\n";
    t += "    MVM xb=" + std::to_string(xb) + " src=ibuf[" + std::to_string(src[xb]) +
         "] type=u8 elems=8 cols=4 dst=acc[" + std::to_string(dst[xb]) + "]" +
         (pick(2) ? " acc=1" : "") + "\n";
    src[xb] = (src[xb] + 8) % 64;
    dst[xb] = (dst[xb] + step[xb]) % 13;
  }
  t += "    THRESH src=acc[0] dst=obuf[0] count=16 type=i32\n"
       "    STORE dst=gb[0x1000 + 64*i0] src=obuf[0] bytes=64\n"
       "  ENDLOOP\n  HALT\n";
  return t;
}

TEST(MvmRuns, RandomStretchesStoreTheSameSums) {
  int fused_away = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const isa::Program plain = isa::assemble(random_stretch(seed), "r.cmd");
    isa::Program fused = plain;
    compiler::fuse_mvm_runs(fused.tiles[0].commands);
    fused_away += static_cast<int>(plain.tiles[0].commands.size() - fused.tiles[0].commands.size());
    std::vector<int32_t> x;
    for (int k = 0; k < 128; ++k) x.push_back((k * 37 + static_cast<int>(seed)) % 256);
    const std::string strided = "--set tile.sequencer.mvm_repeat=strided";
    const SimRun a = simulate(plain, "configs/tile8x8.yaml", 2, x, strided);
    const SimRun b = simulate(fused, "configs/tile8x8.yaml", 2, x, strided);
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err << "\n" << isa::disassemble(fused);
    EXPECT_EQ(a.output, b.output) << "seed " << seed << "\n" << isa::disassemble(fused);
  }
  EXPECT_GT(fused_away, 40);  // runs did form
}

}  // namespace
}  // namespace imc::test
