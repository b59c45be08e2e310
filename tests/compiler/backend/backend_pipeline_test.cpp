// What the pipelined schedule does to keep tiles busy, checked on the programs it emits and,
// for the input passed between tiles, on imcsim against the naive evaluator.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <string>

#include "compiler/backend/backend.h"
#include "hw/isa/assembler.h"
#include "sim_check.h"
#include "tests/compiler/common/naive_graph.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::Schedule;
using compiler::testing::GraphBuilder;
using isa::Opcode;

isa::Program compile(const GraphBuilder& b, Schedule s = Schedule::kPipelined) {
  compiler::BackendOptions o;
  o.schedule = s;
  return compiler::compile_graph(b.graph(), Target{}.chip(), o);
}

// The tiles' commands before the batch LOOP, and inside it (per inference), of one kind.
struct Split {
  std::vector<isa::Command> setup, loop;
};
Split commands(const isa::Program& p, Opcode op) {
  Split s;
  for (const isa::TileProgram& t : p.tiles) {
    int depth = 0;
    for (const isa::Command& c : t.commands) {
      if (c.op == Opcode::kLoop) ++depth;
      if (c.op == Opcode::kEndLoop) --depth;
      if (c.op == op) (depth ? s.loop : s.setup).push_back(c);
    }
  }
  return s;
}

std::vector<isa::Command> commands_of(const isa::Program& p) {
  std::vector<isa::Command> v;
  for (const isa::TileProgram& t : p.tiles)
    for (const isa::Command& c : t.commands)
      if (c.op == Opcode::kMvm) v.push_back(c);
  return v;
}

GraphBuilder cnn_28x28() {
  GraphBuilder b(21);
  int x = b.input(isa::DType::kU8, 28, 28, 1);
  x = b.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  x = b.pool(x, 2, 2);
  x = b.conv(x, {32, 3, 1, 1, isa::DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 7, 1, 0, isa::DType::kI32}));
  return b;
}

// The first layer is cut into one output row per tile; each reads three input rows. The
// global buffer's link would carry every row three times: instead each row is LOADed once
// and the tiles pass the rows their neighbours read on.
TEST(Pipeline, InputRowsCrossTheGlobalBufferLinkOnce) {
  const GraphBuilder b = cnn_28x28();
  const isa::Program pipe = compile(b);
  int64_t loaded = 0;
  for (const isa::Command& c : commands(pipe, Opcode::kLoad).loop) loaded += c.bytes;
  EXPECT_EQ(loaded, 28 * 28);
  int64_t sequential = 0;
  for (const isa::Command& c : commands(compile(b, Schedule::kSequential), Opcode::kLoad).loop)
    sequential += c.bytes;
  EXPECT_EQ(sequential, 28 * 28);  // one tile per layer loads the whole image
}

// The bottleneck greedy adds tiles to a layer only where they shorten its busiest tile: a
// layer of h output rows on k tiles is never cut into more parts than ceil(h / rows) needs
// (28 rows on 25 tiles would leave three tiles two rows, as slow as 14 tiles).
TEST(Pipeline, SplitsGiveTheBusiestTileFewerRows) {
  const std::string d = dumped(cnn_28x28(), "place");
  std::istringstream lines(d);
  int layers = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("mat ", 0) != 0 && line.rfind("maxpool ", 0) != 0) continue;
    ++layers;
    std::vector<int64_t> rows;
    for (size_t at = line.find("(rows "); at != std::string::npos;
         at = line.find("(rows ", at + 1)) {
      const int64_t lo = std::stoll(line.substr(at + 6));
      const int64_t hi = std::stoll(line.substr(line.find("..", at) + 2));
      rows.push_back(hi - lo + 1);
    }
    if (rows.size() < 2) continue;
    const int64_t k = static_cast<int64_t>(rows.size()),
                  h = std::accumulate(rows.begin(), rows.end(), int64_t{0});
    EXPECT_GT((h + k - 2) / (k - 1), (h + k - 1) / k) << line;
    EXPECT_EQ(*std::max_element(rows.begin(), rows.end()), (h + k - 1) / k) << line;
  }
  EXPECT_EQ(layers, 5);
}

// The chunks each LOADed once: the 28x28 image's 784 bytes are the global buffer link's
// bottleneck whatever the chunk, so chunks of 4 rows (112 B, 14 flits: headers cost little);
// the 12x12 image of a 5-layer CNN leaves the link idle most of the time, so chunks of 2 rows
// (24 B, 3 flits), each loader feeding few tiles. Both bit-exact.
std::set<int64_t> loop_load_sizes(const isa::Program& p) {
  std::set<int64_t> sizes;
  for (const isa::Command& c : commands(p, Opcode::kLoad).loop) sizes.insert(c.bytes);
  return sizes;
}
TEST(Pipeline, InputChunksAreAsSmallAsTheGlobalBufferLinkAllows) {
  EXPECT_EQ(loop_load_sizes(compile(cnn_28x28())), std::set<int64_t>{112});
  GraphBuilder c(10);
  int y = c.input(isa::DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) y = c.conv(y, {16, 3, 1, 1, isa::DType::kB1});
  c.output(c.conv(y, {10, 12, 1, 0, isa::DType::kI32}));
  const isa::Program p = compile(c);
  EXPECT_EQ(loop_load_sizes(p), std::set<int64_t>{24});
  int64_t loaded = 0;
  for (const isa::Command& l : commands(p, Opcode::kLoad).loop) loaded += l.bytes;
  EXPECT_EQ(loaded, 12 * 12);
  check(c, Schedule::kPipelined);
}

// remap moves the tile programs to the mesh tiles that spread their traffic: the same
// programs on other tiles (but for their SENDs: which consumers one multicast reaches depends
// on where they are), the same outputs, fewer cycles (the first layer's 28 tiles pass input
// rows around and share the global buffer's link with them; on the snake they queue on row 0).
TEST(Pipeline, RemapSpreadsNocTrafficWithTheSameOutputs) {
  GraphBuilder b = cnn_28x28();
  compiler::BackendOptions o;
  const isa::Program noc = compiler::compile_graph(b.graph(), Target{}.chip(), o);
  o.remap = false;
  const isa::Program snake = compiler::compile_graph(b.graph(), Target{}.chip(), o);
  ASSERT_EQ(noc.tiles.size(), snake.tiles.size());
  std::set<int> used;
  bool moved = false;
  auto not_sends = [](const isa::TileProgram& t) {
    return std::count_if(t.commands.begin(), t.commands.end(),
                         [](const isa::Command& c) { return c.op != Opcode::kSend; });
  };
  for (size_t k = 0; k < noc.tiles.size(); ++k) {
    EXPECT_EQ(not_sends(noc.tiles[k]), not_sends(snake.tiles[k]));
    used.insert(noc.tiles[k].tile);
    moved |= noc.tiles[k].tile != snake.tiles[k].tile;
  }
  EXPECT_EQ(used.size(), noc.tiles.size());  // one program per tile
  EXPECT_TRUE(moved);
  const int n = 8;
  const compiler::Tensor x = b.random_input(n);
  const std::vector<int32_t> want = compiler::testing::naive_run(b.graph(), x)[0].values;
  const SimRun a = simulate(noc, Target{}.arch, n, x.values);
  const SimRun c = simulate(snake, Target{}.arch, n, x.values);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(a.output, want);
  EXPECT_EQ(c.output, want);
  // 1154 vs 1269 cycles (1151 vs 1288 before one-pixel layers took row groups).
  EXPECT_LT(a.cycles * 100, c.cycles * 95) << a.cycles << " vs " << c.cycles;  // >5% faster
}

