// Simulation speed of the TLM thresholder against the co-simulated RTL one (Verilated,
// behind its transactor) on the same stream of THRESH jobs, measured in the same run; then
// the same for whole imcsim runs of a THRESH-heavy program (impl tlm vs impl rtl), startup
// subtracted. Prints JSON lines {"bench", "metric", "value", "unit"}; asserts nothing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <systemc>

#include "hw/models/clock.h"
#include "hw/models/thresholder.h"
#include "rtl/thresholder_transactor.h"

using namespace imc;
using Clock = std::chrono::steady_clock;

namespace {

void emit(const char* bench, const char* metric, double value, const char* unit) {
  std::printf("{\"bench\": \"%s\", \"metric\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n", bench,
              metric, value, unit);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Stream {
  std::vector<int32_t> acc;
  std::vector<models::ThresholdEntry> entries;
  int64_t count = 1024;
  int jobs = 200;
};

class BlockBench : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(BlockBench);
  BlockBench(sc_core::sc_module_name n, rtl::ThresholderTransactor& rtl, const Stream& s)
      : sc_module(n), rtl_(rtl), s_(s) {
    SC_THREAD(run);
  }
  double tlm_s = 0, rtl_s = 0;
  int64_t checksum_tlm = 0, checksum_rtl = 0;

 private:
  void run() {
    std::vector<int32_t> out(s_.count);
    const isa::DType types[] = {isa::DType::kB1, isa::DType::kT2};
    // TLM: the tile's requantize loop, repeated until it has run long enough to time.
    int reps = 0;
    const auto t0 = Clock::now();
    do {
      for (int j = 0; j < s_.jobs; ++j) {
        for (int64_t i = 0; i < s_.count; ++i)
          out[i] = models::requantize(s_.acc[i], s_.entries[i], types[j & 1]);
        if (reps == 0) checksum_tlm += out[j % s_.count];
      }
      ++reps;
    } while (seconds_since(t0) < 0.2);
    tlm_s = seconds_since(t0) / reps;
    const auto t1 = Clock::now();
    for (int j = 0; j < s_.jobs; ++j) {
      models::ThresholdJob job;
      job.acc = s_.acc.data();
      job.entries = s_.entries.data();
      job.count = s_.count;
      job.type = types[j & 1];
      rtl_.run(job, out.data());
      checksum_rtl += out[j % s_.count];
    }
    rtl_s = seconds_since(t1);
  }
  rtl::ThresholderTransactor& rtl_;
  const Stream& s_;
};

// Whole imcsim runs: a THRESH-heavy program, `loops` times 16 THRESH of 1024 elements.
double imcsim_seconds(const std::string& dir, int loops, const std::string& sets) {
  const std::string prog = dir + "/thresh_" + std::to_string(loops) + ".cmd";
  {
    std::ofstream o(prog);
    o << ".data th type=i32 shape=1024x3\n";
    for (int i = 0; i < 1024; ++i)
      o << (i % 7) - 3 << " " << (i % 7) - 3 + i % 5 << " " << (i & 1) << "\n";
    o << ".end\n.tile 0\n  WTH data=th\n  LOOP count=" << loops << "\n";
    for (int k = 0; k < 16; ++k)
      o << "    THRESH src=acc[0] dst=obuf[0] count=1024 type=" << (k & 1 ? "t2" : "b1") << "\n";
    o << "  ENDLOOP\n  HALT\n";
  }
  const std::string cmd = std::string("'") + IMCSIM_BINARY + "' --arch '" + IMCSIM_SOURCE_DIR +
                          "/configs/tile8x8.yaml' --prog " + prog + " -q " + sets;
  const auto t = Clock::now();
  if (std::system(cmd.c_str()) != 0) return -1;
  return seconds_since(t);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const int jobs = argc > 1 ? std::atoi(argv[1]) : 100;
  models::Clock::use_femtoseconds();
  arch::ChipParams chip;  // tile8x8's thresholder: 64 lanes, 1 cycle
  chip.period_ps = 1000;
  chip.tile.thresholder_lanes = 64;
  chip.tile.threshold_cycles = 1;
  Stream s;
  s.jobs = jobs;
  std::mt19937 rng(3);
  for (int64_t i = 0; i < s.count; ++i) {
    int32_t a = static_cast<int32_t>(rng() % 2001) - 1000;
    int32_t b = static_cast<int32_t>(rng() % 2001) - 1000;
    if (a > b) std::swap(a, b);
    s.entries.push_back({a, b, (rng() & 1) != 0});
    s.acc.push_back(static_cast<int32_t>(rng() % 2001) - 1000);
  }
  rtl::Session session(rtl::SessionOptions{});
  rtl::ThresholderTransactor block("thresholder_rtl", session, chip);
  BlockBench bench("bench", block, s);
  sc_core::sc_start();
  const double elements = static_cast<double>(s.count) * s.jobs;
  emit("cosim_thresholder_block", "tlm_elements_per_s", elements / bench.tlm_s, "1/s");
  emit("cosim_thresholder_block", "rtl_elements_per_s", elements / bench.rtl_s, "1/s");
  emit("cosim_thresholder_block", "tlm_over_rtl_speed", bench.rtl_s / bench.tlm_s, "x");
  if (bench.checksum_tlm != bench.checksum_rtl)
    emit("cosim_thresholder_block", "result_mismatch", 1, "bool");

  // Whole runs; a 1-iteration run of each measures startup, which is subtracted.
  char tmpl[] = "/tmp/imcsim-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl) ? tmpl : "/tmp";
  const std::string rtl_set = "--set tile.thresholder.impl=rtl";
  // The TLM run needs many more iterations than the RTL run to rise above process startup.
  const int tlm_loops = 40000, rtl_loops = 40;
  const double tlm0 = imcsim_seconds(dir, 1, ""), tlm = imcsim_seconds(dir, tlm_loops, "");
  const double rtl0 = imcsim_seconds(dir, 1, rtl_set),
               rtl = imcsim_seconds(dir, rtl_loops, rtl_set);
  const double per_tlm = (tlm - tlm0) / (tlm_loops - 1);
  const double per_rtl = (rtl - rtl0) / (rtl_loops - 1);
  if (per_tlm <= 0 || per_rtl <= 0) {
    std::fprintf(stderr, "bench_cosim: whole runs too short to measure on this machine\n");
    return 1;
  }
  emit("cosim_imcsim_thresh", "tlm_seconds_per_iteration", per_tlm, "s");
  emit("cosim_imcsim_thresh", "rtl_seconds_per_iteration", per_rtl, "s");
  emit("cosim_imcsim_thresh", "tlm_over_rtl_speed", per_rtl / per_tlm, "x");
  std::system(("rm -rf '" + dir + "'").c_str());
  return 0;
}
