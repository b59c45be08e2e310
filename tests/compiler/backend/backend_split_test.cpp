// Layers whose matrix does not fit one tile: split over tiles by output channels (column
// groups) and by input rows (row groups whose int32 partial sums their owner adds with
// ACCADD type=i32). The decisions (dumped after `place`), and compile -> imcsim equal to the
// naive evaluator bit for bit on both schedules.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "compiler/backend/backend.h"
#include "sim_check.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::Schedule;
using compiler::testing::GraphBuilder;
using isa::DType;

// A vector of `inputs` elements -> `hidden` (binary) -> 10 sums.
GraphBuilder two_dense(unsigned seed, DType in, int inputs, int hidden) {
  GraphBuilder b(seed);
  int x = b.input(in, 1, 1, inputs);
  x = b.dense(x, hidden, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  return b;
}

// 3136 inputs (a 7x7x64 map flattened) -> 128: 13 row blocks of 256x128, two per crossbar,
// eight per tile. Splitting the rows halves every tile's MVMs; the owner adds 128 int32s.
GraphBuilder dense_3136_128() {
  return two_dense(41, DType::kB1, 3136, 128);
}

TEST(SplitDecision, DenseTooBigForATileSplitsItsRowsEvenly) {
  const std::string d = dumped(dense_3136_128(), "place");
  EXPECT_TRUE(has(d,
                  "group 0: column group 0 (out 0..127), row group 0 of 2, row blocks 0..6 "
                  "(owner)"))
      << d;
  EXPECT_TRUE(has(d,
                  "group 1: column group 0 (out 0..127), row group 1 of 2, row blocks 7..12 "
                  "(partial sums to the owner)"))
      << d;
  EXPECT_TRUE(has(d,
                  "mat layer0: 1x1x3136 b1 -> 1x1x128 b1 on tiles 0 (rows 0..0, group 0) 1 "
                  "(rows 0..0, group 1)"))
      << d;
}

// BackendOptions::parts names what every tile program computes: here the two row groups of
// the first layer and the one tile of the second, each program tile once.
TEST(SplitDecision, PartsNameEveryTileProgram) {
  std::vector<compiler::TilePart> parts;
  compiler::BackendOptions o;
  o.schedule = Schedule::kSequential;
  o.parts = &parts;
  const isa::Program prog = compiler::compile_graph(dense_3136_128().graph(), Target{}.chip(), o);
  ASSERT_EQ(parts.size(), 3u);
  ASSERT_EQ(prog.tiles.size(), 3u);
  std::set<int> program_tiles, part_tiles;
  for (const isa::TileProgram& t : prog.tiles) program_tiles.insert(t.tile);
  for (const compiler::TilePart& q : parts) part_tiles.insert(q.tile);
  EXPECT_EQ(part_tiles, program_tiles);
  EXPECT_EQ(parts[0].layer, 0);
  EXPECT_EQ(parts[0].group, 0);
  EXPECT_EQ(parts[1].layer, 0);
  EXPECT_EQ(parts[1].group, 1);
  EXPECT_EQ(parts[2].layer, 1);
  for (const compiler::TilePart& q : parts) {
    EXPECT_EQ(q.oy0, 0);
    EXPECT_EQ(q.oy1, 1);
  }
}

// A dense layer over a 14x14x32 map (the map flattened, as a Gemm after Flatten; a 14x14
// kernel here): 28 row blocks of 8 or 6 kernel columns x 32 channels by 128 outputs, two per
// crossbar, 8 per tile: 4 row groups of 7 blocks, each under 4 of the kernel's 14 rows (3.5
// rounded out). Each row group receives only the map rows under its kernel rows, not the
// whole map: 4 rows of 56 B, 224 B, where the whole map is 784 B.
TEST(SplitDecision, RowGroupsReceiveOnlyTheRowsUnderTheirKernelRows) {
  GraphBuilder b(43);
  int x = b.input(DType::kU8, 14, 14, 1);
  x = b.conv(x, {32, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {128, 14, 1, 0, DType::kI32}));
  for (Schedule s : {Schedule::kSequential, Schedule::kPipelined}) {
    compiler::BackendOptions o;
    o.schedule = s;
    const isa::Program p = compiler::compile_graph(b.graph(), Target{}.chip(), o);
    std::set<int> dense;  // the tiles whose MVMs read 14x14 windows' kernel columns
    for (const isa::TileProgram& t : p.tiles)
      for (const isa::Command& c : t.commands)
        if (c.op == isa::Opcode::kMvm && c.gather.elems == 32 && c.gather.ky == 1 &&
            (c.gather.kx == 8 || c.gather.kx == 6))
          dense.insert(t.tile);
    ASSERT_EQ(dense.size(), 4u);
    std::map<int, int64_t> map_bytes;  // received from the conv's tiles, per inference
    for (const isa::TileProgram& t : p.tiles) {
      if (dense.count(t.tile)) continue;
      int depth = 0;
      for (const isa::Command& c : t.commands) {
        depth += c.op == isa::Opcode::kLoop;
        depth -= c.op == isa::Opcode::kEndLoop;
        if (depth == 0 || c.op != isa::Opcode::kSend) continue;
        for (int k = -1; k < 32; ++k)  // the tile, then those of the multicast mask
          if ((k < 0 || (c.mcast >> k & 1)) && dense.count(c.tile + 1 + k))
            map_bytes[c.tile + 1 + k] += c.bytes;
      }
    }
    for (int t : dense) EXPECT_EQ(map_bytes[t], 4 * 56) << "tile " << t;
    check(b, s);
  }
}

TEST(WeightCrossbars, CountOneCopyOfEveryBlockWhateverTheSchedule) {
  // 13 row blocks of 256x128 pack two per crossbar (disjoint columns): 4 crossbars for row
  // group 0 (7 blocks) and 3 for row group 1 (6 blocks); the 128x10 classifier needs one.
  const Target t;
  EXPECT_EQ(compiler::weight_crossbars(dense_3136_128().graph(), t.chip()), 8);
  // The pipelined program of the same network copies blocks onto spare crossbars.
  int programmed = 0;
  for (const isa::TileProgram& tp :
       compiler::compile_graph(dense_3136_128().graph(), t.chip(), {}).tiles)
    for (const isa::Command& c : tp.commands) programmed += c.op == isa::Opcode::kWxb;
  EXPECT_GT(programmed, 8);
}

// More output channels than accumulator entries: column groups, each starting on a byte of
// the packed b1 output (552 = 69 bytes).
TEST(SplitDecision, ChannelsBeyondTheAccumulatorSplitColumnsOnByteBounds) {
  const GraphBuilder b = two_dense(42, DType::kB1, 256, 1100);
  const std::string d = dumped(b, "place");
  EXPECT_TRUE(has(d, "group 0: column group 0 (out 0..551), row group 0 of 1")) << d;
  EXPECT_TRUE(has(d, "group 1: column group 1 (out 552..1099), row group 0 of 1")) << d;
}

// 3x3 conv 128 -> 256 on an 8x8 map: 1152x256 needs 5 crossbars. Row groups would move
// 8x8x256 int32 partial sums per inference; two column groups move none.
GraphBuilder wide_conv() {
  GraphBuilder b(43);
  int x = b.input(DType::kU8, 8, 8, 1);
  x = b.conv(x, {128, 3, 1, 1, DType::kB1});
  x = b.conv(x, {256, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  return b;
}

TEST(SplitDecision, ConvFeatureMapSplitsColumnsNotRows) {
  const std::string d = dumped(wide_conv(), "place");
  EXPECT_TRUE(has(d, "group 0: column group 0 (out 0..127), row group 0 of 1")) << d;
  EXPECT_TRUE(has(d, "group 1: column group 1 (out 128..255), row group 0 of 1")) << d;
}

// rram4x4 (8 crossbars of 64x64, 256 accumulator entries): 1x1 conv to 512 channels needs two
// column groups; the 3x3 conv 512 -> 16 (72 row blocks) needs both: 2 column groups of 8
// channels, each 2 row groups.
GraphBuilder deep_conv_rram() {
  GraphBuilder b(44);
  int x = b.input(DType::kU8, 4, 4, 1);
  x = b.conv(x, {512, 1, 1, 0, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 4, 1, 0, DType::kI32}));
  return b;
}

TEST(SplitDecision, RowAndColumnGroupsTogether) {
  const std::string d = dumped(deep_conv_rram(), "place", Schedule::kPipelined, rram_exact());
  EXPECT_TRUE(has(d, "group 1: column group 1 (out 256..511), row group 0 of 1")) << d;
  EXPECT_TRUE(has(d, "group 0: column group 0 (out 0..7), row group 0 of 2, row blocks 0..35"))
      << d;
  EXPECT_TRUE(has(d, "group 3: column group 1 (out 8..15), row group 1 of 2, row blocks 36..71"))
      << d;
}

// 5x5x512 b1 input map (1600 B of the 2 KiB input buffer): one output row of partial sums is
// 160 B, so two rows fit the slot and the owner's rows are cut in three ranges.
GraphBuilder partials_need_row_ranges() {
  GraphBuilder b(45);
  int x = b.input(DType::kU8, 5, 5, 1);
  x = b.conv(x, {512, 1, 1, 0, DType::kB1});
  x = b.conv(x, {8, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 5, 1, 0, DType::kI32}));
  return b;
}

TEST(SplitDecision, PartialSumsTooBigForTheBufferCutTheRows) {
  // Sequential: no bottleneck split on top, only the row ranges the buffer needs.
  const std::string d =
      dumped(partials_need_row_ranges(), "place", Schedule::kSequential, rram_exact());
  for (const char* part : {"(rows 0..0, group 0)", "(rows 0..0, group 1)", "(rows 1..2, group 0)",
                           "(rows 1..2, group 1)", "(rows 3..4, group 0)", "(rows 3..4, group 1)"})
    EXPECT_TRUE(has(d, part)) << part << "\n" << d;
  EXPECT_FALSE(has(d, "(rows 0..1, group 0)")) << d;
}

class Split : public ::testing::TestWithParam<Schedule> {};
INSTANTIATE_TEST_SUITE_P(Backend, Split,
                         ::testing::Values(Schedule::kSequential, Schedule::kPipelined),
                         [](const auto& info) {
                           return info.param == Schedule::kSequential ? "Sequential" : "Pipelined";
                         });

TEST_P(Split, DenseRowGroupsAddPartialSumsOnTile8x8) {
  GraphBuilder b = dense_3136_128();
  check(b, GetParam());
}

// Bytes of the network input a tile brings in per inference: LOADed from the global buffer
// and SENT on to other tiles (input passed between tiles) inside the batch loop.
struct InputTraffic {
  std::map<int, int64_t> loaded, sent;
};
InputTraffic input_traffic(const isa::Program& p) {
  InputTraffic t;
  for (const isa::TileProgram& tp : p.tiles) {
    int depth = 0;
    for (const isa::Command& c : tp.commands) {
      depth += c.op == isa::Opcode::kLoop ? 1 : c.op == isa::Opcode::kEndLoop ? -1 : 0;
      if (depth == 0) continue;
      if (c.op == isa::Opcode::kLoad) t.loaded[tp.tile] += c.bytes;
      if (c.op == isa::Opcode::kSend && c.src.space == isa::Space::kIbuf)
        t.sent[tp.tile] += c.bytes;
    }
  }
  return t;
}

// A dense layer over the network input (a vector) split into row groups: each group takes
// only the bytes under its row blocks, not the whole vector. 3136 b1 inputs in 2 row groups
// on tile8x8: 224 B (blocks 0..6, rows 0..1791) and 168 B; no byte twice.
TEST_P(Split, RowGroupsOfAVectorInputTakeOnlyTheirSlice) {
  GraphBuilder b = dense_3136_128();
  compiler::BackendOptions o;
  o.schedule = GetParam();
  const InputTraffic t = input_traffic(compiler::compile_graph(b.graph(), Target{}.chip(), o));
  std::multiset<int64_t> loads;
  for (const auto& [tile, bytes] : t.loaded) loads.insert(bytes);
  if (GetParam() == Schedule::kPipelined) {  // inference i0 + 1, prefetched
    EXPECT_EQ(loads, (std::multiset<int64_t>{168, 224}));
    EXPECT_TRUE(t.sent.empty());
  }
  check(b, GetParam());
}

// The MLP of bench_schedule (u8 784 -> 256 -> 10 here).
GraphBuilder mlp_784_256_10() {
  return two_dense(46, DType::kU8, 784, 256);
}

// rram4x4: 784 u8 inputs -> 256 is four column groups of two row groups; each slice (448 B,
// 336 B) is read by four tiles. One of them LOADs it and passes it to the other three: 784
// bytes through the global buffer's link per inference, 3 x 784 between tiles (it was one tile
// LOADing all 784 and sending them to each of the other seven: 1379 of every 1390 cycles on
// its port).
TEST_P(Split, VectorSlicesArePassedToTheirReadersOnlyOnRram4x4) {
  GraphBuilder b = mlp_784_256_10();
  const Target chip = rram_exact();
  if (GetParam() == Schedule::kPipelined) {
    const InputTraffic t =
        input_traffic(compiler::compile_graph(b.graph(), chip.chip(), compiler::BackendOptions{}));
    std::multiset<int64_t> loads, sends;
    for (const auto& [tile, bytes] : t.loaded) loads.insert(bytes);
    for (const auto& [tile, bytes] : t.sent) sends.insert(bytes);
    EXPECT_EQ(loads, (std::multiset<int64_t>{336, 448}));
    EXPECT_EQ(sends, (std::multiset<int64_t>{3 * 336, 3 * 448}));
  }
  check(b, GetParam(), chip, 4);
}

// rram4x4's tiles have 8 semaphores, all taken on the MLP's first-layer owners, so no second
// semaphore is left for double-buffered partial sums. With one contributor per owner none is
// needed: its partial sums arrive in order, and one semaphore counts both slots. The owner's
// ACCADD alternates between the two slots, the contributor starts with two credits, and the
// result is bit-exact over an odd and an even batch.
TEST(SplitPartials, OneContributorDoubleBuffersOnOneSemaphore) {
  GraphBuilder b = mlp_784_256_10();
  const Target chip = rram_exact();
  const isa::Program p =
      compiler::compile_graph(b.graph(), chip.chip(), compiler::BackendOptions{});
  int alternating = 0;
  for (const isa::TileProgram& t : p.tiles)
    for (const isa::Command& c : t.commands)
      if (c.op == isa::Opcode::kAccAdd && c.type == DType::kI32 && c.count == 64) {
        EXPECT_EQ(c.src.rot.period, 2) << "tile " << t.tile;
        alternating += c.src.rot.period == 2;
      }
  EXPECT_EQ(alternating, 4);  // the four column groups' owners
  check(b, Schedule::kPipelined, chip, 3);
  check(b, Schedule::kPipelined, chip, 4);
}

// A tile holds only its row group's bytes of an input vector: a 3000-byte u8 vector does not
// fit rram4x4's 2 KiB input buffers, but its row groups' slices (a tile's eight 64-row
// crossbars: 512 bytes at most) do. Bit-exact in both schedules.
TEST_P(Split, AVectorLargerThanATileBufferIsHeldInSlices) {
  GraphBuilder b = two_dense(48, DType::kU8, 3000, 32);
  check(b, GetParam(), rram_exact(), 2);
}

TEST_P(Split, DenseColumnGroupsSendByteSlicesOnTile8x8) {
  GraphBuilder b = two_dense(42, DType::kB1, 256, 1100);
  check(b, GetParam());
}

TEST_P(Split, ConvColumnGroupsSendPixelSlicesOnTile8x8) {
  GraphBuilder b = wide_conv();
  check(b, GetParam(), {}, 2);
}

TEST_P(Split, ConvRowAndColumnGroupsOnRram4x4) {
  GraphBuilder b = deep_conv_rram();
  check(b, GetParam(), rram_exact());
}

TEST_P(Split, PartialSumsInSeveralRowRangesOnRram4x4) {
  GraphBuilder b = partials_need_row_ranges();
  check(b, GetParam(), rram_exact(), 2);
}

// 3x3 conv 64 -> 64 (9 blocks of 64x64 on 8 crossbars) in two column groups, each adding
// its channels of the residual with per-channel scales; ternary weights and t2 activations
// (4 channels per byte).
TEST_P(Split, ColumnGroupsAddTheirResidualChannelsOnRram4x4) {
  GraphBuilder b(46);
  int x = b.input(DType::kU8, 6, 6, 1);
  const int a = b.conv(x, {64, 3, 1, 1, DType::kT2, true});
  x = b.conv(a, {64, 3, 1, 1, DType::kT2, true, a, 1, 0});
  compiler::MatLayer& m = b.graph().layers.back().mat;
  for (int c = 0; c < 64; ++c) m.residual_scales.push_back(1 + c / 7);
  b.output(b.conv(x, {10, 6, 1, 0, DType::kI32}));
  check(b, GetParam(), rram_exact(), 2);
}

// A t2 layer (4 channels per output byte) with a b1 residual (8 per byte) in column groups:
// each group must start on a byte of both, else its ACCADD would read the residual from the
// wrong byte (56 channels in 28 + 28 would put group 1 in the middle of a b1 byte).
TEST_P(Split, TernaryLayerWithBinaryResidualInColumnGroupsOnRram4x4) {
  GraphBuilder b(47);
  int x = b.input(DType::kU8, 6, 6, 1);
  const int a = b.conv(x, {56, 3, 1, 1, DType::kB1});
  x = b.conv(a, {64, 3, 1, 1, DType::kB1});
  x = b.conv(x, {56, 3, 1, 1, DType::kT2, true, a, 2, 1});
  compiler::MatLayer& m = b.graph().layers.back().mat;
  for (int c = 0; c < 56; ++c) m.residual_scales.push_back(c % 5 - 2);
  b.output(b.conv(x, {10, 6, 1, 0, DType::kI32}));
  check(b, GetParam(), rram_exact(), 2);
}

// Random small CNNs on a chip with two 32x32 crossbars per tile, where most layers are split
// (column groups, row groups, both) and the pipelined schedule adds row ranges, double
// buffering and passes the input between tiles: imcsim must equal the naive evaluator, also
// when the NoC multicasts (rows read by several parts, residual maps included, in one SEND).
Target tiny_tiles() {
  return {kTile8x8,
          {{"tile.crossbars", "2"},
           {"tile.crossbar.rows", "32"},
           {"tile.crossbar.cols", "32"},
           {"tile.crossbar.rows_per_step", "32"}}};
}

class RandomSplit : public ::testing::TestWithParam<unsigned> {};

TEST_P(RandomSplit, MatchesTheNaiveEvaluator) {
  GraphBuilder b(GetParam());
  const int64_t h = b.uniform(4, 8), w = b.uniform(4, 8);
  int x = b.input(GetParam() % 2 ? DType::kU8 : DType::kI8, h, w, 1);
  const DType act = GetParam() % 3 ? DType::kB1 : DType::kT2;
  x = b.conv(x, {static_cast<int>(b.uniform(4, 24)), 3, 1, 1, act, GetParam() % 3 == 0});
  const int64_t c = b.graph().values[x].c;
  // The residual layer's output: b1 or t2 whatever the residual's type (t2 into b1, b1 into
  // t2 with column groups on 4-channel bytes of the output), sum shift 0..2, per-channel
  // scales on odd seeds.
  const DType out = GetParam() % 4 < 2 ? DType::kT2 : DType::kB1;
  x = b.conv(x, {static_cast<int>(c), 3, 1, 1, out, GetParam() % 4 == 0, x, b.uniform(1, 3),
                 b.uniform(0, 2)});
  if (GetParam() % 2) {
    compiler::MatLayer& m = b.graph().layers.back().mat;
    for (int64_t k = 0; k < c; ++k) m.residual_scales.push_back(b.uniform(-3, 3));
  }
  if (GetParam() % 2) x = b.pool(x, 2, 2);
  const compiler::Value v = b.graph().values[x];
  const compiler::testing::Window whole{static_cast<int>(v.h), static_cast<int>(v.w)};
  x = b.mat(x, act, b.uniform(8, 40), whole, false);  // a dense layer over the map
  b.output(b.dense(x, 10, DType::kI32));
  for (Schedule s : {Schedule::kSequential, Schedule::kPipelined}) check(b, s, tiny_tiles(), 2);
  Target multicast = tiny_tiles();
  multicast.sets.push_back(arch::parse_override("noc.multicast=tree"));
  check(b, Schedule::kPipelined, multicast, 2);
  int multicasts = 0;  // 4 to 19 over the seeds
  for (const isa::TileProgram& t : compiler::compile_graph(b.graph(), multicast.chip(), {}).tiles)
    for (const isa::Command& c : t.commands) multicasts += c.mcast != 0;
  EXPECT_GT(multicasts, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomSplit, ::testing::Range(1u, 13u));

}  // namespace
}  // namespace imc::test