// A row of a 3x3 conv's input is read by three output rows. On a NoC that multicasts, the
// producer sends it once to the parts computing them (`mcast`), and each consumer part WAITs
// for as many packets as reach it; without multicast, one SEND per reader. The 5-layer CNN's
// convolutions are one output row per tile: every inner row leaves its producer once, not
// three times, and the outputs are the same.
TEST(Pipeline, ARowReadBySeveralPartsLeavesItsProducerOnce) {
  GraphBuilder b(10);
  int x = b.input(isa::DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) x = b.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 12, 1, 0, isa::DType::kI32}));
  Target tree, none;  // tile8x8 with and without multicast
  tree.sets.push_back(arch::parse_override("noc.multicast=tree"));
  none.sets.push_back(arch::parse_override("noc.multicast=none"));
  // Bytes SENT per inference from the producers' output buffers, and delivered.
  auto traffic = [](const isa::Program& p, int64_t& sent, int64_t& delivered, int& multicasts) {
    sent = delivered = multicasts = 0;
    for (const isa::Command& c : commands(p, Opcode::kSend).loop) {
      if (c.src.space != isa::Space::kObuf) continue;  // input rows passed between loaders
      sent += c.bytes;
      delivered += c.bytes * (1 + __builtin_popcount(c.mcast));
      multicasts += c.mcast != 0;
    }
  };
  int64_t sent = 0, delivered = 0, sent1 = 0, delivered1 = 0;
  int multicasts = 0, multicasts1 = 0;
  traffic(compiler::compile_graph(b.graph(), tree.chip(), {}), sent, delivered, multicasts);
  traffic(compiler::compile_graph(b.graph(), none.chip(), {}), sent1, delivered1, multicasts1);
  EXPECT_EQ(multicasts1, 0);
  EXPECT_GT(multicasts, 0);
  EXPECT_EQ(delivered, delivered1);  // every reader gets the same rows
  // Three convs hand 12 rows of 24 bytes on, each to 3 readers but the edge rows (2): 34 row
  // deliveries per map, or 12 multicasts. Then 12 rows into the classifier's two row groups
  // (6 each), and its contributor's 10 int32 partial sums to its owner.
  EXPECT_EQ(delivered1, 3 * 34 * 24 + 12 * 24 + 40);
  EXPECT_EQ(sent, 3 * 12 * 24 + 12 * 24 + 40);
  check(b, Schedule::kPipelined, tree);
  check(b, Schedule::kPipelined, none);
  // Placed along the snake (no remap, whose search lands elsewhere for each, within a few
  // percent either way), the tiles are where they were and multicast is faster: 706 vs 764.
  compiler::BackendOptions snake;
  snake.remap = false;
  const compiler::Tensor x8 = b.random_input(8);
  const SimRun with = simulate(compiler::compile_graph(b.graph(), tree.chip(), snake),
                               Target{}.arch, 8, x8.values, tree.extra());
  const SimRun without = simulate(compiler::compile_graph(b.graph(), none.chip(), snake),
                                  Target{}.arch, 8, x8.values, none.extra());
  ASSERT_EQ(with.status, 0) << with.err;
  ASSERT_EQ(without.status, 0) << without.err;
  EXPECT_EQ(with.output, without.output);
  EXPECT_LT(with.cycles * 105, without.cycles * 100) << with.cycles << " vs " << without.cycles;
}

TEST(Pipeline, InputRowsPassedBetweenTilesAreBitExact) {
  GraphBuilder b = cnn_28x28();
  check(b, Schedule::kPipelined);
}

// The input rows a loader passes on are multicast too: the 28x28 image's loaders pass 1708
// bytes per image to the other first-layer tiles in 27 SENDs instead of 33 (a row read by
// two tiles besides its loader leaves once), and the outputs are the same.
TEST(Pipeline, InputRowsPassedOnAreMulticast) {
  GraphBuilder b = cnn_28x28();
  Target tree, none;
  tree.sets.push_back(arch::parse_override("noc.multicast=tree"));
  none.sets.push_back(arch::parse_override("noc.multicast=none"));
  // SENDs from the input buffer (input rows passed on), and the rows they deliver.
  auto passed = [](const isa::Program& p, int& sends, int64_t& delivered) {
    sends = 0;
    delivered = 0;
    for (const isa::Command& c : commands(p, Opcode::kSend).loop) {
      if (c.src.space != isa::Space::kIbuf) continue;
      ++sends;
      delivered += c.bytes * (1 + __builtin_popcount(c.mcast));
    }
  };
  int sends = 0, sends1 = 0;
  int64_t delivered = 0, delivered1 = 0;
  passed(compiler::compile_graph(b.graph(), tree.chip(), {}), sends, delivered);
  passed(compiler::compile_graph(b.graph(), none.chip(), {}), sends1, delivered1);
  EXPECT_EQ(delivered, delivered1);
  EXPECT_LT(sends, sends1);
  check(b, Schedule::kPipelined, tree);
}

// On a chip whose sequencer repeats MVMs, both schedules stay bit-exact with runs of MVMs, and
// the pipelined program issues fewer MVM commands for the same MVMs.
TEST(Pipeline, MvmRunsKeepTheOutputsAndIssueFewerCommands) {
  GraphBuilder b = cnn_28x28();
  Target strided, none;
  strided.sets.push_back(arch::parse_override("tile.sequencer.mvm_repeat=strided"));
  none.sets.push_back(arch::parse_override("tile.sequencer.mvm_repeat=none"));
  auto count = [](const isa::Program& p, int64_t& commands, int64_t& mvms, int& longest) {
    commands = mvms = longest = 0;
    for (const isa::Command& c : commands_of(p)) {
      ++commands;
      mvms += c.reps;
      longest = std::max(longest, c.reps);
    }
  };
  int64_t cmds = 0, mvms = 0, cmds1 = 0, mvms1 = 0;
  int longest = 0, longest1 = 0;
  count(compiler::compile_graph(b.graph(), strided.chip(), {}), cmds, mvms, longest);
  count(compiler::compile_graph(b.graph(), none.chip(), {}), cmds1, mvms1, longest1);
  EXPECT_EQ(longest1, 1);
  EXPECT_GT(longest, 1);
  EXPECT_LT(cmds, cmds1);
  EXPECT_LT(cmds * 3, mvms * 2);  // 511 commands for 987 MVMs when written
  check(b, Schedule::kPipelined, strided);
  check(b, Schedule::kSequential, strided);
}

