// Layers whose maps do not fit one tile's buffers: split over tiles by output rows, each part
// holding only its window of each map (input rows its windows read, residual and output rows
// its own). The decisions (how many parts, which rows, dumped after `place` and `allocate`),
// and compile -> imcsim equal to the naive evaluator bit for bit on both schedules.
#include <gtest/gtest.h>

#include <sstream>

#include "compiler/backend/backend.h"
#include "compiler/backend/plan.h"
#include "sim_check.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::Schedule;
using compiler::testing::GraphBuilder;
using isa::DType;

// u8 28x28 -> conv3x3 64 ternary activations: the output map 28x28x64 t2 is 12544 B, the
// tile8x8 output buffer 8 KiB: two parts of 14 rows (6272 B each). The pool after it reads
// the same map: two parts too, each holding its 14 input rows.
GraphBuilder t2_output_too_big() {
  GraphBuilder b(51);
  int x = b.input(DType::kU8, 28, 28, 1);
  x = b.conv(x, {64, 3, 1, 1, DType::kT2});
  x = b.pool(x, 2, 2);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 7, 1, 0, DType::kI32}));
  return b;
}

TEST(WindowDecision, OutputMapTooBigForTheOutputBufferSplitsTheRowsInTwo) {
  const std::string d = dumped(t2_output_too_big(), "place", Schedule::kSequential);
  EXPECT_TRUE(has(d,
                  "mat layer0: 28x28x1 u8 -> 28x28x64 t2 on tiles 0 (rows 0..13) 1 (rows "
                  "14..27)\n  windows: input rows 0..14 13..27; output rows 0..13 14..27\n"))
      << d;
  EXPECT_TRUE(has(d,
                  "maxpool pool1: 28x28x64 t2 -> 14x14x64 t2 on tiles 2 (rows 0..6) 3 (rows "
                  "7..13)\n  windows: input rows 0..13 14..27; output rows 0..6 7..13\n"))
      << d;
  // The layers whose maps fit stay whole, on one tile.
  EXPECT_TRUE(has(d, "mat layer2: 14x14x64 t2 -> 14x14x16 b1 on tile 4\n")) << d;
}

// The residual layer holds its 28x28x64 b1 input (6272 B) and the residual map (6272 B):
// more than 8 KiB together. Two parts: 15 input rows (3360 B) + 14 residual rows (3136 B).
GraphBuilder residual_too_big() {
  GraphBuilder b(52);
  int x = b.input(DType::kU8, 28, 28, 1);
  const int a = b.conv(x, {64, 3, 1, 1, DType::kB1});
  x = b.conv(a, {64, 3, 1, 1, DType::kB1, false, a, 2, 0});
  x = b.pool(x, 2, 2);
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 7, 1, 0, DType::kI32}));
  return b;
}

TEST(WindowDecision, InputAndResidualTooBigTogetherSplitTheRows) {
  const std::string d = dumped(residual_too_big(), "allocate", Schedule::kSequential);
  EXPECT_TRUE(has(d, "mat layer0: 28x28x1 u8 -> 28x28x64 b1 on tile 0\n")) << d;
  EXPECT_TRUE(has(d,
                  "mat layer1: 28x28x64 b1 -> 28x28x64 b1 on tiles 1 (rows 0..13) 2 (rows "
                  "14..27)\n  windows: input rows 0..14 13..27; output rows 0..13 14..27\n"))
      << d;
  // The residual slot follows the largest input window: 15 rows of 224 B.
  EXPECT_TRUE(has(d, "  residual v1 (layer0 -> layer1) ibuf[3360]")) << d;
}

// Pipelined: the greedy cuts layer1 into 28 parts, one output row each (27 would leave one
// part two rows, as slow as 14 parts); the slots hold the largest windows (3 input rows,
// 672 B; 1 residual row, 224 B), and the working copies of double and triple buffering follow,
// windowed as well.
TEST(WindowDecision, SlotsAndWorkingCopiesHoldTheLargestWindow) {
  // One position per MVM: with its default views the u8 layer takes half the tiles.
  const std::string d = dumped(residual_too_big(), "allocate", Schedule::kPipelined, {},
                               compiler::ShiftedKernels::kNone);
  EXPECT_TRUE(has(d, "(rows 26..26) 55 (rows 27..27)\n  windows: input rows 0..1 0..2 1..3 ")) << d;
  EXPECT_TRUE(has(d,
                  "  in v1 (layer0 -> layer1) ibuf[0], ibuf[896] and ibuf[1792]\n  residual v1 "
                  "(layer0 -> layer1) ibuf[672], ibuf[1568] and ibuf[2464]\n"))
      << d;
}

