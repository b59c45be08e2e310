// Throughput of the backend's schedules on example networks, against an analytical lower
// bound, and the backend's compile time. Each network is compiled twice (sequential,
// pipelined), simulated over a batch by the imcsim binary (one process per simulation) and
// checked bit for bit against the naive evaluator.
// Prints one JSON object per line: {"bench", "metric", "value", "unit"}. Not a test: no time
// is asserted.
//
// Lower bound (cycles for the batch): the crossbar work of an MVM is the cycles its crossbar
// is busy (docs/platform.md: buf(bits in) + planes x steps x (read + ADC) + accumulator
// latency), summed over the MVMs one inference of a layer issues in the pipelined program (the
// mapping that runs: with shifted-kernel views, fewer MVMs than one position per MVM) and
// multiplied by the batch. The bound is the larger of
//   - the whole network's work over every crossbar of the chip, and
//   - the bottleneck layer's work over the crossbars it can use: those of the tiles it can
//     get, min(its output rows x its groups, tiles - the other layers' sequential tiles)
//     (the finest split is one output row per tile and group; every other layer keeps the
//     tiles it needs at least), and no fewer than it has in the sequential program.
// It ignores issue slots, NoC transfers and pipeline fill, so it is optimistic.
// A second bound also counts the one link between the global buffer and its router: every
// inference's input leaves the buffer through it, link_width bits a cycle (outputs come back
// through the other direction), so the batch needs at least batch x max(input, output bytes
// per inference) x 8 / link_width cycles whatever the schedule.
//
// Contention: the pipelined program is also run with `noc.contention: ignored` (every packet
// crosses the mesh as if alone); 1 - those cycles / the real ones is the share of the time
// lost to links shared by several packets.
//
// Multicast: the network is also compiled and run for the same chip with the other
// `noc.multicast` (tree: a row read by several tiles leaves its producer once; none: one
// packet per destination); multicast_speedup = cycles without / cycles with, with imcc's
// NoC-aware placement and along the snake (snake_multicast_speedup).
//
// MVM runs: both schedules are also compiled and run with `tile.sequencer.mvm_repeat` flipped
// (strided: one MVM command runs a strided run of positions on its crossbar);
// mvm_repeat_speedup and sequential_mvm_repeat_speedup = cycles with none / cycles with strided.
//
// Latency: the pipelined program is also run on a single inference.
//
// Steady state: the pipelined program is also run over twice the batch; the extra cycles per
// extra inference are the interval between inferences once the pipeline is full (fill, weight
// programming and drain cancel out), compared with the bounds per inference.
// The smallest batch within 1.3x of the bound with the link, found by simulating batches
// (the bounds grow linearly with the batch), and the ratio there; the ratio over 16 too.
//
// The default batch is 64: the bound has no fill, and a layer pipeline on a chip whose tiles
// are all busy fills in about one period per layer (the reference model: 899 cycles alone
// against 113 per inference in steady state), so over 16 the ratio measures the fill more than
// the schedule. 64 frames are about 2 s of a 30 fps sensor.
//
// Shifted kernel copies: both schedules are also compiled with imcc's --positions-per-mvm auto
// and simulated; their cycles are compared with the default programs'. The pipelined one also
// with --positions-per-mvm 1 (`*_one_position_per_mvm`, `serial_views_speedup`: what the
// default's views for u8/i8 layers give), with its energy per inference next to the default's.
//
// bench_schedule [ARCH] [BATCH] [DIR]: with DIR, also writes each network's programs
// (NAME.sequential.cmd, NAME.pipelined.cmd; NAME.shifted.*.cmd with shifted kernel copies) and
// its input (NAME.x.npy) there, to inspect a schedule with `imcsim --stats` or `--cmd-trace`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/backend/backend.h"
#include "compiler/frontend/import.h"
#include "hw/arch/load.h"
#include "hw/isa/assembler.h"
#include "hw/isa/check.h"
#include "hw/isa/npy.h"
#include "tests/compiler/backend/sim_runner.h"
#include "tests/compiler/common/naive_graph.h"
#include "tests/compiler/common/random_graph.h"