// Triple buffering of the network input: inference n's input map lands in and is read from
// slot n % 3 (address rotation, no copy), so a prefetch two ahead never waits for the reads
// of the inference being computed. It is prefetched one inference ahead (LOADs of inference 0
// into slot 0 before the batch loop, of inference i0 + 1 into slot (i0 + 1) % 3 inside it,
// `notlast=1`), or two by the tiles that pass input rows on (inference 1 into slot 1 before
// the loop, `notlast=1`; i0 + 2 into slot (i0 + 2) % 3 inside it, `notlast=2`).
TEST(Pipeline, InputsRotateOverThreeSlotsAndArePrefetched) {
  const isa::Program pipe = compile(cnn_28x28());
  EXPECT_TRUE(commands(pipe, Opcode::kCopy).loop.empty());
  const Split loads = commands(pipe, Opcode::kLoad);
  ASSERT_FALSE(loads.setup.empty());
  const int64_t stride = pipe.inputs[0].stride;
  std::set<int64_t> ahead_before, ahead_in;          // inferences ahead: before the loop, in it
  std::map<int64_t, std::set<int64_t>> setup_slots;  // inferences ahead -> ibuf addresses
  for (const isa::Command& c : loads.setup) {
    const int64_t ahead = c.src.base / stride;
    ahead_before.insert(ahead);
    EXPECT_EQ(c.not_last, ahead);
    EXPECT_EQ(c.dst.rot.depth, -1);
    setup_slots[ahead].insert(c.dst.base);
  }
  for (const isa::Command& c : loads.loop) {
    const int64_t ahead = c.src.base / stride;
    ahead_in.insert(ahead);
    EXPECT_EQ(c.not_last, ahead);
    EXPECT_EQ(c.src.stride[0], stride);
    EXPECT_EQ(c.dst.rot.depth, 0);
    EXPECT_EQ(c.dst.rot.period, 3);
    EXPECT_EQ(c.dst.rot.offset, ahead);
    EXPECT_GT(c.dst.rot.stride, 0);
    if (ahead == 2) {  // inference 2 lands in the third slot, past those of inferences 0 and 1
      const int64_t third = c.dst.base + 2 * c.dst.rot.stride;
      EXPECT_TRUE(setup_slots[1].count(third - c.dst.rot.stride)) << third;
    }
  }
  EXPECT_EQ(ahead_before, (std::set<int64_t>{0, 1}));
  EXPECT_EQ(ahead_in, (std::set<int64_t>{2}));  // every loader passes rows on
  // A dense network's one input tile passes nothing on: one ahead.
  GraphBuilder mlp(5);
  mlp.output(mlp.dense(mlp.dense(mlp.input(isa::DType::kU8, 1, 1, 64), 32, isa::DType::kB1), 10,
                       isa::DType::kI32));
  const Split dense = commands(compile(mlp), Opcode::kLoad);
  ASSERT_EQ(dense.setup.size(), 1u);
  ASSERT_EQ(dense.loop.size(), 1u);
  EXPECT_EQ(dense.setup[0].not_last, 0);
  EXPECT_EQ(dense.loop[0].not_last, 1);
  EXPECT_EQ(dense.loop[0].dst.rot.offset, 1);
  check(mlp, Schedule::kPipelined, {}, 1);
  int rotated_reads = 0;
  for (const isa::Command& c : commands(pipe, Opcode::kMvm).loop)
    if (c.src.rot.depth == 0 && c.src.rot.period == 3) {
      EXPECT_EQ(c.src.rot.offset, 0);
      ++rotated_reads;
    }
  EXPECT_GT(rotated_reads, 0);
  // The sequential baseline does neither.
  const isa::Program seq = compile(cnn_28x28(), Schedule::kSequential);
  EXPECT_TRUE(commands(seq, Opcode::kLoad).setup.empty());
  for (const isa::Command& c : commands(seq, Opcode::kMvm).loop) EXPECT_EQ(c.src.rot.depth, -1);
}

// A prefetch needs only its slot, which an earlier inference's compute freed. One inference
// ahead, in the batch loop it comes before every WAIT. Two ahead (the tiles that pass input rows
// on: the 5-layer CNN's first-layer loaders pass rows to each other): with three input slots,
// when the input crosses the global buffer's link faster than the tile computes, at the top of
// the iteration, before the compute, into the slot of inference i0 - 1 (after the compute, it
// waited behind the readers' credits and then held up the rows passed on: bnn_cnn 44.5 -> 40.0
// cycles per inference, the 5-layer CNN 35.1 -> 32.9); else (two slots: an input buffer
// without room for a third; or a slow link), right after the tile's compute and credit SIGNALs (a
// SIGNAL would wait for it), before the output hand-over, whose WAIT for credits used to hold up
// the next inference's LOAD and so every tile waiting for the rows: 41.7 -> 38.6. With a semaphore
// per slot or one per edge (too few semaphores). Bit-exact: InputRowsPassedBetweenTilesAreBitExact,
// DoubleBufferedSlotsHaveASemaphoreEach, and bench_schedule's networks.
TEST(Pipeline, ThePrefetchGoesAheadOfTheWaits) {
  GraphBuilder cnn5(10);
  int x = cnn5.input(isa::DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) x = cnn5.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  cnn5.output(cnn5.conv(x, {10, 12, 1, 0, isa::DType::kI32}));
  Target few, two_slots;
  few.sets.push_back(arch::parse_override("tile.semaphores=6"));
  // 416 bytes: two 144-byte input maps, not three.
  two_slots.sets.push_back(arch::parse_override("tile.input_buffer.capacity=416B"));
  // 16-bit links: the 144-byte image takes 72 cycles to leave the global buffer, longer than a
  // first-layer tile computes; its LOAD at the top would hold up the tile's credit SIGNALs.
  Target slow_link;
  slow_link.sets.push_back(arch::parse_override("noc.link_width=16bit"));
  auto is = [](Opcode op) { return [op](const isa::Command& c) { return c.op == op; }; };
  const std::vector<Target> targets = {Target{}, few, two_slots, slow_link};
  for (size_t k = 0; k < targets.size(); ++k) {
    const Target& t = targets[k];
    int one_ahead = 0, two_ahead = 0, receivers = 0, in_three = 0;
    for (const isa::TileProgram& tp : compiler::compile_graph(cnn5.graph(), t.chip(), {}).tiles) {
      const auto& cs = tp.commands;
      auto loop = std::find_if(cs.begin(), cs.end(), is(Opcode::kLoop));
      auto load = std::find_if(loop, cs.end(), is(Opcode::kLoad));
      if (load == cs.end()) continue;
      const auto mvm = std::find_if(loop, cs.end(), is(Opcode::kMvm));
      receivers += std::any_of(loop, mvm, is(Opcode::kWait));  // for input rows
      if (load->not_last == 1) {
        ++one_ahead;
        EXPECT_TRUE(std::none_of(loop, load, is(Opcode::kWait))) << "tile " << tp.tile;
        continue;
      }
      ++two_ahead;
      EXPECT_EQ(load->not_last, 2);
      const bool three = load->dst.rot.period == 3;
      in_three += three;
      const bool top = three && k != 3;
      const auto end = std::find_if(load, cs.end(), is(Opcode::kEndLoop));
      if (top) {
        EXPECT_LT(load, mvm) << "tile " << tp.tile;
        // The rows passed on (notlast=1) follow the compute.
        const auto pass = std::find_if(loop, end, [](const isa::Command& c) {
          return c.op == Opcode::kSend && c.not_last == 1;
        });
        EXPECT_LT(mvm, pass) << "tile " << tp.tile;
      } else {
        EXPECT_TRUE(std::none_of(load, end, is(Opcode::kMvm))) << "tile " << tp.tile;
        EXPECT_TRUE(std::none_of(load, end, is(Opcode::kSignal))) << "tile " << tp.tile;
        EXPECT_TRUE(std::any_of(load, end, is(Opcode::kWait))) << "tile " << tp.tile;
      }
    }
    EXPECT_GE(two_ahead, 2);
    if (k == 2)
      EXPECT_EQ(in_three, 0);
    else
      EXPECT_GE(in_three, 2) << "target " << k;
    EXPECT_GE(receivers, 1);
    EXPECT_GE(one_ahead + two_ahead, 4);
    check(cnn5, Schedule::kPipelined, t, 5);
  }
}