// A 96x96 u8 image (9216 B) into a 3x3 conv with raw i32 sums (36864 B): the output buffer
// needs 5 row ranges (at most 21 rows of 384 B each), each LOADing its 21-22 input rows.
GraphBuilder input_too_big() {
  GraphBuilder b(53);
  int x = b.input(DType::kU8, 96, 96, 1);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  return b;
}

TEST(WindowDecision, InputMapTooBigForTheInputBuffer) {
  const std::string d = dumped(input_too_big(), "place", Schedule::kSequential);
  EXPECT_TRUE(has(d,
                  "on tiles 0 (rows 0..18) 1 (rows 19..37) 2 (rows 38..56) 3 (rows 57..75) 4 "
                  "(rows 76..95)\n  windows: input rows 0..19 18..38 37..57 56..76 75..95;"))
      << d;
}

// Pipelined: the bottleneck greedy adds row ranges on top of those the buffers need.
TEST(WindowDecision, PipelinedSplitsFurtherThanTheBuffersNeed) {
  const std::string d = dumped(t2_output_too_big(), "place", Schedule::kPipelined);
  const size_t at = d.find("mat layer0: ");
  ASSERT_NE(at, std::string::npos) << d;
  const std::string line = d.substr(at, d.find('\n', at) - at);
  EXPECT_TRUE(has(line, "(rows 0..")) << line;
  EXPECT_FALSE(has(line, "(rows 0..13)")) << line;  // more than two parts
}

class Windows : public ::testing::TestWithParam<Schedule> {};
INSTANTIATE_TEST_SUITE_P(Backend, Windows,
                         ::testing::Values(Schedule::kSequential, Schedule::kPipelined),
                         [](const auto& info) {
                           return info.param == Schedule::kSequential ? "Sequential" : "Pipelined";
                         });

TEST_P(Windows, OutputMapLargerThanTheOutputBufferOnTile8x8) {
  GraphBuilder b = t2_output_too_big();
  check(b, GetParam(), {}, 2);
}

TEST_P(Windows, ResidualMapLargerThanTheInputBufferOnTile8x8) {
  GraphBuilder b = residual_too_big();
  check(b, GetParam(), {}, 2);
}

TEST_P(Windows, InputMapLargerThanTheInputBufferOnTile8x8) {
  GraphBuilder b = input_too_big();
  check(b, GetParam(), {}, 2);
}

// An RGB image of 3 planes 40x40 (4800 B) on rram4x4 (2 KiB buffers): each part LOADs its
// rows of every plane into a windowed plane of its own; a stride-2 conv follows.
TEST_P(Windows, RgbPlanesInWindowsOnRram4x4) {
  GraphBuilder b(54);
  int x = b.input(DType::kU8, 40, 40, 3);
  x = b.conv(x, {8, 3, 2, 1, DType::kB1});
  x = b.conv(x, {16, 3, 2, 1, DType::kB1});
  b.output(b.conv(x, {10, 10, 1, 0, DType::kI32}));
  const std::string d = dumped(b, "place", GetParam(), rram_exact());
  EXPECT_TRUE(has(d, "mat layer0: 40x40x3 u8 -> 20x20x8 b1 on tiles 0 (rows 0..")) << d;
  EXPECT_TRUE(has(d, "  windows: input rows 0..")) << d;
  check(b, GetParam(), rram_exact(), 2);
}

// Row groups (a split matrix) with windowed maps on rram4x4 (2 KiB buffers): the 1x1 conv to
// 512 channels (two column groups) writes a 6x6x512 b1 map (2304 B): two row ranges. The 3x3
// conv 512 -> 8 needs two row groups; its input (6 rows of 384 B) plus one slot of partial
// sums (192 B per output row) fit in windows of two output rows: three row ranges, each
// holding 4 input rows (1536 B) and 2 rows of partial sums (384 B).
GraphBuilder row_groups_in_windows() {
  GraphBuilder b(55);
  int x = b.input(DType::kU8, 6, 6, 1);
  x = b.conv(x, {512, 1, 1, 0, DType::kB1});
  x = b.conv(x, {8, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 6, 1, 0, DType::kI32}));
  return b;
}

TEST(WindowDecision, RowGroupsWithWindowedMapsOnRram4x4) {
  const std::string d =
      dumped(row_groups_in_windows(), "allocate", Schedule::kSequential, rram_exact());
  EXPECT_TRUE(has(d,
                  "mat layer0: 6x6x1 u8 -> 6x6x512 b1 on tiles 0 (rows 0..2, group 0) 1 (rows "
                  "0..2, group 1) 2 (rows 3..5, group 0) 3 (rows 3..5, group 1)\n"))
      << d;
  EXPECT_TRUE(has(d, "(rows 0..1, group 0)")) << d;
  EXPECT_TRUE(has(d, "(rows 4..5, group 1)")) << d;
  EXPECT_TRUE(has(d, "  windows: input rows 0..2 1..4 3..5; output rows 0..1 2..3 4..5\n")) << d;
  // Each row group holds only the input rows under its kernel rows (group 0: kernel rows
  // 0..1, group 1: 1..2), 3 of the 4 rows of 384 B the middle part's windows span: the
  // partial sums follow a 1152-byte input window.
  EXPECT_TRUE(has(d, "  partial sums ibuf[1152] 384 B per row group")) << d;
}

