// The RTL crossbar column (rtl/xbar_column/imc_xbar_column.sv) through its transactor,
// against the TLM crossbar (CrossbarArray, step by step via mvm_step_sums): random ternary
// and binary weights, stuck-at cells, b1/t2/u8/i8 gathers with masks, several rows per step
// and read latencies; every column's every step sum must be equal, and the cycles those of
// CrossbarArray::mvm_cycles. One elaboration: every transactor is built, then one driver
// thread runs all cases.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "hw/models/clock.h"
#include "hw/models/mvm_steps.h"
#include "rtl/xbar_column_transactor.h"
#include "tests/hw/models/test_inputs.h"

namespace imc::rtl {
namespace {

using isa::DType;
using models::ColumnJob;
using models::CrossbarArray;
using models::MvmStep;

struct Config {
  int rows, cols, rows_per_step, read, cells;
  double stuck;        // stuck_at_0 = stuck_at_1 = this fraction
  int stall_permille;  // > 0: out_ready held low at random
};

struct CaseResult {
  std::string name;
  bool stalled = false;
  int64_t cycles = 0, expected_cycles = 0;
  int64_t sums = 0, mismatches = 0, nonzero = 0;
  std::string first_mismatch;
};

arch::ChipParams chip_with(const Config& c) {
  arch::ChipParams chip;
  chip.period_ps = 1000;
  arch::CrossbarParams& p = chip.tile.crossbar;
  p.rows = c.rows;
  p.cols = c.cols;
  p.rows_per_step = c.rows_per_step;
  p.cells_per_weight = c.cells;
  p.read_cycles = c.read;
  p.stuck_at_0 = p.stuck_at_1 = c.stuck;
  return chip;
}

class Driver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Driver);
  explicit Driver(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  std::vector<std::pair<Config, XbarColumnTransactor*>> blocks;
  std::vector<const arch::ChipParams*> chips;
  std::vector<CaseResult> results;

 private:
  void run() {
    std::mt19937 rng(777);
    for (size_t b = 0; b < blocks.size(); ++b) {
      auto& [cfg, block] = blocks[b];
      const arch::CrossbarParams& p = chips[b]->tile.crossbar;
      if (cfg.stall_permille > 0) block->set_output_stalls(cfg.stall_permille, 5);
      CrossbarArray xb(p, 100 + b);
      std::vector<int32_t> w(static_cast<size_t>(p.rows) * p.cols);
      for (int32_t& v : w)
        v = cfg.cells == 1 ? (rng() % 2 ? 1 : -1) : static_cast<int32_t>(rng() % 3) - 1;
      if (!xb.program(0, 0, p.rows, p.cols, w.data())) ADD_FAILURE() << "program";
      const DType types[] = {DType::kB1, DType::kT2, DType::kU8, DType::kI8};
      for (int round = 0; round < 8; ++round) {
        const DType t = types[round % 4];
        const auto tg = models::testing::random_gather(t, p.rows, rng);
        models::InputVector in;
        models::gather_input(t, tg.mem.data(), tg.addr, tg.g, tg.row0, p.rows, in);
        const std::vector<MvmStep> steps = models::mvm_steps(in, p);
        const int col0 = static_cast<int>(rng() % p.cols);
        const int ncols = 1 + static_cast<int>(rng() % (p.cols - col0));
        std::vector<int32_t> want, got(steps.size() * ncols, 12345);
        models::mvm_step_sums(xb, in, steps, col0, ncols, want);
        ColumnJob job;
        job.xbar = &xb;
        job.input = &in;
        job.steps = steps.data();
        job.nsteps = static_cast<int64_t>(steps.size());
        job.col0 = col0;
        job.ncols = ncols;
        CaseResult r;
        std::ostringstream name;
        name << "rows " << p.rows << " per step " << p.rows_per_step << " read " << p.read_cycles
             << " cells " << cfg.cells << " stuck " << cfg.stuck << " stalls " << cfg.stall_permille
             << " type " << int(t) << " steps " << steps.size() << " columns " << col0 << ".."
             << col0 + ncols - 1;
        r.name = name.str();
        r.stalled = cfg.stall_permille > 0;
        r.cycles = block->run(job, got.data());
        r.expected_cycles = xb.mvm_cycles(in, ncols);
        r.sums = static_cast<int64_t>(got.size());
        for (size_t i = 0; i < got.size(); ++i) {
          if (want[i] != 0) ++r.nonzero;
          if (got[i] != want[i] && r.mismatches++ == 0)
            r.first_mismatch = "step " + std::to_string(i / ncols) + " column " +
                               std::to_string(col0 + i % ncols) + ": RTL " +
                               std::to_string(got[i]) + ", TLM " + std::to_string(want[i]);
        }
        results.push_back(r);
      }
    }
  }
};

// Built once and never destroyed: Verilated models must not outlive Verilator's statics.
const std::vector<CaseResult>& results() {
  static const std::vector<CaseResult>* r = [] {
    models::Clock::use_femtoseconds();
    auto* session = new Session(SessionOptions{});
    auto* driver = new Driver("driver");
    const std::vector<Config> configs = {
        {256, 32, 256, 1, 2, 0, 0},   {256, 16, 64, 2, 2, 0, 0},   {100, 12, 30, 3, 2, 0.05, 0},
        {64, 20, 16, 1, 1, 0, 0},     {512, 8, 256, 16, 2, 0, 0},  {130, 9, 7, 1, 1, 0.1, 0},
        {256, 10, 100, 2, 2, 0, 300}, {48, 6, 48, 1, 2, 0.02, 500}};
    for (const Config& c : configs) {
      auto* chip = new arch::ChipParams(chip_with(c));
      driver->chips.push_back(chip);
      const std::string name = "col" + std::to_string(driver->blocks.size());
      driver->blocks.emplace_back(c, new XbarColumnTransactor(name.c_str(), *session, *chip));
    }
    sc_core::sc_start();
    return &driver->results;
  }();
  return *r;
}

TEST(RtlXbarColumn, EveryStepSumEqualsTheTlmCrossbar) {
  ASSERT_FALSE(results().empty());
  int64_t sums = 0, nonzero = 0;
  for (const CaseResult& r : results()) {
    EXPECT_EQ(r.mismatches, 0) << r.name << ": " << r.first_mismatch;
    sums += r.sums;
    nonzero += r.nonzero;
  }
  EXPECT_GT(sums, 2000);
  EXPECT_GT(nonzero, sums / 2);  // the sums are not trivially zero
}

TEST(RtlXbarColumn, CyclesEqualTheTlmCrossbarWithoutBackpressure) {
  for (const CaseResult& r : results()) {
    if (!r.stalled) {
      EXPECT_EQ(r.cycles, r.expected_cycles) << r.name;
    }
  }
}

TEST(RtlXbarColumn, BackpressureStallsButKeepsEveryResult) {
  int stalled_cases = 0, slower = 0;
  for (const CaseResult& r : results()) {
    if (!r.stalled) continue;
    ++stalled_cases;
    EXPECT_GE(r.cycles, r.expected_cycles) << r.name;
    if (r.cycles > r.expected_cycles) ++slower;
  }
  EXPECT_GT(stalled_cases, 0);
  EXPECT_GT(slower, 0);  // the stalls did hold the column
}

}  // namespace
}  // namespace imc::rtl