// Every map a tile computes (THRESH, POOL) goes to one of two output slots by inference, and
// what reads it (SEND, STORE) reads that slot: the next inference's requantization need not
// wait for the previous one's hand-over to leave the output buffer. Partial sums of a split
// matrix too. The sequential baseline keeps one slot.
void expect_two_output_slots(GraphBuilder& b) {
  const isa::Program pipe = compile(b);
  int writes = 0, reads = 0;
  for (Opcode op : {Opcode::kThresh, Opcode::kPool})
    for (const isa::Command& c : commands(pipe, op).loop) {
      if (c.dst.space != isa::Space::kObuf) continue;
      EXPECT_EQ(c.dst.rot.depth, 0);
      EXPECT_EQ(c.dst.rot.period, 2);
      EXPECT_GT(c.dst.rot.stride, 0);
      ++writes;
    }
  for (Opcode op : {Opcode::kSend, Opcode::kStore})
    for (const isa::Command& c : commands(pipe, op).loop) {
      if (c.src.space != isa::Space::kObuf) continue;
      EXPECT_EQ(c.src.rot.depth, 0);
      EXPECT_GT(c.src.rot.stride, 0);
      ++reads;
    }
  EXPECT_GT(writes, 0);
  EXPECT_GT(reads, 0);
  check(b, Schedule::kPipelined);
  for (const isa::Command& c : commands(compile(b, Schedule::kSequential), Opcode::kThresh).loop)
    EXPECT_EQ(c.dst.rot.depth, -1);
}

TEST(Pipeline, OutputsAlternateBetweenTwoSlots) {
  GraphBuilder cnn = cnn_28x28();
  expect_two_output_slots(cnn);
  GraphBuilder fc(5);  // 3136 -> 128: two row groups on tile8x8, one sends partial sums
  fc.output(fc.dense(fc.input(isa::DType::kB1, 1, 1, 3136), 128, isa::DType::kI32));
  expect_two_output_slots(fc);
}

// A double-buffered edge counts each slot on a semaphore of its own (altsem): every loop
// WAIT, SIGNAL and SEND of such an edge names two different semaphores, the consumer hands
// two credits out at setup, and the slots go back as soon as they are read. Inference n's
// maps can then never be counted as n+1's, however far apart the senders are: bit-exact over
// odd and even batches. Where a tile has too few semaphores (4 here) its edges keep one
// semaphore and the old hand-over, bit-exact too.
TEST(Pipeline, DoubleBufferedSlotsHaveASemaphoreEach) {
  GraphBuilder cnn = cnn_28x28();
  const isa::Program pipe = compile(cnn);
  auto paired = [](const isa::Program& p) {
    int n = 0;
    for (Opcode op : {Opcode::kWait, Opcode::kSignal, Opcode::kSend})
      for (const isa::Command& c : commands(p, op).loop)
        if (c.alt_sem >= 0) {
          EXPECT_NE(c.alt_sem, c.sem);
          ++n;
        }
    return n;
  };
  const int all = paired(pipe);
  EXPECT_GT(all, 0);
  for (const isa::Command& c : commands(pipe, Opcode::kSignal).setup) EXPECT_EQ(c.alt_sem, -1);
  for (int n : {1, 4, 7}) check(cnn, Schedule::kPipelined, {}, n);
  Target few;
  few.sets.push_back(arch::parse_override("tile.semaphores=4"));
  const int some = paired(compiler::compile_graph(cnn.graph(), few.chip(), {}));
  EXPECT_GT(some, 0);
  EXPECT_LT(some, all);
  check(cnn, Schedule::kPipelined, few, 5);
}

// An edge between layers whose consumer has room for a third slot rotates over three, each
// counted on a semaphore of its own (thirdsem), so its producer may hand inference n + 2 over
// while n is still being read: every loop WAIT, SIGNAL and SEND naming a third semaphore names
// three different ones, and the dump lists them. Bit-exact over batches of every length
// modulo 3. Where the tiles have too few semaphores the edges keep two slots, bit-exact too.
TEST(Pipeline, EdgesBetweenLayersRotateOverThreeSlots) {
  GraphBuilder mlp(5);  // 784 -> 256 -> 256 -> 10
  int h = mlp.dense(mlp.input(isa::DType::kU8, 1, 1, 784), 256, isa::DType::kB1);
  mlp.output(mlp.dense(mlp.dense(h, 256, isa::DType::kB1), 10, isa::DType::kI32));
  auto thirds = [](const isa::Program& p) {
    int n = 0;
    for (Opcode op : {Opcode::kWait, Opcode::kSignal, Opcode::kSend})
      for (const isa::Command& c : commands(p, op).loop)
        if (c.third_sem >= 0) {
          EXPECT_TRUE(c.alt_sem >= 0 && c.sem != c.alt_sem && c.sem != c.third_sem &&
                      c.alt_sem != c.third_sem);
          ++n;
        }
    return n;
  };
  const int all = thirds(compile(mlp));
  EXPECT_GT(all, 0);
  EXPECT_TRUE(has(dumped(mlp, "schedule"), "; 2, 5, ...: ")) << dumped(mlp, "schedule");
  int64_t cycles[8] = {};
  for (int n : {1, 2, 3, 7}) cycles[n] = check(mlp, Schedule::kPipelined, {}, n);
  // With 4 semaphores the edges keep two slots, each with its semaphore (altsem).
  Target few;
  few.sets.push_back(arch::parse_override("tile.semaphores=4"));
  const isa::Program two_slots = compiler::compile_graph(mlp.graph(), few.chip(), {});
  EXPECT_EQ(thirds(two_slots), 0);
  int alternating = 0;
  for (const isa::Command& c : commands(two_slots, Opcode::kSend).loop)
    alternating += c.alt_sem >= 0;
  EXPECT_GT(alternating, 0);
  const int64_t two = check(mlp, Schedule::kPipelined, few, 7);
  EXPECT_LT(cycles[7], two);  // 787 against 800
}

// The crossbars of a `--dump-after place` block line, one per copy it lists ("xb 3").
std::vector<std::string> crossbars_listed(const std::string& line) {
  std::vector<std::string> xbs;
  for (size_t k = line.find("xb "); k != std::string::npos; k = line.find("xb ", k + 1))
    xbs.push_back(line.substr(k, line.find(' ', k + 3) - k));
  return xbs;
}

