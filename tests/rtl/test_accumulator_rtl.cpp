// The RTL accumulator (rtl/accumulator/imc_accumulator.sv) through its transactor, against
// plain 64-bit reference arithmetic taken modulo 2^32: the residual add of ACCADD
// (old + scale * src) and the bit-serial shift-and-add of MVM read steps (u8 planes, the
// i8 sign plane, shift, overwrite or accumulate), with the cycle counts of
// docs/platform.md for several lane counts and latencies, and under back-pressure. One
// elaboration: every transactor is built, then one driver thread runs all cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "hw/models/clock.h"
#include "rtl/accumulator_transactor.h"

namespace imc::rtl {
namespace {

using models::AccumulateJob;
using models::MvmStep;

struct Config {
  int lanes;
  int latency;
  int stall_permille;  // > 0: out_ready held low at random
};

struct CaseResult {
  std::string name;
  bool residual = false, stalled = false;
  int64_t cycles = 0, expected_cycles = 0;
  int64_t elements = 0, mismatches = 0;
  std::string first_mismatch;
};

arch::ChipParams chip_with(int lanes, int latency) {
  arch::ChipParams c;
  c.period_ps = 1000;
  c.tile.accumulator_lanes = lanes;
  c.tile.accumulate_cycles = latency;
  return c;
}

int32_t wrap(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

// Residual: old + scale * src; the multiplication is done on 64 bits, then wrapped.
void residual_case(AccumulatorTransactor& block, const Config& cfg, std::mt19937& rng,
                   CaseResult& r) {
  const int64_t count = 1 + static_cast<int64_t>(rng() % 300);
  std::vector<int32_t> old(count), src(count), out(count, 99);
  const int32_t scales[] = {1, -1, 3, -7, 1 << 20, INT32_MIN, INT32_MAX};
  const int32_t scale = scales[rng() % 7];
  for (int64_t i = 0; i < count; ++i) {
    old[i] = rng() % 4 ? static_cast<int32_t>(rng() % 20001) - 10000 : static_cast<int32_t>(rng());
    src[i] = rng() % 5 ? static_cast<int32_t>(rng() % 384) - 128 : static_cast<int32_t>(rng());
  }
  AccumulateJob job;
  job.residual = true;
  job.count = count;
  job.old = old.data();
  job.src = src.data();
  job.scale = scale;
  r.cycles = block.run(job, out.data());
  r.expected_cycles = (count + cfg.lanes - 1) / cfg.lanes + cfg.latency - 1;
  r.elements = count;
  for (int64_t i = 0; i < count; ++i) {
    const int32_t want = wrap(int64_t{old[i]} + int64_t{scale} * src[i]);
    if (out[i] != want && r.mismatches++ == 0)
      r.first_mismatch = "element " + std::to_string(i) + ": RTL " + std::to_string(out[i]) +
                         ", reference " + std::to_string(want);
  }
}

// MVM: column j = (acc ? old[j] : 0) + 2^shift * sum_s weight_s * sums[s][j].
void mvm_case(AccumulatorTransactor& block, const Config& cfg, std::mt19937& rng, CaseResult& r) {
  const int kind = static_cast<int>(rng() % 3);  // b1/t2: 1 plane; u8; i8 (sign plane)
  const int planes = kind == 0 ? 1 : 8;
  const int groups = 1 + static_cast<int>(rng() % 4);
  std::vector<MvmStep> steps;
  for (int p = 0; p < planes; ++p) {
    for (int g = 0; g < groups; ++g) {
      MvmStep s;
      s.plane = p;
      s.weight = kind == 2 && p == 7 ? -128 : 1 << p;
      steps.push_back(s);
    }
  }
  const int64_t count = 1 + static_cast<int64_t>(rng() % 80);
  const int64_t nsteps = static_cast<int64_t>(steps.size());
  std::vector<int32_t> sums(nsteps * count), old(count), out(count, 99);
  for (int32_t& v : sums) v = static_cast<int32_t>(rng() % 513) - 256;
  for (int32_t& v : old) v = static_cast<int32_t>(rng());
  AccumulateJob job;
  job.count = count;
  job.old = old.data();
  job.steps = steps.data();
  job.nsteps = nsteps;
  job.sums = sums.data();
  job.shift = rng() % 4 ? static_cast<int>(rng() % 3) : static_cast<int>(rng() % 32);
  job.accumulate = rng() % 2 != 0;
  r.cycles = block.run(job, out.data());
  r.expected_cycles = cfg.latency;  // after the last read step
  r.elements = count;
  for (int64_t j = 0; j < count; ++j) {
    int64_t total = 0;
    for (int64_t s = 0; s < nsteps; ++s) total += int64_t{steps[s].weight} * sums[s * count + j];
    const uint64_t shifted = static_cast<uint64_t>(total) << job.shift;
    const int32_t want = wrap(static_cast<int64_t>(shifted) + (job.accumulate ? old[j] : 0));
    if (out[j] != want && r.mismatches++ == 0)
      r.first_mismatch = "column " + std::to_string(j) + ": RTL " + std::to_string(out[j]) +
                         ", reference " + std::to_string(want);
  }
}

class Driver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Driver);
  explicit Driver(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  std::vector<std::pair<Config, AccumulatorTransactor*>> blocks;
  std::vector<CaseResult> results;

 private:
  void run() {
    std::mt19937 rng(4242);
    for (auto& [cfg, block] : blocks) {
      if (cfg.stall_permille > 0) block->set_output_stalls(cfg.stall_permille, 9);
      for (int round = 0; round < 16; ++round) {
        CaseResult r;
        r.residual = round % 2 == 0;
        r.stalled = cfg.stall_permille > 0;
        if (r.residual) {
          residual_case(*block, cfg, rng, r);
        } else {
          mvm_case(*block, cfg, rng, r);
        }
        std::ostringstream name;
        name << "lanes " << cfg.lanes << " latency " << cfg.latency << " stalls "
             << cfg.stall_permille << (r.residual ? " residual" : " mvm") << " round " << round;
        r.name = name.str();
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
    const std::vector<Config> configs = {{1, 1, 0},  {4, 3, 0},   {64, 1, 0},
                                         {7, 16, 0}, {3, 2, 300}, {1, 5, 500}};
    for (const Config& c : configs) {
      auto* chip = new arch::ChipParams(chip_with(c.lanes, c.latency));
      const std::string name = "acc" + std::to_string(driver->blocks.size());
      driver->blocks.emplace_back(c, new AccumulatorTransactor(name.c_str(), *session, *chip));
    }
    sc_core::sc_start();
    return &driver->results;
  }();
  return *r;
}

TEST(RtlAccumulator, EveryResultEqualsTheReference) {
  ASSERT_FALSE(results().empty());
  int64_t residual = 0, mvm = 0;
  for (const CaseResult& r : results()) {
    EXPECT_EQ(r.mismatches, 0) << r.name << ": " << r.first_mismatch;
    (r.residual ? residual : mvm) += r.elements;
  }
  EXPECT_GT(residual, 3000);
  EXPECT_GT(mvm, 1000);
}

TEST(RtlAccumulator, CyclesEqualTheTlmFormulaWithoutBackpressure) {
  for (const CaseResult& r : results()) {
    if (!r.stalled) {
      EXPECT_EQ(r.cycles, r.expected_cycles) << r.name;
    }
  }
}

TEST(RtlAccumulator, BackpressureStallsButKeepsEveryResult) {
  int stalled_cases = 0, slower = 0;
  for (const CaseResult& r : results()) {
    if (!r.stalled) continue;
    ++stalled_cases;
    EXPECT_GE(r.cycles, r.expected_cycles) << r.name;
    if (r.cycles > r.expected_cycles) ++slower;
  }
  EXPECT_GT(stalled_cases, 0);
  EXPECT_GT(slower, 0);  // the stalls did hold the pipeline
}

}  // namespace
}  // namespace imc::rtl
