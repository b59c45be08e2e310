// Simulation speed on a crossbar-heavy program: binary MACs simulated per host second by
// imcsim (the whole platform: sequencers, scoreboards, energy, NoC) against a plain
// bit-packed XNOR/popcount loop doing the same arithmetic, measured in the same run.
// Prints one JSON object per line: {"bench", "metric", "value", "unit"}.
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <systemc>

#include "bench/xbar_reference.h"
#include "hw/arch/load.h"
#include "hw/models/platform.h"

using namespace imc;

namespace {

void emit(const char* metric, double value, const char* unit) {
  std::printf(
      "{\"bench\": \"crossbar_throughput\", \"metric\": \"%s\", \"value\": %.6g, \"unit\": "
      "\"%s\"}\n",
      metric, value, unit);
}

// Every crossbar of `tiles` tiles holds random ±1 weights; each tile streams `iterations`
// binary input vectors through all its crossbars, accumulating into one output.
isa::Program crossbar_heavy(const arch::ChipParams& chip, int tiles, int64_t iterations) {
  const arch::CrossbarParams& x = chip.tile.crossbar;
  std::mt19937_64 rng(7);
  isa::Program p;
  p.source_file = "bench";
  isa::DataBlock w{"w", isa::DType::kB1, x.rows, x.cols, {}};
  for (int64_t i = 0; i < x.rows * x.cols; ++i) w.values.push_back(rng() & 1 ? 1 : -1);
  p.data.push_back(w);
  for (int t = 0; t < tiles; ++t) {
    isa::TileProgram tp;
    tp.tile = t;
    for (int k = 0; k < chip.tile.crossbars; ++k) {
      isa::Command c;
      c.op = isa::Opcode::kWxb;
      c.xbar = k;
      c.data = 0;
      tp.commands.push_back(c);
    }
    isa::Command loop;
    loop.op = isa::Opcode::kLoop;
    loop.count = iterations;
    tp.commands.push_back(loop);
    for (int k = 0; k < chip.tile.crossbars; ++k) {
      isa::Command m;
      m.op = isa::Opcode::kMvm;
      m.xbar = k;
      m.src.space = isa::Space::kIbuf;
      m.src.base = (k * x.rows / 8) % 4096;
      m.type = isa::DType::kB1;
      m.gather.elems = x.rows;
      m.cols = x.cols;
      m.dst.space = isa::Space::kAcc;
      m.accumulate = k > 0;
      tp.commands.push_back(m);
    }
    isa::Command end;
    end.op = isa::Opcode::kEndLoop;
    tp.commands.push_back(end);
    isa::Command halt;
    halt.op = isa::Opcode::kHalt;
    tp.commands.push_back(halt);
    p.tiles.push_back(tp);
  }
  return p;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string arch_path = argc > 1 ? argv[1] : "configs/tile8x8.yaml";
  const int64_t iterations = argc > 2 ? std::stoll(argv[2]) : 2000;
  const arch::ChipParams chip = arch::load_chip(arch_path);
  const int tiles = chip.tiles();
  const isa::Program program = crossbar_heavy(chip, tiles, iterations);
  const arch::CrossbarParams& x = chip.tile.crossbar;
  const double mvms = static_cast<double>(tiles) * chip.tile.crossbars * iterations;
  const double macs = mvms * x.rows * x.cols;

  // imcsim: elaboration and weight programming are outside the timed region's purpose but
  // inside it all the same: a user waits for them too.
  models::Platform platform("chip", chip, program, {});
  const auto t0 = std::chrono::steady_clock::now();
  const models::RunReport report = platform.run();
  const double sim_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (report.fault) {
    std::fprintf(stderr, "bench program failed: %s\n", report.fault->what.c_str());
    return 3;
  }

  // The reference: the same MVM count over the same shapes, one crossbar's columns at a time.
  const int words = (x.rows + 63) / 64;
  std::mt19937_64 rng(11);
  std::vector<uint64_t> w(static_cast<size_t>(words) * x.cols), in(static_cast<size_t>(words) * 64);
  for (auto& v : w) v = rng();
  for (auto& v : in) v = rng();
  std::vector<int32_t> out(static_cast<size_t>(x.cols)), acc(static_cast<size_t>(x.cols), 0);
  const auto t1 = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < static_cast<int64_t>(mvms); ++i) {
    imc::bench::reference_binary_mvm(w.data(), words, x.cols, in.data() + (i % 64) * words,
                                     out.data(), x.rows);
    for (int c = 0; c < x.cols; ++c) acc[c] += out[c];
  }
  const double ref_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  volatile int32_t sink = acc[0];
  (void)sink;

  emit("simulated_cycles", static_cast<double>(report.cycles), "cycles");
  emit("imcsim_macs_per_second", macs / sim_s, "MAC/s");
  emit("reference_macs_per_second", macs / ref_s, "MAC/s");
  emit("slowdown_vs_reference", (macs / ref_s) / (macs / sim_s), "x");
  return 0;
}