// rram4x4's accumulator holds 256 entries, 8 ranges of 32 channels. The 3x3x16 -> 32 conv's
// three 48-row blocks fit 5 copies on the tile's 8 crossbars, but 5 ranges leave one bank: the
// next 5 positions' MVMs would wait for each THRESH. The copies the cost model picks are 4, in
// two banks (8 ranges): the MVMs write all 256 entries (bnn_cnn, whose second conv is this one,
// went from 244 to 184 cycles per inference in steady state on rram4x4, bench_schedule).
TEST(Pipeline, CopiesLeaveASecondBankWhereOneWouldStallTheMvms) {
  GraphBuilder b(8);
  int x = b.conv(b.input(isa::DType::kB1, 8, 8, 16), {32, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 8, 1, 0, isa::DType::kI32}));
  const Target rram = rram_exact();
  const std::string d = dumped(b, "place", Schedule::kPipelined, rram);
  const size_t at = d.find("block r0 c0:");
  ASSERT_NE(at, std::string::npos) << d;
  const std::string r0 = d.substr(at, d.find('\n', at) - at);
  EXPECT_EQ(crossbars_listed(r0).size(), 4u) << r0;
  int64_t last_range = 0;  // the first accumulator entry of the last range the conv's MVMs use
  for (const isa::Command& c :
       commands(compiler::compile_graph(b.graph(), rram.chip(), {}), Opcode::kMvm).loop)
    if (c.cols == 32) last_range = std::max(last_range, c.dst.base);
  EXPECT_EQ(last_range, 7 * 32);
  check(b, Schedule::kPipelined, rram, 3);
}

// The same conv's four copies of three blocks are 12 regions on 8 crossbars, four of them
// holding two. Going round the copies gave those four twice the MVMs of the others; each MVM
// now reads the least busy copy of its block (copy_choice.h): no crossbar of a tile computes
// more than one MVM above an even share of the tile's MVMs (bnn_cnn on rram4x4: 184 -> 168
// cycles per inference in steady state, bench_schedule). Bit-exact.
TEST(Pipeline, MvmsOfCopiesSharingCrossbarsAreSpreadEvenly) {
  GraphBuilder b(8);
  int x = b.conv(b.input(isa::DType::kB1, 8, 8, 16), {32, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 8, 1, 0, isa::DType::kI32}));
  const Target rram = rram_exact();
  const isa::Program p = compiler::compile_graph(b.graph(), rram.chip(), {});
  int tiles = 0;
  for (const isa::TileProgram& t : p.tiles) {
    std::map<int, int> load;  // the conv's MVM commands in the batch loop, by crossbar
    int total = 0, depth = 0;
    for (const isa::Command& c : t.commands) {
      depth += c.op == Opcode::kLoop ? 1 : c.op == Opcode::kEndLoop ? -1 : 0;
      if (c.op == Opcode::kMvm && c.cols == 32 && depth > 0) ++load[c.xbar], ++total;
    }
    if (total == 0) continue;
    ++tiles;
    int busiest = 0;
    for (const auto& [xb, n] : load) busiest = std::max(busiest, n);
    EXPECT_LE(busiest, (total + 7) / 8 + 1) << "tile " << t.tile << ": " << total << " MVMs";
  }
  EXPECT_GT(tiles, 0);
  check(b, Schedule::kPipelined, rram, 3);
  check(b, Schedule::kSequential, rram, 2);
}

// A 3x3x64 -> 32 conv on rram4x4 is nine 64x32 blocks; a tile's eight 64x64 crossbars hold
// sixteen, so one whole copy fits and leaves one crossbar two MVMs per position. Positions
// share copies of single blocks instead (pack_partial_copies): per iteration of U positions no
// crossbar computes more than ceil(9U / 8) MVMs, against 2U with whole copies. Bit-exact.
TEST(Pipeline, PositionsShareCopiesOfSingleBlocksWhereWholeCopiesDoNotFit) {
  GraphBuilder b(9);
  int x = b.conv(b.input(isa::DType::kB1, 14, 14, 64), {32, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 14, 1, 0, isa::DType::kI32}));
  const Target rram = rram_exact();
  const std::string d = dumped(b, "place", Schedule::kPipelined, rram);
  // The conv's block lines list each position's region of the block: U of them.
  std::map<std::string, int> load;  // MVMs per iteration, by crossbar
  int positions = 0;
  std::istringstream lines(d);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("x out 0+32 ->") == std::string::npos) continue;
    const std::vector<std::string> xbs = crossbars_listed(line);
    for (const std::string& xb : xbs) ++load[xb];
    positions = static_cast<int>(xbs.size());
  }
  ASSERT_GT(positions, 1) << d;
  int busiest = 0;
  for (const auto& [xb, n] : load) busiest = std::max(busiest, n);
  EXPECT_LE(busiest, (9 * positions + 7) / 8) << d;
  check(b, Schedule::kPipelined, rram, 3);
  check(b, Schedule::kSequential, rram, 2);
}

// u8 12x12 -> conv3x3(16) -> a 12x12 kernel to 10 sums: the last layer is a 2304x10 matrix,
// 12 row blocks of 192x10.
GraphBuilder conv_then_dense_12x12(unsigned seed) {
  GraphBuilder c(seed);
  int y = c.input(isa::DType::kU8, 12, 12, 1);
  y = c.conv(y, {16, 3, 1, 1, isa::DType::kB1});
  c.output(c.conv(y, {10, 12, 1, 0, isa::DType::kI32}));
  return c;
}

// Accumulator banks per crossbar copy: as many as the positions need. The pipelined first
// layer computes one output row per tile, 12 positions on 4 copies: 3 banks of 4 x 16 sums,
// so the threshold table holds 12 copies and the THRESHes read all three. With 2 banks (as
// before) the last position's MVM waited for the THRESH of the first bank: 44 instead of 37
// cycles per inference on these tiles.
TEST(Pipeline, PositionsGoRoundTheAccumulatorBanks) {
  GraphBuilder c = conv_then_dense_12x12(11);
  const isa::Program p = compile(c);
  EXPECT_EQ(p.data[static_cast<size_t>(commands(p, Opcode::kWth).setup.at(0).data)].rows, 12 * 16);
  std::set<int64_t> sources;
  for (const isa::Command& t : commands(p, Opcode::kThresh).loop) sources.insert(t.src.base);
  EXPECT_EQ(sources, (std::set<int64_t>{0, 64, 128})) << "banks at acc[0], acc[64], acc[128]";
  check(c, Schedule::kPipelined);
}

// Blocks go to the crossbars with the fewest rows programmed: the 12 blocks (192x10) of a
// 12x12x16 -> 10 layer fit one crossbar side by side, but spread over all four they are
// programmed (and read) four at a time.
TEST(Pipeline, BlocksSpreadOverCrossbars) {
  GraphBuilder c = conv_then_dense_12x12(13);
  const isa::Program p = compile(c, Schedule::kSequential);
  const isa::TileProgram& last = p.tiles.back();
  std::set<int> xbars;
  for (const isa::Command& w : last.commands)
    if (w.op == Opcode::kWxb) xbars.insert(w.xbar);
  EXPECT_EQ(xbars.size(), 4u);
}

// A vector longer than a crossbar is cut into as many slices as 256-row ones take, evened out
// in whole input-buffer words (32 u8 elements on tile8x8): 784 u8 inputs are 224 + 224 + 224 +
// 112 rows, so no crossbar takes more than 224 row writes (256 + 256 + 256 + 16 took 256).
// rram4x4 reads 16 rows a step: its 64-row slices stay. Bit-exact.
TEST(Pipeline, SlicesOfALongVectorAreEvenedOut) {
  GraphBuilder b(22);
  int x = b.input(isa::DType::kU8, 1, 1, 784);
  b.output(b.dense(x, 10, isa::DType::kI32));
  std::multiset<int64_t> rows;
  for (const isa::TileProgram& t : compile(b, Schedule::kSequential).tiles)
    for (const isa::Command& w : t.commands)
      if (w.op == Opcode::kMvm) rows.insert(w.gather.elems);
  EXPECT_EQ(rows, (std::multiset<int64_t>{112, 224, 224, 224}));
  check(b, Schedule::kPipelined);
  std::set<int64_t> rram;
  for (const isa::TileProgram& t :
       compiler::compile_graph(b.graph(), rram_exact().chip(), compiler::BackendOptions{}).tiles)
    for (const isa::Command& w : t.commands)
      if (w.op == Opcode::kMvm) rram.insert(w.gather.elems);
  EXPECT_EQ(rram, (std::set<int64_t>{16, 64}));
}