using namespace imc;
using compiler::Schedule;
using compiler::testing::GraphBuilder;
using isa::DType;

namespace {

// The batch the ratio to the bound is also printed over when the run's batch is another one.
constexpr int kShortBatch = 16;

void emit(const std::string& bench, const std::string& metric, double value, const char* unit) {
  std::printf("{\"bench\": \"%s\", \"metric\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n",
              bench.c_str(), metric.c_str(), value, unit);
  std::fflush(stdout);
}

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// Busy cycles of one MVM on its crossbar (docs/platform.md, "Cycles per command").
int64_t mvm_cycles(const arch::TileParams& t, const isa::Command& c) {
  const arch::CrossbarParams& x = t.crossbar;
  const int64_t n = c.gather.elems * c.gather.kx * c.gather.ky;
  const int bits = isa::bits_per_element(c.type);
  const int64_t planes = (c.type == DType::kU8 || c.type == DType::kI8) ? 8 : 1;
  const int64_t steps = (c.row + n - 1) / x.rows_per_step - c.row / x.rows_per_step + 1;
  const int64_t adc = x.readout == arch::Readout::kAdc
                          ? ceil_div(c.cols, x.adc.count) * x.adc.conversion_cycles
                          : 0;
  const arch::BufferParams& b = c.src.space == isa::Space::kIbuf ? t.input_buffer : t.output_buffer;
  const int64_t buf = b.access_cycles - 1 + ceil_div(n * bits, b.width_bits);
  return buf + planes * steps * (x.read_cycles + adc) + t.accumulate_cycles;
}

// Crossbar work of one inference of one tile's queue (the batch LOOP counts once).
int64_t work_per_inference(const arch::TileParams& t, const isa::TileProgram& tp) {
  std::vector<int64_t> mult{1};
  int64_t w = 0;
  for (const isa::Command& c : tp.commands) {
    if (c.op == isa::Opcode::kLoop)
      mult.push_back(mult.back() * (c.count == isa::kBatch ? 1 : c.count));
    else if (c.op == isa::Opcode::kEndLoop)
      mult.pop_back();
    else if (c.op == isa::Opcode::kMvm)
      w += mult.back() * c.reps * mvm_cycles(t, c);
  }
  return w;
}

const isa::TileProgram& program_of(const isa::Program& p, int tile) {
  const auto t = std::find_if(p.tiles.begin(), p.tiles.end(),
                              [&](const isa::TileProgram& t) { return t.tile == tile; });
  if (t == p.tiles.end()) std::abort();
  return *t;
}

struct Net {
  std::string name;
  GraphBuilder b;
};

// u8 1x28x28 -> conv3x3(16)+pool -> conv3x3(32)+pool -> dense 10.
Net cnn() {
  Net n{"cnn_28x28", GraphBuilder(21)};
  GraphBuilder& b = n.b;
  int x = b.input(DType::kU8, 28, 28, 1);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  x = b.conv(x, {32, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 7, 1, 0, DType::kI32}));
  return n;
}

// The five-layer CNN of backend_sim_test (u8 12x12).
Net cnn5() {
  Net n{"cnn5_12x12", GraphBuilder(10)};
  GraphBuilder& b = n.b;
  int x = b.input(DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 12, 1, 0, DType::kI32}));
  return n;
}