TEST_P(Windows, RowGroupsWithWindowedMapsOnRram4x4) {
  GraphBuilder b = row_groups_in_windows();
  check(b, GetParam(), rram_exact(), 2);
}

// Random CNNs on tile8x8 with 512 B tile buffers: most maps need windows (a residual, padded
// convs, pools, ternary activations); imcsim must equal the naive evaluator.
Target small_buffers() {
  return {kTile8x8,
          {{"tile.input_buffer.capacity", "512B"}, {"tile.output_buffer.capacity", "512B"}}};
}

class RandomWindows : public ::testing::TestWithParam<unsigned> {};

GraphBuilder random_windowed_cnn(unsigned seed) {
  GraphBuilder b(seed);
  const int64_t h = b.uniform(12, 20), w = b.uniform(12, 20);
  int x = b.input(seed % 2 ? DType::kU8 : DType::kI8, h, w, 1);
  const DType act = seed % 3 ? DType::kB1 : DType::kT2;
  const int k = 1 + 2 * b.uniform(0, 2);
  const int c = 8 * b.uniform(2, act == DType::kT2 ? 3 : 6);
  x = b.conv(x, {c, k, 1, k / 2, act, seed % 3 == 0});
  x = b.conv(x, {c, 3, 1, 1, act, seed % 4 == 0, x, b.uniform(1, 3), 0});
  x = b.pool(x, 2, 2);
  // The dense layer over the map reads it whole: pool until it fits half a buffer.
  while (compiler::map_bytes(b.graph().values[x]) > 256) x = b.pool(x, 3, 2, 1);
  const compiler::Value v = b.graph().values[x];
  const compiler::testing::Window whole{static_cast<int>(v.h), static_cast<int>(v.w)};
  x = b.mat(x, act, b.uniform(8, 40), whole, false);
  b.output(b.dense(x, 10, DType::kI32));
  return b;
}

TEST_P(RandomWindows, MatchesTheNaiveEvaluator) {
  GraphBuilder b = random_windowed_cnn(GetParam());
  const std::string d = dumped(b, "place", Schedule::kSequential, small_buffers());
  EXPECT_TRUE(has(d, "  windows: input rows")) << "no layer needed windows:\n" << d;
  for (Schedule s : {Schedule::kSequential, Schedule::kPipelined}) check(b, s, small_buffers(), 2);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomWindows, ::testing::Range(1u, 11u));

// Buffers that hold two slots of a window: windows handed over in halves.
Target one_kib_buffers() {
  return {kTile8x8,
          {{"tile.input_buffer.capacity", "1KiB"}, {"tile.output_buffer.capacity", "1KiB"}}};
}

// The same networks on meshes small enough that the layers take every tile, with 512 B, 1 KiB
// and tile8x8's buffers: pools fused into the conv before them (reading windows of its
// output) and maps handed over in halves (windows of them too), where imcc takes them, must
// equal the naive evaluator; over the seeds all three happen.
TEST(RandomWindows, FusedPoolsAndHalvesOnFullChipsMatchTheNaiveEvaluator) {
  int fused = 0, halves = 0, windowed_halves = 0;
  for (unsigned seed = 1; seed < 11; ++seed)
    for (const char* mesh : {"3", "4"})
      for (const Target& chip : {small_buffers(), one_kib_buffers(), Target{}}) {
        GraphBuilder b = random_windowed_cnn(seed);
        Target t = chip;
        t.sets.push_back(arch::parse_override(std::string("mesh.rows=") + mesh));
        t.sets.push_back(arch::parse_override(std::string("mesh.cols=") + mesh));
        std::string d;
        try {
          d = dumped(b, "schedule", Schedule::kPipelined, t);
        } catch (const compiler::BackendError&) {
          continue;  // does not fit this mesh
        }
        const bool in_halves = has(d, ", in halves: the second on data_sem");
        fused += has(d, "  fused: on the tiles of");
        halves += in_halves;
        windowed_halves += in_halves && has(d, "  windows: input rows");
        check(b, Schedule::kPipelined, t, 3);
      }
  EXPECT_GT(fused, 0);
  EXPECT_GT(halves, 0);
  EXPECT_GT(windowed_halves, 0);
}

}  // namespace
}  // namespace imc::test