// Blocks side by side on the same rows of a crossbar are programmed by one WXB (a crossbar
// row is written in one step): the 12 blocks of 192x10 sit three to a crossbar, so the four
// crossbars get one 192x30 write each and are programmed in 192 row writes, not 576 (on one
// tile: the sequential schedule; the pipelined one splits the layer, below). The outputs stay
// bit-exact.
TEST(Pipeline, BlocksSideBySideAreOneWrite) {
  GraphBuilder c = conv_then_dense_12x12(13);
  const isa::Program p = compile(c, Schedule::kSequential);
  std::vector<std::pair<int, int>> writes;  // (crossbar, columns)
  for (const isa::Command& w : p.tiles.back().commands)
    if (w.op == Opcode::kWxb) {
      const isa::DataBlock& d = p.data[static_cast<size_t>(w.data)];
      EXPECT_EQ(d.rows, 192);
      EXPECT_EQ(w.col, 0);
      writes.emplace_back(w.xbar, d.cols);
    }
  const std::vector<std::pair<int, int>> want = {{0, 30}, {1, 30}, {2, 30}, {3, 30}};
  EXPECT_EQ(writes, want);
  check(c, Schedule::kPipelined);
  check(c, Schedule::kSequential);
}

// A 3x3x32 kernel is 288 rows: a 192-row and a 96-row block on tile8x8's 256-row crossbars.
// Where a crossbar holds copies of both, they are one write of their bounding box (the cells
// of the 96-row block's columns below its rows are written too, and never read): no crossbar
// takes more than 192 row writes, where one WXB per block took 288. Bit-exact.
TEST(Pipeline, BlocksWhoseRowsOverlapAreOneWrite) {
  GraphBuilder b(21);
  int x = b.conv(b.input(isa::DType::kB1, 14, 14, 32), {32, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 14, 1, 0, isa::DType::kI32}));
  const isa::Program p = compile(b);
  int shared = 0;  // writes that hold blocks of both heights
  for (const isa::TileProgram& t : p.tiles) {
    std::map<int, int64_t> rows;  // per crossbar of the 3x3 conv (32 columns per block)
    for (const isa::Command& w : t.commands)
      if (w.op == Opcode::kWxb) {
        const isa::DataBlock& d = p.data[static_cast<size_t>(w.data)];
        if (d.cols % 32) continue;  // the classifier's 10 columns
        rows[w.xbar] += d.rows;
        shared += d.rows == 192 && d.cols == 64 && w.row == 0;
      }
    for (const auto& [xb, n] : rows) EXPECT_LE(n, 192) << "tile " << t.tile << " xb " << xb;
  }
  EXPECT_GT(shared, 0);
  check(b, Schedule::kPipelined);
  check(b, Schedule::kSequential);
}

// The reference model's shape (examples/fmnist_bnn): on tile8x8 its layers take all 64 tiles.
// Its second 64-channel conv has two rows per tile and time to spare, so the 2x2 max-pool after
// it runs on those tiles, reading their output buffers (conv+pool fusion): one pooled row per
// tile, the pool's two tiles go to the 32 -> 64 conv (5 -> 7 tiles), and one inference takes
// fewer cycles. The first pool keeps its own tiles: the conv before it has one row per tile
// (seven positions per MVM in the first conv left it the tiles: the next test), and a 2x2 window
// spans two. Bit-exact, and the same program with --pool-fusion off is too.
GraphBuilder reference_model_shape() {
  GraphBuilder b(30);
  int x = b.input(isa::DType::kU8, 28, 28, 1);
  x = b.conv(x, {32, 3, 1, 1, isa::DType::kB1});
  x = b.pool(b.conv(x, {32, 3, 1, 1, isa::DType::kB1}), 2, 2);
  x = b.conv(x, {64, 3, 1, 1, isa::DType::kB1});
  x = b.pool(b.conv(x, {64, 3, 1, 1, isa::DType::kB1}), 2, 2);
  x = b.conv(b.pool(x, 2, 2), {128, 3, 1, 0, isa::DType::kB1});
  b.output(b.dense(x, 10, isa::DType::kI32));
  return b;
}

TEST(Pipeline, APoolRunsOnTheTilesOfTheConvBeforeItWhereTheChipIsFull) {
  GraphBuilder b = reference_model_shape();
  std::map<bool, int64_t> one_inference;
  for (const bool fusion : {true, false}) {
    compiler::BackendOptions o;
    o.pool_fusion = fusion;
    std::vector<compiler::TilePart> parts;
    o.parts = &parts;
    compiler::compile_graph(b.graph(), Target{}.chip(), o);
    std::map<int, std::set<int>> layers_on;  // tile -> layers
    std::map<int, int> tiles_of;             // layer -> tiles
    for (const compiler::TilePart& q : parts) {
      layers_on[q.tile].insert(q.layer);
      ++tiles_of[q.layer];
    }
    EXPECT_EQ(layers_on.size(), 64u);
    int shared = 0;
    for (const auto& [tile, layers] : layers_on) {
      shared += layers.size() > 1;
      if (layers.size() > 1) {
        EXPECT_EQ(layers, (std::set<int>{4, 5})) << "tile " << tile;
      }
    }
    EXPECT_EQ(shared, fusion ? 7 : 0);
    EXPECT_EQ(tiles_of[3], fusion ? 7 : 5);  // the 32 -> 64 conv
    one_inference[fusion] = check_with(b, o, {}, 1);
  }
  EXPECT_LT(one_inference[true], one_inference[false]);
}

// Whether a pool runs on its conv's tiles counts the tile as it works: one sequencer issues
// both layers' commands while the crossbars and the pooling unit work side by side. On
// rram4x4 (ADC-bound crossbars) the CNN 28x28's first conv keeps its crossbars busy far longer
// than it issues, so its pool joins it and the pool's tile goes elsewhere: every inference
// is faster. bnn_cnn's convs are at their finest split with whole 2x2 windows already, so
// fusing would leave the freed tiles idle for no shorter period: its pools keep their tiles.
TEST(Pipeline, PoolsJoinTheirConvOnlyWhereTheFreedTilesAreUsed) {
  const Target rram = rram_exact();
  auto fused_pools = [&](const GraphBuilder& b) {
    const std::string d = dumped(b, "place", Schedule::kPipelined, rram);
    int n = 0;
    for (size_t k = d.find("  fused: on the tiles of"); k != std::string::npos;
         k = d.find("  fused: on the tiles of", k + 1))
      ++n;
    return n;
  };
  GraphBuilder cnn = cnn_28x28();
  EXPECT_EQ(fused_pools(cnn), 1);
  compiler::BackendOptions o;
  const int64_t fused = check_with(cnn, o, rram, 2);
  o.pool_fusion = false;
  EXPECT_LT(fused, check_with(cnn, o, rram, 2));

  GraphBuilder bnn(12);  // examples/bnn_cnn's shape
  int x = bnn.input(isa::DType::kU8, 16, 16, 1);
  x = bnn.pool(bnn.conv(x, {16, 3, 1, 1, isa::DType::kB1}), 2, 2);
  x = bnn.pool(bnn.conv(x, {32, 3, 1, 1, isa::DType::kB1}), 2, 2);
  bnn.output(bnn.conv(x, {10, 4, 1, 0, isa::DType::kI32}));
  EXPECT_EQ(fused_pools(bnn), 0);
  check(bnn, Schedule::kPipelined, rram, 2);
}