// u8 784 -> 256 -> 256 -> 10.
Net mlp() {
  Net n{"mlp_784_256_256_10", GraphBuilder(22)};
  GraphBuilder& b = n.b;
  int x = b.input(DType::kU8, 1, 1, 784);
  x = b.dense(x, 256, DType::kB1);
  x = b.dense(x, 256, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  return n;
}

bool run_schedule(const std::string& bench, const compiler::Graph& g, const arch::ChipParams& chip,
                  const std::string& arch, Schedule s, int batch, const compiler::Tensor& x,
                  const std::vector<int32_t>& want, int64_t& cycles, isa::Program& prog,
                  compiler::ShiftedKernels shifted_kernels = compiler::ShiftedKernels::kSerial,
                  std::vector<compiler::TilePart>* parts = nullptr, bool halves = true) {
  compiler::BackendOptions o;
  o.schedule = s;
  o.shifted_kernels = shifted_kernels;
  o.halves = halves;
  o.parts = parts;
  prog = compiler::compile_graph(g, chip, o);
  isa::check_program(prog, chip);
  const test::SimRun r = test::simulate(prog, arch, batch, x.values);
  if (r.status != 0) {
    std::fprintf(stderr, "%s: imcsim failed (%d): %s\n", bench.c_str(), r.status, r.err.c_str());
    return false;
  }
  cycles = r.cycles;
  return r.output == want;
}

void dump(const std::string& dir, const std::string& name, const isa::Program& seq,
          const isa::Program& pipe, const compiler::Tensor& x) {
  std::ofstream(dir + "/" + name + ".sequential.cmd") << isa::disassemble(seq);
  std::ofstream(dir + "/" + name + ".pipelined.cmd") << isa::disassemble(pipe);
  isa::write_npy_i32(dir + "/" + name + ".x.npy", x.shape, x.values);
}

void bench_net(Net n, const arch::ChipParams& chip, const std::string& arch, int batch,
               const std::string& dump_dir) {
  const compiler::Graph& g = n.b.graph();
  const compiler::Tensor x = n.b.random_input(batch);
  const std::vector<int32_t> want = compiler::testing::naive_run(g, x)[0].values;
  int64_t seq = 0, pipe = 0;
  isa::Program seq_prog, pipe_prog;
  std::vector<compiler::TilePart> seq_parts, pipe_parts;
  const bool ok_seq = run_schedule(n.name, g, chip, arch, Schedule::kSequential, batch, x, want,
                                   seq, seq_prog, compiler::ShiftedKernels::kSerial, &seq_parts);
  const bool ok_pipe =
      run_schedule(n.name, g, chip, arch, Schedule::kPipelined, batch, x, want, pipe, pipe_prog,
                   compiler::ShiftedKernels::kSerial, &pipe_parts);
  emit(n.name, "bit_exact", ok_seq && ok_pipe ? 1 : 0, "bool");
  if (!dump_dir.empty()) dump(dump_dir, n.name, seq_prog, pipe_prog, x);
  // Each layer's crossbar work: the MVMs of its tiles in the pipelined program, the mapping that
  // runs (with shifted-kernel views, less work than one position per MVM); a fused pool's tile
  // counts for its conv. The tiles a layer needs at least: its tiles in the sequential program
  // (one, or one per group and row range of a layer that needs several: a matrix larger than a
  // tile, maps larger than a buffer).
  const int64_t xbars = chip.tile.crossbars, tiles = chip.tiles();
  const size_t layers = g.layers.size();
  std::vector<int64_t> work(layers, 0), seq_tiles(layers, 0), groups(layers, 1);
  for (const compiler::TilePart& q : pipe_parts)
    if (g.layers[q.layer].kind == compiler::Layer::Kind::kMat)
      work[q.layer] += work_per_inference(chip.tile, program_of(pipe_prog, q.tile)) * batch;
  for (const compiler::TilePart& q : seq_parts) {
    ++seq_tiles[q.layer];
    groups[q.layer] = std::max<int64_t>(groups[q.layer], q.group + 1);
  }
  int64_t total = 0, bottleneck = 0, all_tiles = 0;
  for (size_t i = 0; i < layers; ++i) all_tiles += seq_tiles[i];
  for (size_t i = 0; i < layers; ++i) {
    total += work[i];
    // The finest split is one output row per tile (times its groups); the other layers keep
    // the tiles they need at least.
    const int64_t rows = g.values[g.layers[i].output()].h;
    const int64_t can = std::min(rows * groups[i], tiles - (all_tiles - seq_tiles[i]));
    bottleneck = std::max(bottleneck, ceil_div(work[i], xbars * std::max(seq_tiles[i], can)));
  }
  const int64_t bound = std::max(ceil_div(total, xbars * tiles), bottleneck);
  int64_t in_bytes = 0, out_bytes = 0;
  for (const isa::TensorDecl& t : seq_prog.inputs)
    in_bytes += isa::packed_bytes(t.type, g.values[g.input].elements());
  for (size_t k = 0; k < g.outputs.size(); ++k)
    out_bytes += isa::packed_bytes(seq_prog.outputs[k].type, g.values[g.outputs[k]].elements());
  const int64_t gb_link =
      ceil_div(batch * std::max(in_bytes, out_bytes) * 8, chip.noc.link_width_bits);
  const int64_t noc_bound = std::max(bound, gb_link);
  int64_t pipe_tiles = static_cast<int64_t>(pipe_prog.tiles.size());
  emit(n.name, "batch", batch, "inferences");
  emit(n.name, "sequential_cycles", static_cast<double>(seq), "cycles");
  emit(n.name, "pipelined_cycles", static_cast<double>(pipe), "cycles");
  emit(n.name, "pipelined_tiles", static_cast<double>(pipe_tiles), "tiles");
  emit(n.name, "lower_bound_cycles", static_cast<double>(bound), "cycles");
  emit(n.name, "sequential_over_pipelined", double(seq) / double(pipe), "ratio");
  emit(n.name, "pipelined_over_lower_bound", double(pipe) / double(bound), "ratio");
  emit(n.name, "global_buffer_link_cycles", static_cast<double>(gb_link), "cycles");
  emit(n.name, "pipelined_over_bound_with_gb_link", double(pipe) / double(noc_bound), "ratio");

  // What NoC contention costs the schedule: the same run with packets crossing as if alone.
  const test::SimRun ideal =
      test::simulate(pipe_prog, arch, batch, x.values, "--set noc.contention=ignored");
  emit(n.name, "without_contention_bit_exact", ideal.status == 0 && ideal.output == want ? 1 : 0,
       "bool");
  emit(n.name, "pipelined_cycles_without_contention", static_cast<double>(ideal.cycles), "cycles");
  emit(n.name, "contention_share", 1.0 - double(ideal.cycles) / double(pipe), "ratio");

  // What multicast gives: the network compiled for the same chip with a NoC that has it, or
  // (an arch file with multicast) without it.
  arch::ChipParams other_chip = chip;
  other_chip.noc.multicast = !chip.noc.multicast;
  const isa::Program other_prog = compiler::compile_graph(g, other_chip, {});
  const test::SimRun other = test::simulate(
      other_prog, arch, batch, x.values,
      std::string("--set noc.multicast=") + (other_chip.noc.multicast ? "tree" : "none"));
  const double tree_cycles = double(chip.noc.multicast ? pipe : other.cycles);
  const double none_cycles = double(chip.noc.multicast ? other.cycles : pipe);
  emit(n.name, "other_multicast_bit_exact", other.status == 0 && other.output == want ? 1 : 0,
       "bool");
  emit(n.name, "pipelined_cycles_multicast_tree", tree_cycles, "cycles");
  emit(n.name, "pipelined_cycles_multicast_none", none_cycles, "cycles");
  emit(n.name, "multicast_speedup", none_cycles / tree_cycles, "ratio");
  // And along the snake (imcc --placement snake), where remap's search does not move the tiles.
  compiler::BackendOptions snake;
  snake.remap = false;
  arch::ChipParams tree_chip = chip, none_chip = chip;
  tree_chip.noc.multicast = true;
  none_chip.noc.multicast = false;
  const test::SimRun snake_tree = test::simulate(compiler::compile_graph(g, tree_chip, snake), arch,
                                                 batch, x.values, "--set noc.multicast=tree");
  const test::SimRun snake_none = test::simulate(compiler::compile_graph(g, none_chip, snake), arch,
                                                 batch, x.values, "--set noc.multicast=none");
  emit(n.name, "snake_multicast_bit_exact",
       snake_tree.output == want && snake_none.output == want ? 1 : 0, "bool");
  emit(n.name, "snake_multicast_speedup", double(snake_none.cycles) / double(snake_tree.cycles),
       "ratio");

  // What a sequencer that repeats MVMs gives: both schedules compiled for the same chip with
  // `tile.sequencer.mvm_repeat` flipped, cycles with `none` over cycles with `strided`.
  arch::ChipParams rep_chip = chip;
  rep_chip.tile.mvm_repeat = !chip.tile.mvm_repeat;
  const std::string rep_set = std::string("--set tile.sequencer.mvm_repeat=") +
                              (rep_chip.tile.mvm_repeat ? "strided" : "none");
  compiler::BackendOptions seq_opt;
  seq_opt.schedule = Schedule::kSequential;
  const test::SimRun rep_pipe =
      test::simulate(compiler::compile_graph(g, rep_chip, {}), arch, batch, x.values, rep_set);
  const test::SimRun rep_seq =
      test::simulate(compiler::compile_graph(g, rep_chip, seq_opt), arch, batch, x.values, rep_set);
  emit(n.name, "other_mvm_repeat_bit_exact",
       rep_pipe.status == 0 && rep_pipe.output == want && rep_seq.output == want ? 1 : 0, "bool");
  const bool strided = chip.tile.mvm_repeat;
  emit(n.name, "pipelined_cycles_mvm_repeat_strided", double(strided ? pipe : rep_pipe.cycles),
       "cycles");
  emit(n.name, "mvm_repeat_speedup",
       strided ? double(rep_pipe.cycles) / double(pipe) : double(pipe) / double(rep_pipe.cycles),
       "ratio");
  emit(n.name, "sequential_mvm_repeat_speedup",
       strided ? double(rep_seq.cycles) / double(seq) : double(seq) / double(rep_seq.cycles),
       "ratio");

  // Latency: the pipelined program on one inference alone (fill, weight programming, drain).
  const compiler::Tensor x1 = n.b.random_input(1);
  const test::SimRun one = test::simulate(pipe_prog, arch, 1, x1.values);
  emit(n.name, "one_inference_bit_exact",
       one.status == 0 && one.output == compiler::testing::naive_run(g, x1)[0].values ? 1 : 0,
       "bool");
  emit(n.name, "one_inference_cycles", static_cast<double>(one.cycles), "cycles");

  const compiler::Tensor x2 = n.b.random_input(2 * batch);
  const test::SimRun twice = test::simulate(pipe_prog, arch, 2 * batch, x2.values);
  const bool ok_twice =
      twice.status == 0 && twice.output == compiler::testing::naive_run(g, x2)[0].values;
  emit(n.name, "steady_bit_exact", ok_twice ? 1 : 0, "bool");
  const double interval = double(twice.cycles - pipe) / batch;
  emit(n.name, "steady_cycles_per_inference", interval, "cycles");
  emit(n.name, "steady_over_lower_bound", interval / (double(bound) / batch), "ratio");
  emit(n.name, "steady_over_bound_with_gb_link", interval / (double(noc_bound) / batch), "ratio");
  emit(n.name, "energy_per_inference", twice.energy_per_inference_pj / 1000, "nJ");

  // The smallest batch within 1.3x of the bound with the link, measured: the ratio falls with
  // the batch (one inference's fill and drain, L, spread over more of them: about
  // (L + (B - 1) p) / (B b), b the bound per inference). A binary search from the batch that
  // estimate gives; 0 when the interval itself is over 1.3 b (no batch gets there) or no batch
  // up to 4096 does.
  const double b = double(noc_bound) / batch;
  auto over_bound = [&](int64_t k) {
    const compiler::Tensor xk = n.b.random_input(static_cast<int>(k));
    const test::SimRun r = test::simulate(pipe_prog, arch, static_cast<int>(k), xk.values);
    if (r.status != 0 || r.output != compiler::testing::naive_run(g, xk)[0].values)
      throw std::runtime_error(n.name + ": not bit-exact over a batch of " + std::to_string(k));
    return double(r.cycles) / (b * double(k));
  };
  int64_t within = 0;
  if (1.3 * b > interval) {
    int64_t hi = std::max<int64_t>(
        1, int64_t(std::ceil((double(one.cycles) - interval) / (1.3 * b - interval))));
    constexpr int64_t kLargest = 4096;  // beyond it, report none rather than simulate on
    while (hi < kLargest && over_bound(hi) > 1.3) hi = std::min(2 * hi, kLargest);
    if (over_bound(hi) <= 1.3) {
      int64_t lo = 0;  // over 1.3 (or nothing) at lo, within at hi
      while (hi - lo > 1) {
        const int64_t mid = (lo + hi) / 2;
        (over_bound(mid) > 1.3 ? lo : hi) = mid;
      }
      within = hi;
      emit(n.name, "pipelined_over_bound_with_gb_link_at_that_batch", over_bound(within), "ratio");
    }
  }
  emit(n.name, "batch_within_1_3x_of_bound_with_gb_link", double(within), "inferences");
  // A short batch, where one inference's fill and drain weigh most.
  if (batch != kShortBatch)
    emit(n.name, "pipelined_over_bound_with_gb_link_over_" + std::to_string(kShortBatch),
         over_bound(kShortBatch), "ratio");

  // One position per MVM (imcc --positions-per-mvm 1): the default without the views it gives
  // u8/i8 layers where tiles are short. The batch, the steady state, energy per inference.
  int64_t pipe_1 = 0;
  isa::Program pipe_1_prog;
  const bool ok_1 = run_schedule(n.name, g, chip, arch, Schedule::kPipelined, batch, x, want,
                                 pipe_1, pipe_1_prog, compiler::ShiftedKernels::kNone);
  const test::SimRun twice_1 = test::simulate(pipe_1_prog, arch, 2 * batch, x2.values);
  emit(
      n.name, "one_position_bit_exact",
      ok_1 && twice_1.status == 0 && twice_1.output == compiler::testing::naive_run(g, x2)[0].values
          ? 1
          : 0,
      "bool");
  emit(n.name, "pipelined_cycles_one_position_per_mvm", static_cast<double>(pipe_1), "cycles");
  emit(n.name, "steady_cycles_per_inference_one_position_per_mvm",
       double(twice_1.cycles - pipe_1) / batch, "cycles");
  emit(n.name, "energy_per_inference_one_position_per_mvm", twice_1.energy_per_inference_pj / 1000,
       "nJ");
  emit(n.name, "serial_views_speedup", double(pipe_1) / double(pipe), "ratio");

  // Shifted kernel copies (imcc --positions-per-mvm auto): both schedules again. The bounds
  // above count the default program's mapping (views only where it takes them).
  int64_t seq_sk = 0, pipe_sk = 0;
  isa::Program seq_sk_prog, pipe_sk_prog;
  const bool ok_sk = run_schedule(n.name, g, chip, arch, Schedule::kSequential, batch, x, want,
                                  seq_sk, seq_sk_prog, compiler::ShiftedKernels::kAll) &&
                     run_schedule(n.name, g, chip, arch, Schedule::kPipelined, batch, x, want,
                                  pipe_sk, pipe_sk_prog, compiler::ShiftedKernels::kAll);
  if (!dump_dir.empty()) dump(dump_dir, n.name + ".shifted", seq_sk_prog, pipe_sk_prog, x);
  emit(n.name, "shifted_kernels_bit_exact", ok_sk ? 1 : 0, "bool");
  emit(n.name, "sequential_cycles_shifted_kernels", static_cast<double>(seq_sk), "cycles");
  emit(n.name, "pipelined_cycles_shifted_kernels", static_cast<double>(pipe_sk), "cycles");
  emit(n.name, "sequential_speedup_shifted_kernels", double(seq) / double(seq_sk), "ratio");
  emit(n.name, "pipelined_speedup_shifted_kernels", double(pipe) / double(pipe_sk), "ratio");

  // Maps handed over whole (imcc --handover whole): the batch, one inference alone, and the
  // steady state, as above.
  int64_t pipe_w = 0;
  isa::Program pipe_w_prog;
  const bool ok_w =
      run_schedule(n.name, g, chip, arch, Schedule::kPipelined, batch, x, want, pipe_w, pipe_w_prog,
                   compiler::ShiftedKernels::kSerial, nullptr, false);
  const test::SimRun one_w = test::simulate(pipe_w_prog, arch, 1, x1.values);
  const test::SimRun twice_w = test::simulate(pipe_w_prog, arch, 2 * batch, x2.values);
  emit(n.name, "whole_handover_bit_exact",
       ok_w && one_w.status == 0 && twice_w.status == 0 &&
               one_w.output == compiler::testing::naive_run(g, x1)[0].values &&
               twice_w.output == compiler::testing::naive_run(g, x2)[0].values
           ? 1
           : 0,
       "bool");
  emit(n.name, "pipelined_cycles_whole_handover", static_cast<double>(pipe_w), "cycles");
  emit(n.name, "one_inference_cycles_whole_handover", static_cast<double>(one_w.cycles), "cycles");
  emit(n.name, "steady_cycles_per_inference_whole_handover",
       double(twice_w.cycles - pipe_w) / batch, "cycles");
}

// About 1M binary weights: b1 512 -> 4 x dense 512 (each 512x512, one tile) -> 10.
void bench_compile_time(const arch::ChipParams& chip) {
  GraphBuilder b(23);
  int x = b.input(DType::kB1, 1, 1, 512);
  for (int i = 0; i < 4; ++i) x = b.dense(x, 512, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  const compiler::Graph& g = b.graph();
  int64_t weights = 0;
  for (const compiler::Layer& l : g.layers) weights += static_cast<int64_t>(l.mat.weights.size());
  compiler::BackendOptions o;
  try {
    compiler::compile_graph(g, chip, o);
  } catch (const compiler::BackendError& e) {
    // A chip with less than 1M cells' worth of tiles (rram4x4): nothing to time.
    std::fprintf(stderr, "bench_schedule: compile_1m_weights skipped on %s: %s\n",
                 chip.name.c_str(), e.what());
    return;
  }
  const int reps = 5;
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const isa::Program p = compiler::compile_graph(g, chip, o);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, s);
    if (p.tiles.empty()) std::abort();
  }
  emit("compile_1m_weights", "weights", static_cast<double>(weights), "weights");
  emit("compile_1m_weights", "compile_graph_seconds", best, "s");
  emit("compile_1m_weights", "compile_over_1s", best / 1.0, "ratio");
}

}  // namespace

