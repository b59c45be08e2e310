// The tile's co-simulation checks (tile_cosim.cpp) without Verilator: fake RTL blocks that
// compute the right values from the TLM math, optionally corrupted, stand in for the
// transactors. A wrong value or cycle count must stop the run with a fault that names the
// command, its tile and line, and the element; impl_tiles must give RTL blocks to the named
// tiles only. One platform per process (one elaboration): ctest runs each test on its own.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "hw/arch/load.h"
#include "hw/isa/assembler.h"
#include "hw/models/clock.h"
#include "hw/models/platform.h"

namespace imc::models {
namespace {

// What the fakes get wrong.
struct Corruption {
  int value_at = -1;           // add 1 to this element / column (-1: none)
  int extra_cycles = 0;        // added to the cycle count
  bool residual_only = false;  // corrupt ACCADD only
};

class FakeAccumulator : public AccumulatorRtl {
 public:
  FakeAccumulator(const arch::ChipParams& chip, Corruption c) : chip_(chip), c_(c) {}
  int64_t run(const AccumulateJob& job, int32_t* out) override {
    ++calls;
    const arch::TileParams& t = chip_.tile;
    int64_t cycles = t.accumulate_cycles;
    if (job.residual) {
      for (int64_t i = 0; i < job.count; ++i)
        out[i] = static_cast<int32_t>(static_cast<uint32_t>(job.old[i]) +
                                      static_cast<uint32_t>(job.scale) * job.src[i]);
      cycles = (job.count + t.accumulator_lanes - 1) / t.accumulator_lanes + cycles - 1;
    } else {
      const std::vector<MvmStep> steps(job.steps, job.steps + job.nsteps);
      compose_mvm(steps, job.sums, static_cast<int>(job.count), job.shift, job.accumulate, job.old,
                  out);
    }
    if (c_.residual_only && !job.residual) return cycles;
    if (c_.value_at >= 0 && c_.value_at < job.count) out[c_.value_at] += 1;
    return cycles + c_.extra_cycles;
  }
  int calls = 0;

 private:
  const arch::ChipParams& chip_;
  Corruption c_;
};

class FakeColumn : public XbarColumnRtl {
 public:
  explicit FakeColumn(Corruption c) : c_(c) {}
  int64_t run(const ColumnJob& job, int32_t* sums) override {
    ++calls;
    const std::vector<MvmStep> steps(job.steps, job.steps + job.nsteps);
    std::vector<int32_t> s;
    mvm_step_sums(*job.xbar, *job.input, steps, job.col0, job.ncols, s);
    std::copy(s.begin(), s.end(), sums);
    if (c_.value_at >= 0 && c_.value_at < job.ncols) sums[c_.value_at] += 1;  // step 0
    return job.xbar->mvm_cycles(*job.input, job.ncols) + c_.extra_cycles;
  }
  int calls = 0;