// Maps in halves (imcc --handover halves, the default) on the same shape: where both layers'
// tiles compute for 32 cycles or more per inference and have issue slots to spare, a producer
// part SENDs the first half of its columns as soon as they are computed (raising the
// consumer's first data semaphore) and the rest after (the second); the consumer computes the
// output columns whose windows the first half covers, then WAITs for the rest. One inference
// alone finishes sooner (the reference model: 1025 -> 969 cycles), bit-exact over batches of 1
// and 3. The 5-layer CNN's parts compute for less: the same program as with whole maps.
TEST(Pipeline, HalvesOfAMapStartTheNextLayerSooner) {
  GraphBuilder b = reference_model_shape();
  compiler::BackendOptions whole, halves;  // halves: the default
  whole.halves = false;
  const isa::Program p = compiler::compile_graph(b.graph(), Target{}.chip(), halves);
  int two_waits = 0;  // tiles that compute, WAIT, and compute again within an inference
  for (const isa::TileProgram& t : p.tiles) {
    int depth = 0, phase = 0;  // 1: computed after a WAIT, 2: then a WAIT, 3: computed again
    for (const isa::Command& c : t.commands) {
      depth += c.op == Opcode::kLoop;
      depth -= c.op == Opcode::kEndLoop;
      const bool compute = c.op == Opcode::kMvm || c.op == Opcode::kPool;
      if (depth == 0) continue;
      if (c.op == Opcode::kWait && phase == 1) phase = 2;
      if (compute && (phase == 0 || phase == 2)) ++phase;
    }
    two_waits += phase == 3;
  }
  EXPECT_GT(two_waits, 0);
  const int64_t sooner = check_with(b, halves, {}, 1);
  EXPECT_LT(sooner, check_with(b, whole, {}, 1));
  check_with(b, halves, {}, 3);
  GraphBuilder small(10);
  int x = small.input(isa::DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) x = small.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  small.output(small.conv(x, {10, 12, 1, 0, isa::DType::kI32}));
  EXPECT_EQ(isa::disassemble(compiler::compile_graph(small.graph(), Target{}.chip(), halves)),
            isa::disassemble(compiler::compile_graph(small.graph(), Target{}.chip(), whole)));
}

// Shifted-kernel views where tiles are short (imcc --positions-per-mvm serial, the default).
// The reference model's first conv reads a u8 image bit-serially: one position per MVM, its 28
// rows took 28 tiles and the chip had none left for its bottleneck, the next conv (two rows per
// tile). Seven positions per MVM free half of them for that conv, bit-exact. Not in the
// sequential schedule, not where tiles are left over (the 5-layer CNN on tile8x8), and not
// where the estimate promises less than 10% (the 5-layer CNN on rram4x4: 168 -> 157.5, and
// measured 3% slower).
TEST(Pipeline, AU8LayerComputesSeveralPositionsPerMvmWhereTilesAreShort) {
  GraphBuilder b = reference_model_shape();
  compiler::BackendOptions serial, plain;
  plain.shifted_kernels = compiler::ShiftedKernels::kNone;
  std::map<compiler::ShiftedKernels, std::map<int, int>> tiles_of;  // layer -> tiles
  for (compiler::BackendOptions* o : {&serial, &plain}) {
    std::vector<compiler::TilePart> parts;
    o->parts = &parts;
    compiler::compile_graph(b.graph(), Target{}.chip(), *o);
    o->parts = nullptr;
    for (const compiler::TilePart& q : parts) ++tiles_of[o->shifted_kernels][q.layer];
  }
  // The dumps say why (imcc --dump-after).
  const std::string d = dumped(b, "partition");
  EXPECT_TRUE(has(d, "7 output positions per MVM")) << d;
  EXPECT_TRUE(has(d,
                  "# --positions-per-mvm serial: views for u8/i8 layers: taken (estimated "
                  "126.0 -> 98.0 cycles per inference)"))
      << d;
  EXPECT_EQ(tiles_of[compiler::ShiftedKernels::kNone][0], 28);
  EXPECT_EQ(tiles_of[compiler::ShiftedKernels::kSerial][0], 14);
  EXPECT_EQ(tiles_of[compiler::ShiftedKernels::kNone][1], 14);
  EXPECT_EQ(tiles_of[compiler::ShiftedKernels::kSerial][1], 28);
  EXPECT_LT(check_with(b, serial, {}, 6), check_with(b, plain, {}, 6));
  EXPECT_TRUE(has(dumped(b, "partition", Schedule::kSequential),
                  "views for u8/i8 layers: none (sequential schedule)"));
  EXPECT_FALSE(has(dumped(b, "partition", Schedule::kSequential), "positions per MVM"));

  GraphBuilder cnn5(10);
  int x = cnn5.input(isa::DType::kU8, 12, 12, 1);
  for (int i = 0; i < 4; ++i) x = cnn5.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  cnn5.output(cnn5.conv(x, {10, 12, 1, 0, isa::DType::kI32}));
  EXPECT_TRUE(has(dumped(cnn5, "partition"), "views for u8/i8 layers: none (14 tiles spare)"));
  EXPECT_TRUE(has(dumped(cnn5, "partition", Schedule::kPipelined, {kRram4x4, {}}),
                  "none (estimated 168.0 -> 157.5 cycles per inference, less than 10% shorter)"));
  for (const Target& t : {Target{}, Target{kRram4x4, {}}}) {
    EXPECT_FALSE(has(dumped(cnn5, "partition", Schedule::kPipelined, t), "positions per MVM"))
        << t.arch;
    EXPECT_TRUE(
        has(dumped(cnn5, "partition", Schedule::kPipelined, t, compiler::ShiftedKernels::kAll),
            "positions per MVM"))
        << t.arch;
  }
}

