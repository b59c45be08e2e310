// The RTL thresholder (rtl/thresholder/imc_thresholder.sv) through its transactor, against
// the TLM model (hw/models/thresholder.h): the same value for every element, ties included,
// and the cycle count of docs/platform.md for several lane counts and latencies. One
// elaboration: every transactor is built, then one driver thread runs all cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "hw/models/clock.h"
#include "hw/models/thresholder.h"
#include "rtl/thresholder_transactor.h"

namespace imc::rtl {
namespace {

using models::ThresholdEntry;
using models::ThresholdJob;

struct Config {
  int lanes;
  int latency;
  int stall_permille;  // > 0: out_ready held low at random
};

struct CaseResult {
  std::string name;
  int64_t cycles = 0, expected_cycles = 0;
  int64_t elements = 0, mismatches = 0;
  std::string first_mismatch;
  bool stalled = false;
};

arch::ChipParams chip_with(int lanes, int latency) {
  arch::ChipParams c;
  c.period_ps = 1000;
  c.tile.thresholder_lanes = lanes;
  c.tile.threshold_cycles = latency;
  return c;
}

class Driver : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Driver);
  explicit Driver(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  std::vector<std::pair<Config, ThresholderTransactor*>> blocks;
  std::vector<CaseResult> results;

 private:
  void run() {
    std::mt19937 rng(12345);
    const isa::DType types[] = {isa::DType::kB1, isa::DType::kT2, isa::DType::kI32};
    for (auto& [cfg, block] : blocks) {
      if (cfg.stall_permille > 0) block->set_output_stalls(cfg.stall_permille, 7);
      for (int round = 0; round < 12; ++round) {
        const isa::DType t = types[round % 3];
        const int64_t count = 1 + static_cast<int64_t>(rng() % 300);
        std::vector<int32_t> acc(count), out(count, 99);
        std::vector<ThresholdEntry> entries(count);
        std::uniform_int_distribution<int32_t> small(-40, 40);
        for (int64_t i = 0; i < count; ++i) {
          int32_t a = small(rng), b = small(rng);
          if (a > b) std::swap(a, b);
          entries[i] = {a, b, (rng() & 1) != 0};
          switch (rng() % 6) {  // ties and extremes as well as random sums
            case 0:
              acc[i] = a;
              break;
            case 1:
              acc[i] = b;
              break;
            case 2:
              acc[i] = (rng() & 1) ? INT32_MAX : INT32_MIN;
              break;
            default:
              acc[i] = small(rng);
          }
        }
        if (round == 11) entries[0] = {INT32_MIN, INT32_MAX, false};
        ThresholdJob job;
        job.acc = acc.data();
        job.entries = entries.data();
        job.count = count;
        job.type = t;
        CaseResult r;
        std::ostringstream name;
        name << "lanes " << cfg.lanes << " latency " << cfg.latency << " stalls "
             << cfg.stall_permille << " type " << int(t) << " count " << count;
        r.name = name.str();
        r.stalled = cfg.stall_permille > 0;
        r.cycles = block->run(job, out.data());
        r.expected_cycles = (count + cfg.lanes - 1) / cfg.lanes + cfg.latency - 1;
        r.elements = count;
        for (int64_t i = 0; i < count; ++i) {
          const int32_t want = models::requantize(acc[i], entries[i], t);
          if (out[i] != want && r.mismatches++ == 0) {
            r.first_mismatch = "element " + std::to_string(i) + ": RTL " + std::to_string(out[i]) +
                               ", TLM " + std::to_string(want);
          }
        }
        results.push_back(r);
      }
    }
  }
};

// Built once and never destroyed: Verilated models must not outlive Verilator's own statics,
// which static destruction does not order.
const std::vector<CaseResult>& results() {
  static const std::vector<CaseResult>* r = [] {
    models::Clock::use_femtoseconds();
    auto* session = new Session(SessionOptions{});
    auto* driver = new Driver("driver");
    const std::vector<Config> configs = {{1, 1, 0},  {4, 3, 0},   {64, 1, 0},
                                         {7, 16, 0}, {3, 2, 300}, {1, 5, 500}};
    for (const Config& c : configs) {
      auto* chip = new arch::ChipParams(chip_with(c.lanes, c.latency));
      const std::string name = "thr" + std::to_string(driver->blocks.size());
      driver->blocks.emplace_back(c, new ThresholderTransactor(name.c_str(), *session, *chip));
    }
    sc_core::sc_start();
    return &driver->results;
  }();
  return *r;
}

TEST(RtlThresholder, EveryElementEqualsTheTlmModel) {
  ASSERT_FALSE(results().empty());
  int64_t elements = 0;
  for (const CaseResult& r : results()) {
    EXPECT_EQ(r.mismatches, 0) << r.name << ": " << r.first_mismatch;
    elements += r.elements;
  }
  EXPECT_GT(elements, 5000);
}

TEST(RtlThresholder, CyclesEqualTheTlmFormulaWithoutBackpressure) {
  for (const CaseResult& r : results()) {
    if (!r.stalled) {
      EXPECT_EQ(r.cycles, r.expected_cycles) << r.name;
    }
  }
}

TEST(RtlThresholder, BackpressureStallsButKeepsEveryResult) {
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