 private:
  Corruption c_;
};

const char* kProgram = R"(.data w type=t2 shape=8x4
+-0+
-+0-
++--
0+-+
+++0
--0+
+0+-
-0-+
.end
.tile 0
  WXB xb=0 data=w
  MVM xb=0 src=ibuf[0] type=b1 elems=8 cols=4 dst=acc[0]
  ACCADD dst=acc[0] src=ibuf[0] type=i8 count=4 scale=2
  HALT
.tile 1
  WXB xb=1 data=w
  MVM xb=1 src=ibuf[0] type=u8 elems=8 cols=4 dst=acc[0] shift=1
  ACCADD dst=acc[0] src=ibuf[0] type=i8 count=4 scale=2
  HALT
)";

struct Outcome {
  RunReport report;
  std::set<std::pair<int, std::string>> made;  // (tile, instance) of every fake
};

// Runs kProgram on tile8x8 with the accumulator and crossbar "RTL" in `tiles` (empty: all).
Outcome run_with(Corruption acc, Corruption column, const std::vector<int>& tiles = {}) {
  static bool ran = false;
  if (ran) {
    ADD_FAILURE() << "one platform per process: run each test alone (ctest does)";
    return {};
  }
  ran = true;
  Clock::use_femtoseconds();
  static arch::ChipParams chip = arch::load_chip(IMCSIM_SOURCE_DIR "/configs/tile8x8.yaml");
  chip.tile.accumulator_impl = chip.tile.crossbar_impl = arch::Impl::kRtl;
  chip.tile.accumulator_impl_tiles = chip.tile.crossbar_impl_tiles = tiles;
  static const isa::Program program = isa::assemble(kProgram, "cosim.cmd");
  static Outcome run;
  static RtlFactory factory;
  factory.accumulator = [acc](int tile, const std::string& name, const arch::ChipParams& c) {
    run.made.insert({tile, name});
    return std::make_unique<FakeAccumulator>(c, acc);
  };
  factory.xbar_column = [column](int tile, const std::string& name, const arch::ChipParams&) {
    run.made.insert({tile, name});
    return std::make_unique<FakeColumn>(column);
  };
  PlatformOptions o;
  o.rtl = &factory;
  static Platform* platform = new Platform("chip", chip, program, o);  // never destroyed
  run.report = platform->run();
  return run;
}

TEST(TileCosim, MatchingBlocksRunToTheEnd) {
  const Outcome r = run_with({}, {});
  ASSERT_FALSE(r.report.fault) << r.report.fault->what;
  EXPECT_GT(r.report.cycles, 0);
  // Each tile with a program: a column and a shift-and-add per crossbar, one vector adder.
  EXPECT_EQ(r.made.size(), 2u * (4 + 4 + 1));
  EXPECT_EQ(r.made.count({1, "vector_acc_rtl"}), 1u);
  EXPECT_EQ(r.made.count({0, "xbar3_column_rtl"}), 1u);
}

TEST(TileCosim, ImplTilesGivesRtlToTheNamedTilesOnly) {
  const Outcome r = run_with({}, {}, {1});
  ASSERT_FALSE(r.report.fault) << r.report.fault->what;
  for (const auto& [tile, name] : r.made) EXPECT_EQ(tile, 1) << name;
  EXPECT_EQ(r.made.size(), 4u + 4 + 1);
}

TEST(TileCosim, AWrongAccumulatorValueIsAFaultNamingTheColumn) {
  const Outcome r = run_with({2, 0}, {}, {1});
  ASSERT_TRUE(r.report.fault);
  const RunFault& f = *r.report.fault;
  EXPECT_EQ(f.tile, 1);
  EXPECT_EQ(f.line, 18);
  EXPECT_NE(f.command.find("MVM"), std::string::npos) << f.command;
  EXPECT_EQ(
      f.what.rfind("RTL accumulator differs from the TLM model at column 2 (acc entry 2): ", 0), 0u)
      << f.what;
}

TEST(TileCosim, AWrongColumnCycleCountIsAFault) {
  const Outcome r = run_with({}, {-1, 3}, {0});
  ASSERT_TRUE(r.report.fault);
  const RunFault& f = *r.report.fault;
  EXPECT_EQ(f.tile, 0);
  EXPECT_EQ(f.line, 13);
  EXPECT_EQ(f.what, "RTL crossbar columns took 4 cycles, the TLM model 1") << f.what;
}

TEST(TileCosim, AWrongColumnSumIsAFaultNamingTheStep) {
  const Outcome r = run_with({}, {1, 0}, {0});
  ASSERT_TRUE(r.report.fault);
  EXPECT_EQ(
      r.report.fault->what.rfind("RTL crossbar column differs from the TLM model at column 1, "
                                 "read step 0 (input plane 0, rows 0..7): RTL ",
                                 0),
      0u)
      << r.report.fault->what;
}

TEST(TileCosim, AWrongResidualIsAFaultNamingTheElement) {
  const Outcome r = run_with({3, 0, true}, {}, {0});  // the MVMs match, ACCADD's element 3 not
  ASSERT_TRUE(r.report.fault);
  EXPECT_EQ(r.report.fault->line, 14);
  EXPECT_EQ(
      r.report.fault->what.rfind("RTL accumulator differs from the TLM model at element 3: ", 0),
      0u)
      << r.report.fault->what;
}

}  // namespace
}  // namespace imc::models