// A layer with a one-pixel output (here a dense layer over the whole 12x12x16 map) has no
// output rows to split over tiles. Its tile's link was its bottleneck: 288 B of map per
// inference, 36 cycles at 64 bits, against 12 MVMs that spread over 4 crossbars. The pipelined
// schedule gives it two row groups: each tile receives only the 6 map rows under its 6 kernel
// rows (144 B) and the owner adds the other's 40 B of int32 partial sums, which alternate
// between two slots on a semaphore each, so the contributor may run an inference ahead.
// Sequential: one tile, the whole map.
TEST(Pipeline, ALinkBoundOnePixelLayerGetsRowGroups) {
  GraphBuilder c = conv_then_dense_12x12(13);
  for (const Schedule s : {Schedule::kPipelined, Schedule::kSequential}) {
    const isa::Program p = compile(c, s);
    std::set<int> dense;  // the tiles of the 12x12x16 -> 10 layer
    for (const isa::TileProgram& t : p.tiles)
      for (const isa::Command& m : t.commands)
        if (m.op == Opcode::kMvm && m.cols == 10) dense.insert(t.tile);
    std::map<int, int64_t> received;  // bytes per inference
    for (const isa::Command& m : commands(p, Opcode::kSend).loop)
      if (dense.count(m.tile)) received[m.tile] += m.bytes;
    std::multiset<int64_t> bytes;
    for (const auto& [tile, n] : received) bytes.insert(n);
    const std::vector<isa::Command> adds = commands(p, Opcode::kAccAdd).loop;
    if (s == Schedule::kSequential) {
      EXPECT_EQ(dense.size(), 1u);
      EXPECT_EQ(bytes, (std::multiset<int64_t>{288}));
      EXPECT_TRUE(adds.empty());
      check(c, s);
      continue;
    }
    ASSERT_EQ(dense.size(), 2u);
    EXPECT_EQ(bytes, (std::multiset<int64_t>{144, 144 + 40}));
    ASSERT_EQ(adds.size(), 1u);  // the owner adds the partial sums of the other slot by slot
    EXPECT_EQ(adds[0].type, isa::DType::kI32);
    EXPECT_EQ(adds[0].src.rot.period, 2);
    EXPECT_NE(adds[0].src.rot.stride, 0);
    int partial_sends = 0;
    for (const isa::Command& m : commands(p, Opcode::kSend).loop)
      if (dense.count(m.tile) && m.bytes == 40) {
        ++partial_sends;
        EXPECT_EQ(m.dst.rot, adds[0].src.rot);
        EXPECT_GE(m.alt_sem, 0);
        EXPECT_NE(m.alt_sem, m.sem);
      }
    EXPECT_EQ(partial_sends, 1);
    check(c, s);
  }
}

// Several contributors: a dense layer over a 16x16x32 map (1 KiB per inference, 128 cycles
// through one eject link, against 32 MVMs on four crossbars) takes as many row groups as
// lower its owner's estimate: four (the owner receives 256 B of map and 3 x 40 B of partial
// sums; with five, 224 B and 4 x 40 B would be more); their partial sums alternate between two slot
// sets, the owner counting each set's contributors on its own semaphore. An odd batch ends on the
// second set.
TEST(Pipeline, ContributorsOfALinkBoundLayerAlternateTheirSlots) {
  GraphBuilder b(17);
  int x = b.input(isa::DType::kB1, 16, 16, 32);
  x = b.conv(x, {32, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 16, 1, 0, isa::DType::kI32}));
  const std::string plan = dumped(b, "schedule");
  size_t contributors = 0;
  for (size_t at = plan.find("(partial sums to the owner)"); at != std::string::npos;
       at = plan.find("(partial sums to the owner)", at + 1))
    ++contributors;
  EXPECT_EQ(contributors, 3u) << plan;
  EXPECT_TRUE(has(plan, " and ibuf[")) << plan;  // the second set of partial-sum slots
  check(b, Schedule::kPipelined, {}, 5);
  check(b, Schedule::kSequential, {}, 2);
  EXPECT_FALSE(has(dumped(b, "schedule", Schedule::kSequential), "(partial sums to the owner)"));
}

// Requantization takes issue slots: a 3x3 conv over 28x28x32 (288 rows: two MVMs per
// position, four copies, seven accumulator banks of 4 x 32 sums per row) THRESHes up to three
// banks' positions at once (12 positions of 32 channels: a row of 28 positions is
// three THRESHes, 12, 12 and 4 positions, not seven), while the other banks take the next
// MVMs. Never more than half the banks: the next MVMs would wait for the THRESH to read them.
// A row of 28 fits the 7 x 4 ranges whole, so it is one run whose border positions are masked
// one by one and requantized with their neighbours: no THRESH of a single position (there
// were 56, one per border position, while the borders were runs of their own).
TEST(Pipeline, HalfTheBanksAreRequantizedTogether) {
  GraphBuilder b(29);
  int x = b.input(isa::DType::kB1, 28, 28, 32);
  b.output(b.conv(x, {32, 3, 1, 1, isa::DType::kB1}));
  const isa::Program p = compile(b, Schedule::kSequential);
  std::multiset<int64_t> counts;
  for (const isa::Command& t : commands(p, Opcode::kThresh).loop) counts.insert(t.count);
  EXPECT_GE(counts.count(12 * 32), 2u);
  EXPECT_EQ(*counts.rbegin(), 12 * 32);
  EXPECT_EQ(counts.count(32), 0u);
  check(b, Schedule::kSequential, {}, 2);
  check(b, Schedule::kPipelined, {}, 3);
}

// A bit-serial MVM keeps its crossbar busy for 8 read steps, longer than the four copies take to
// issue, so rows are kept whole only where that loads no copy more: a 16-wide u8 row on four
// copies is one run (four positions each), a 14-wide one is not (a loop iteration would give two
// copies four positions and two copies three, in every row; its two border positions go round
// all copies as runs of their own).
TEST(Pipeline, BitSerialRowsAreWholeOnlyWhereTheCopiesShareThemEvenly) {
  for (const int width : {16, 14}) {
    SCOPED_TRACE("width " + std::to_string(width));
    GraphBuilder b(31);
    int x = b.input(isa::DType::kU8, 8, width, 1);
    b.output(b.conv(x, {32, 3, 1, 1, isa::DType::kB1}));
    const isa::Program p = compile(b, Schedule::kSequential);
    int64_t single = 0;  // THRESHes of one position: border positions in runs of their own
    for (const isa::Command& t : commands(p, Opcode::kThresh).loop) single += t.count == 32;
    if (width == 16)
      EXPECT_EQ(single, 0);
    else
      EXPECT_GT(single, 0);
    check(b, Schedule::kSequential, {}, 2);
  }
}

// A u8 conv on rram4x4 has 8 copies (one per crossbar) and 12-wide rows: going round the
// copies row by row gives copies 0-3 two positions of every row and copies 4-7 one, and its
// crossbars are what bounds it (42-cycle MVMs). An iteration now covers two rows whose 24
// positions go round the copies three times: every crossbar computes as many MVMs (the
// 5-layer CNN on rram4x4: 336 -> 265 cycles per inference). Bit-exact in both schedules.
TEST(Pipeline, BitSerialRowsNarrowerThanTheCopiesComeRoundEvenly) {
  GraphBuilder b(31);
  int x = b.input(isa::DType::kU8, 12, 12, 1);
  x = b.conv(x, {16, 3, 1, 1, isa::DType::kB1});
  b.output(b.conv(x, {10, 12, 1, 0, isa::DType::kI32}));
  const Target rram = rram_exact();
  compiler::BackendOptions o;
  o.schedule = Schedule::kSequential;
  const isa::Program p = compiler::compile_graph(b.graph(), rram.chip(), o);
  std::map<int, int> mvms;  // the u8 conv's MVM commands in the batch loop, by crossbar
  for (const isa::Command& c : commands(p, Opcode::kMvm).loop)
    if (c.type == isa::DType::kU8) ++mvms[c.xbar];
  ASSERT_EQ(mvms.size(), 8u);
  for (const auto& [xb, n] : mvms) EXPECT_EQ(n, mvms.begin()->second) << "crossbar " << xb;
  check(b, Schedule::kSequential, rram, 2);
  check(b, Schedule::kPipelined, rram, 3);
}

}  // namespace
}  // namespace imc::test