// A shipped example network (examples/NAME/model.onnx), with random inputs.
Net example(const std::string& name) {
  const std::string path = std::string(IMCSIM_SOURCE_DIR) + "/examples/" + name + "/model.onnx";
  return {name, GraphBuilder(31, compiler::import_onnx(path, {}))};
}

// bench_schedule [ARCH] [BATCH] [DIR]; ARCH relative to the repository root.
int main(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (first == "-h" || first == "--help" || argc > 4) {
    std::fprintf(argc > 4 ? stderr : stdout,
                 "usage: bench_schedule [ARCH (relative to the source tree; configs/tile8x8.yaml)] "
                 "[BATCH (64)] [DIR (write each network's programs and input there)]\n");
    return argc > 4 ? 2 : 0;
  }
  const std::string arch = argc > 1 ? argv[1] : "configs/tile8x8.yaml";
  const std::string batch_text = argc > 2 ? argv[2] : "64";
  const std::string dump_dir = argc > 3 ? argv[3] : "";
  char* end = nullptr;
  const long batch = std::strtol(batch_text.c_str(), &end, 10);
  if (*end != '\0' || batch < 1 || batch > 100000) {
    std::fprintf(stderr, "bench_schedule: BATCH must be an integer in 1..100000, not '%s'\n",
                 batch_text.c_str());
    return 2;
  }
  try {
    const arch::ChipParams chip = arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/" + arch, {});
    bench_net(cnn(), chip, arch, static_cast<int>(batch), dump_dir);
    bench_net(cnn5(), chip, arch, static_cast<int>(batch), dump_dir);
    bench_net(mlp(), chip, arch, static_cast<int>(batch), dump_dir);
    bench_net(example("bnn_cnn"), chip, arch, static_cast<int>(batch), dump_dir);
    bench_net(example("fmnist_bnn"), chip, arch, static_cast<int>(batch), dump_dir);
    bench_compile_time(chip);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_schedule: %s\n", e.what());
    return 2;
  }
  return 0;
}
