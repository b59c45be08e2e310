// Simulation speed of the TLM models against the co-simulated RTL blocks (Verilated, behind
// their transactors) on the same work, measured in the same run: block by block (the
// thresholder on THRESH jobs, the accumulator on ACCADD and MVM shift-and-add jobs, the
// crossbar columns on MVM read steps), then whole imcsim runs of a THRESH-heavy and of an
// MVM-heavy program with impl tlm against impl rtl, startup subtracted. Prints JSON lines
// {"bench", "metric", "value", "unit"}; asserts nothing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <systemc>

#include "hw/models/clock.h"
#include "hw/models/mvm_steps.h"
#include "hw/models/thresholder.h"
#include "rtl/accumulator_transactor.h"
#include "rtl/thresholder_transactor.h"
#include "rtl/xbar_column_transactor.h"

using namespace imc;
using Clock = std::chrono::steady_clock;

namespace {

void emit(const std::string& bench, const char* metric, double value, const char* unit) {
  std::printf("{\"bench\": \"%s\", \"metric\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n",
              bench.c_str(), metric, value, unit);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Seconds per call of `f`, repeated until it has run long enough to time.
double time_per_call(const std::function<void()>& f) {
  int reps = 0;
  const auto t0 = Clock::now();
  do {
    f();
    ++reps;
  } while (seconds_since(t0) < 0.2);
  return seconds_since(t0) / reps;
}

struct Ratio {
  std::string bench, unit;
  double items = 0;  // per job
  double tlm_s = 0, rtl_s = 0;
  bool same = true;  // the RTL gave the TLM's results
};

void report(const Ratio& r) {
  emit(r.bench, ("tlm_" + r.unit + "_per_s").c_str(), r.items / r.tlm_s, "1/s");
  emit(r.bench, ("rtl_" + r.unit + "_per_s").c_str(), r.items / r.rtl_s, "1/s");
  emit(r.bench, "tlm_over_rtl_speed", r.rtl_s / r.tlm_s, "x");
  if (!r.same) emit(r.bench, "result_mismatch", 1, "bool");
}

// The work of the three blocks on tile8x8's parameters, built before elaboration ends.
struct Blocks {
  arch::ChipParams chip;
  std::unique_ptr<rtl::ThresholderTransactor> thresholder;
  std::unique_ptr<rtl::AccumulatorTransactor> accumulator;
  std::unique_ptr<rtl::XbarColumnTransactor> column;
};

class BlockBench : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(BlockBench);
  BlockBench(sc_core::sc_module_name n, Blocks& b, int jobs) : sc_module(n), b_(b), jobs_(jobs) {
    SC_THREAD(run);
  }
  std::vector<Ratio> ratios;

 private:
  void run() {
    ratios.push_back(thresholder());
    ratios.push_back(accadd());
    // One u8 MVM over all 256 rows and columns of a random ternary crossbar: 8 read steps.
    const arch::CrossbarParams& p = b_.chip.tile.crossbar;
    models::CrossbarArray xb(p, 1);
    std::mt19937 rng(5);
    std::vector<int32_t> w(static_cast<size_t>(p.rows) * p.cols);
    for (int32_t& v : w) v = static_cast<int32_t>(rng() % 3) - 1;
    xb.program(0, 0, p.rows, p.cols, w.data());
    std::vector<uint8_t> x(static_cast<size_t>(p.rows));
    for (uint8_t& v : x) v = static_cast<uint8_t>(rng());
    isa::Gather g;
    g.elems = p.rows;
    models::InputVector in;
    models::gather_input(isa::DType::kU8, x.data(), 0, g, 0, p.rows, in);
    const std::vector<models::MvmStep> steps = models::mvm_steps(in, p);
    ratios.push_back(shift_and_add(xb, in, steps));
    ratios.push_back(columns(xb, in, steps));
  }

  Ratio thresholder() {
    const int64_t count = 1024;
    std::mt19937 rng(3);
    std::vector<int32_t> acc(count), out(count);
    std::vector<models::ThresholdEntry> entries(count);
    for (int64_t i = 0; i < count; ++i) {
      int32_t a = static_cast<int32_t>(rng() % 2001) - 1000;
      int32_t c = static_cast<int32_t>(rng() % 2001) - 1000;
      entries[i] = {std::min(a, c), std::max(a, c), (rng() & 1) != 0};
      acc[i] = static_cast<int32_t>(rng() % 2001) - 1000;
    }
    Ratio r{"cosim_thresholder_block", "elements", static_cast<double>(count)};
    int64_t sum_tlm = 0, sum_rtl = 0;
    r.tlm_s = time_per_call([&] {
      for (int64_t i = 0; i < count; ++i)
        out[i] = models::requantize(acc[i], entries[i], isa::DType::kT2);
      sum_tlm = out[count / 2];
    });
    models::ThresholdJob job;
    job.acc = acc.data();
    job.entries = entries.data();
    job.count = count;
    job.type = isa::DType::kT2;
    const auto t = Clock::now();
    for (int j = 0; j < jobs_; ++j) b_.thresholder->run(job, out.data());
    r.rtl_s = seconds_since(t) / jobs_;
    sum_rtl = out[count / 2];
    r.same = sum_tlm == sum_rtl;
    return r;
  }

  // ACCADD: acc[i] += scale * src[i], 1024 elements.
  Ratio accadd() {
    const int64_t count = 1024;
    std::mt19937 rng(4);
    std::vector<int32_t> old(count), src(count), tlm(count), out(count);
    for (int64_t i = 0; i < count; ++i) {
      old[i] = static_cast<int32_t>(rng() % 20001) - 10000;
      src[i] = static_cast<int32_t>(rng() % 256) - 128;
    }
    Ratio r{"cosim_accumulator_accadd_block", "elements", static_cast<double>(count)};
    r.tlm_s = time_per_call([&] {
      tlm = old;
      for (int64_t i = 0; i < count; ++i) tlm[i] += 3 * src[i];
    });
    models::AccumulateJob job;
    job.residual = true;
    job.count = count;
    job.old = old.data();
    job.src = src.data();
    job.scale = 3;
    const auto t = Clock::now();
    for (int j = 0; j < jobs_; ++j) b_.accumulator->run(job, out.data());
    r.rtl_s = seconds_since(t) / jobs_;
    r.same = out == tlm;
    return r;
  }

  // The shift-and-add of one MVM's 8 read steps over 256 columns.
  Ratio shift_and_add(const models::CrossbarArray& xb, const models::InputVector& in,
                      const std::vector<models::MvmStep>& steps) {
    const int ncols = xb.params().cols;
    std::vector<int32_t> sums, old(ncols, 0), tlm(ncols), out(ncols);
    models::mvm_step_sums(xb, in, steps, 0, ncols, sums);
    Ratio r{"cosim_accumulator_mvm_block", "columns", static_cast<double>(ncols)};
    r.tlm_s = time_per_call(
        [&] { models::compose_mvm(steps, sums.data(), ncols, 1, true, old.data(), tlm.data()); });
    models::AccumulateJob job;
    job.count = ncols;
    job.old = old.data();
    job.steps = steps.data();
    job.nsteps = static_cast<int64_t>(steps.size());
    job.sums = sums.data();
    job.shift = 1;
    job.accumulate = true;
    const auto t = Clock::now();
    for (int j = 0; j < jobs_; ++j) b_.accumulator->run(job, out.data());
    r.rtl_s = seconds_since(t) / jobs_;
    r.same = out == tlm;
    return r;
  }

  // The columns' read steps of one MVM; the TLM side is CrossbarArray::mvm itself.
  Ratio columns(const models::CrossbarArray& xb, const models::InputVector& in,
                const std::vector<models::MvmStep>& steps) {
    const int ncols = xb.params().cols;
    std::vector<int32_t> tlm(ncols), sums(steps.size() * ncols), out(ncols), old(ncols, 0);
    Ratio r{"cosim_xbar_column_block", "columns", static_cast<double>(ncols)};
    r.tlm_s = time_per_call([&] {
      models::MvmCounts counts;
      xb.mvm(in, 0, ncols, 0, false, tlm.data(), counts);
    });
    models::ColumnJob job;
    job.xbar = &xb;
    job.input = &in;
    job.steps = steps.data();
    job.nsteps = static_cast<int64_t>(steps.size());
    job.ncols = ncols;
    const int jobs = std::max(1, jobs_ / 4);
    const auto t = Clock::now();
    for (int j = 0; j < jobs; ++j) b_.column->run(job, sums.data());
    r.rtl_s = seconds_since(t) / jobs;
    models::compose_mvm(steps, sums.data(), ncols, 0, false, old.data(), out.data());
    r.same = out == tlm;
    return r;
  }

  Blocks& b_;
  const int jobs_;
};

// Whole imcsim runs of `body` repeated `loops` times in tile 0, after `setup`.
double imcsim_seconds(const std::string& dir, const std::string& name, const std::string& setup,
                      const std::string& body, int loops, const std::string& sets) {
  const std::string prog = dir + "/" + name + "_" + std::to_string(loops) + ".cmd";
  std::ofstream(prog) << setup << "  LOOP count=" << loops << "\n" << body << "  ENDLOOP\n  HALT\n";
  const std::string cmd = std::string("'") + IMCSIM_BINARY + "' --arch '" + IMCSIM_SOURCE_DIR +
                          "/configs/tile8x8.yaml' --prog " + prog + " -q " + sets;
  const auto t = Clock::now();
  if (std::system(cmd.c_str()) != 0) return -1;
  return seconds_since(t);
}

// Seconds per loop iteration with the TLM models and with `rtl_sets`; a one-iteration run of
// each measures startup, which is subtracted. The TLM run needs many more iterations to rise
// above process startup.
bool whole_runs(const std::string& dir, const std::string& bench, const std::string& setup,
                const std::string& body, int tlm_loops, int rtl_loops,
                const std::string& rtl_sets) {
  const double tlm0 = imcsim_seconds(dir, bench, setup, body, 1, "");
  const double tlm = imcsim_seconds(dir, bench, setup, body, tlm_loops, "");
  const double rtl0 = imcsim_seconds(dir, bench, setup, body, 1, rtl_sets);
  const double rtl = imcsim_seconds(dir, bench, setup, body, rtl_loops, rtl_sets);
  const double per_tlm = (tlm - tlm0) / (tlm_loops - 1);
  const double per_rtl = (rtl - rtl0) / (rtl_loops - 1);
  if (tlm0 < 0 || rtl0 < 0 || per_tlm <= 0 || per_rtl <= 0) {
    std::fprintf(stderr, "bench_cosim: %s: whole runs failed or too short to measure\n",
                 bench.c_str());
    return false;
  }
  emit(bench, "tlm_seconds_per_iteration", per_tlm, "s");
  emit(bench, "rtl_seconds_per_iteration", per_rtl, "s");
  emit(bench, "tlm_over_rtl_speed", per_rtl / per_tlm, "x");
  return true;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const int jobs = argc > 1 ? std::atoi(argv[1]) : 40;
  models::Clock::use_femtoseconds();
  Blocks b;  // tile8x8's blocks: 64 lanes, latency 1, 256x256 crossbars read in one step
  b.chip.period_ps = 1000;
  b.chip.tile.thresholder_lanes = 64;
  b.chip.tile.accumulator_lanes = 64;
  arch::CrossbarParams& p = b.chip.tile.crossbar;
  p.rows = p.cols = p.rows_per_step = 256;
  rtl::Session session(rtl::SessionOptions{});
  b.thresholder = std::make_unique<rtl::ThresholderTransactor>("thresholder_rtl", session, b.chip);
  b.accumulator = std::make_unique<rtl::AccumulatorTransactor>("accumulator_rtl", session, b.chip);
  b.column = std::make_unique<rtl::XbarColumnTransactor>("column_rtl", session, b.chip);
  BlockBench bench("bench", b, jobs);
  sc_core::sc_start();
  for (const Ratio& r : bench.ratios) report(r);

  char tmpl[] = "/tmp/imcsim-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl) ? tmpl : "/tmp";
  // THRESH-heavy: 16 THRESH of 1024 elements per iteration.
  std::string setup = ".data th type=i32 shape=1024x3\n";
  for (int i = 0; i < 1024; ++i)
    setup += std::to_string(i % 7 - 3) + " " + std::to_string(i % 7 - 3 + i % 5) + " " +
             std::to_string(i & 1) + "\n";
  setup += ".end\n.tile 0\n  WTH data=th\n";
  std::string body;
  for (int k = 0; k < 16; ++k)
    body += std::string("    THRESH src=acc[0] dst=obuf[0] count=1024 type=") +
            (k & 1 ? "t2" : "b1") + "\n";
  bool ok = whole_runs(dir, "cosim_imcsim_thresh", setup, body, 40000, 40,
                       "--set tile.thresholder.impl=rtl");
  // MVM-heavy: 8 u8 MVMs over 256 rows x 256 columns per iteration, then an ACCADD.
  std::mt19937 rng(9);
  setup = ".data w type=t2 shape=256x256\n";
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 256; ++j) setup += "+0-"[rng() % 3];
    setup += "\n";
  }
  setup += ".end\n.tile 0\n";
  for (int k = 0; k < 4; ++k) setup += "  WXB xb=" + std::to_string(k) + " data=w\n";
  body.clear();
  for (int k = 0; k < 8; ++k)
    body += "    MVM xb=" + std::to_string(k % 4) +
            " src=ibuf[0] type=u8 elems=256 cols=256 dst=acc[0] acc=1\n";
  body += "    ACCADD dst=acc[0] src=ibuf[0] type=i8 count=256 scale=3\n";
  ok &= whole_runs(dir, "cosim_imcsim_mvm", setup, body, 2000, 6,
                   "--set tile.accumulator.impl=rtl --set tile.crossbar.impl=rtl");
  std::system(("rm -rf '" + dir + "'").c_str());
  return ok ? 0 : 1;
}
