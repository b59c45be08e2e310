// Shifted kernel copies (compiler/backend/shifted_kernels.h): several neighbouring output
// positions per MVM. The choice of P, the view's matrix, and bit-exact programs on imcsim.
#include <gtest/gtest.h>

#include <string>

#include "compiler/backend/shifted_kernels.h"
#include "sim_check.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::MatLayer;
using compiler::Schedule;
using compiler::Value;
using compiler::testing::GraphBuilder;
using isa::DType;
constexpr compiler::ShiftedKernels kAllViews = compiler::ShiftedKernels::kAll;

MatLayer conv3x3_pad1() {
  MatLayer m;
  m.kh = m.kw = 3;
  m.pad_top = m.pad_left = m.pad_bottom = m.pad_right = 1;
  return m;
}

TEST(ShiftedKernels, PositionsFillTheColumnsOrTheWindow) {
  const arch::TileParams t = Target{}.chip().tile;  // 256x256, two cells per weight
  MatLayer m = conv3x3_pad1();
  // u8 28x28x1 -> 32 channels: 7 positions fill 224 of 256 columns (8 does not divide 28).
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kU8, 28, 28, 1},
                                        {"y", DType::kB1, 28, 28, 32}, t),
            7);
  // b1 12x12x16 -> 16: a whole row per MVM set, three blocks of one kernel row (14 pixels of
  // 16 channels, 224 rows) on three crossbars: 3 MVMs for 12 positions. Three positions
  // (3 x 80 rows, one block) on each of four crossbars are as fast on the crossbars but take
  // an MVM per 3 positions: the sequencer issues one a cycle.
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kB1, 12, 12, 16},
                                        {"y", DType::kB1, 12, 12, 16}, t),
            12);
  // 13 wide: only 13 positions divide the row, a window of 3x15 segments, more than a gather's
  // 32. Its bit-serial MVMs make the layer crossbar-bound (10 cycles each on four copies,
  // against an issue slot each), where a view split into blocks does not pay.
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kU8, 13, 13, 1},
                                        {"y", DType::kB1, 13, 13, 16}, t),
            1);
  // b1 28x28x32 -> 32: one position's 3x3x32 = 288 rows already take two MVMs (a kernel row
  // of 96, two of 192). Four positions: three blocks of one kernel row (6 pixels x 32 = 192
  // rows, 128 columns), 3 MVMs for 4 positions.
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kB1, 28, 28, 32},
                                        {"y", DType::kB1, 28, 28, 32}, t),
            4);
  // 4 channels of b1: half a byte per pixel, so two pixels are not one vector.
  EXPECT_EQ(
      compiler::positions_per_mvm(m, {"x", DType::kU8, 12, 12, 1}, {"y", DType::kB1, 12, 12, 4}, t),
      1);
  // The other copies' cells hold 0: a crossbar of one cell per weight cannot.
  arch::TileParams binary = t;
  binary.crossbar.cells_per_weight = 1;
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kU8, 28, 28, 1},
                                        {"y", DType::kB1, 28, 28, 32}, binary),
            1);
  m.residual = 0;  // a residual map is added pixel by pixel
  EXPECT_EQ(compiler::positions_per_mvm(m, {"x", DType::kU8, 28, 28, 1},
                                        {"y", DType::kB1, 28, 28, 32}, t),
            1);
}

// Copy q of the kernel sits q x stride input columns further right, in its own columns; the
// thresholds repeat per copy.
TEST(ShiftedKernels, CopiesAreShiftedByTheStride) {
  MatLayer m;
  m.kh = 1;
  m.kw = 2;
  m.stride_w = 2;
  m.weights = {+1, -1, -1, -1};  // [out 2][kh 1][kw 2][in 1]
  m.thresholds = {{1, 0, false}, {2, 0, true}};
  const Value in{"x", DType::kB1, 1, 8, 1}, out{"y", DType::kB1, 1, 4, 2};
  const MatLayer v = compiler::shifted_copies(m, in, out, 2);
  EXPECT_EQ(v.kw, 4);
  EXPECT_EQ(v.stride_w, 4);
  EXPECT_EQ(v.pad_right, 0);
  // [out 4][kw 4]: copy 0 (outputs 0, 1) reads columns 0-1, copy 1 (outputs 2, 3) columns 2-3.
  const std::vector<int8_t> want{+1, -1, 0, 0, -1, -1, 0, 0, 0, 0, +1, -1, 0, 0, -1, -1};
  EXPECT_EQ(v.weights, want);
  ASSERT_EQ(v.thresholds.size(), 4u);
  EXPECT_EQ(v.thresholds[2].t0, 1);
  EXPECT_EQ(v.thresholds[3].t0, 2);
  EXPECT_TRUE(v.thresholds[3].invert);
  const Value pixels = compiler::packed_pixels(out, 2);
  EXPECT_EQ(pixels.w, 2);
  EXPECT_EQ(pixels.c, 4);
}

class ShiftedBothSchedules : public ::testing::TestWithParam<Schedule> {};
INSTANTIATE_TEST_SUITE_P(Backend, ShiftedBothSchedules,
                         ::testing::Values(Schedule::kSequential, Schedule::kPipelined),
                         [](const auto& info) {
                           return info.param == Schedule::kSequential ? "Sequential" : "Pipelined";
                         });

// A u8 first layer: 7 positions per MVM over a 14-wide row, padding on both sides.
GraphBuilder u8_first_layer() {
  GraphBuilder b(41);
  int x = b.input(DType::kU8, 14, 14, 1);
  x = b.conv(x, {32, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 7, 1, 0, DType::kI32}));
  return b;
}

TEST_P(ShiftedBothSchedules, U8FirstLayerSevenPositionsPerMvm) {
  GraphBuilder b = u8_first_layer();
  EXPECT_TRUE(has(dumped(b, "partition", GetParam(), {}, kAllViews),
                  "7 output positions per MVM (shifted kernel copies): computed as 14x2x224 b1"));
  check(b, GetParam(), {}, 3, kAllViews);
}

// b1 and t2 maps of 16 channels (a row of 12 positions per MVM set, in three blocks), ternary
// weights, a raw-sum map output (3 positions: its t2 input takes two buffer beats a block, so
// the crossbars decide, and a tie keeps the fewer copies).
TEST_P(ShiftedBothSchedules, BinaryAndTernaryMapsAndRawSums) {
  GraphBuilder b(42);
  int x = b.input(DType::kB1, 12, 12, 16);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kT2, true});
  b.output(b.conv(x, {8, 3, 1, 1, DType::kI32}));
  const std::string d = dumped(b, "partition", GetParam(), {}, kAllViews);
  EXPECT_TRUE(
      has(d, "12 output positions per MVM (shifted kernel copies): computed as 12x1x192 b1"))
      << d;
  EXPECT_TRUE(
      has(d, "12 output positions per MVM (shifted kernel copies): computed as 12x1x192 t2"))
      << d;
  EXPECT_TRUE(has(d, "3 output positions per MVM (shifted kernel copies): computed as 12x4x24 i32"))
      << d;
  check(b, GetParam(), {}, 3, kAllViews);
}

// A kernel taller than a crossbar (3x3x32 = 288 rows): the view's blocks hold one kernel row
// each, and the map is the same.
TEST_P(ShiftedBothSchedules, KernelTallerThanACrossbar) {
  GraphBuilder b(45);
  int x = b.input(DType::kB1, 8, 8, 32);
  x = b.conv(x, {32, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 8, 1, 0, DType::kI32}));
  EXPECT_TRUE(has(dumped(b, "partition", GetParam(), {}, kAllViews),
                  "4 output positions per MVM (shifted kernel copies): computed as 8x2x128 b1, "
                  "kernel 3x6 stride 1x4"));
  check(b, GetParam(), {}, 3, kAllViews);
}

// Stride 2: the copies are two input columns apart, the view's stride is 6.
TEST_P(ShiftedBothSchedules, StridedConvolution) {
  GraphBuilder b(43);
  int x = b.input(DType::kU8, 12, 12, 1);
  x = b.conv(x, {16, 3, 2, 1, DType::kB1});
  b.output(b.conv(x, {10, 6, 1, 0, DType::kI32}));
  EXPECT_TRUE(has(dumped(b, "partition", GetParam(), {}, kAllViews), "kernel 3x7 stride 2x6"));
  check(b, GetParam(), {}, 3, kAllViews);
}

TEST_P(ShiftedBothSchedules, Kernel5x5Padding2) {
  GraphBuilder b(44);
  int x = b.input(DType::kB1, 8, 8, 8);
  x = b.conv(x, {8, 5, 1, 2, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 4, 1, 0, DType::kI32}));
  // A whole row: 5 rows of a 12-pixel window are 60 gather segments, in blocks of two kernel
  // rows (24 segments of a gather's 32), 3 MVMs for 8 positions.
  const std::string d = dumped(b, "partition", GetParam(), {}, kAllViews);
  EXPECT_TRUE(has(d,
                  "8 output positions per MVM (shifted kernel copies): computed as 8x1x64 b1, "
                  "kernel 5x12 stride 1x8"))
      << d;
  check(b, GetParam(), {}, 3, kAllViews);
}

// An ADC readout: the conversions of the wider reads count, so P stops at 3 (24 columns)
// where 6 would fit the 64x64 crossbar.
TEST_P(ShiftedBothSchedules, SmallCnnOnRram4x4) {
  GraphBuilder b(45);
  int x = b.input(DType::kU8, 12, 12, 1);
  x = b.conv(x, {8, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 6, 1, 0, DType::kI32}));
  const std::string d = dumped(b, "partition", GetParam(), rram_exact(), kAllViews);
  EXPECT_TRUE(has(d,
                  "3 output positions per MVM (shifted kernel copies): computed as 12x4x24 b1, "
                  "kernel 3x5 stride 1x3"))
      << d;
  check(b, GetParam(), rram_exact(), 3, kAllViews);
}

// Fewer MVMs: the sequential schedule, which runs one layer at a time, gets faster (1593 ->
// 963 cycles when written).
TEST(ShiftedKernels, SequentialScheduleNeedsFewerCycles) {
  GraphBuilder b = u8_first_layer();
  const int64_t plain = check(b, Schedule::kSequential, {}, 2);
  const int64_t shifted = check(b, Schedule::kSequential, {}, 2, kAllViews);
  EXPECT_LT(shifted * 3, plain * 2) << plain << " vs " << shifted;
}

// Random convolutions (kernels up to 5x5, strides up to 2, uneven padding, b1/t2/u8/i8 inputs,
// ternary weights) with shifted kernels: imcsim must equal the naive evaluator on both
// schedules, and most of them must have been shifted.
TEST(ShiftedKernels, RandomConvolutionsMatchTheNaiveEvaluator) {
  int shifted = 0;
  const int seeds = 12;
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    GraphBuilder b(seed);
    const DType types[] = {DType::kU8, DType::kI8, DType::kB1, DType::kT2};
    const DType in = types[seed % 4];
    const bool image = in == DType::kU8 || in == DType::kI8;
    int x = b.input(in, b.uniform(6, 16), b.uniform(6, 20), image ? 1 : 8 * b.uniform(1, 2));
    compiler::testing::Window k = b.random_window(5, 2, 0);
    k.pad_top = b.uniform(0, k.kh - 1);
    k.pad_bottom = b.uniform(0, k.kh - 1);
    k.pad_left = b.uniform(0, k.kw - 1);
    k.pad_right = b.uniform(0, k.kw - 1);
    const DType act = seed % 3 ? DType::kB1 : DType::kT2;
    x = b.mat(x, act, 8 * b.uniform(1, 4), k, seed % 2 == 0);
    x = b.conv(x, {8 * b.uniform(1, 2), 3, 1, 1, DType::kB1});
    const compiler::Value v = b.graph().values[x];
    const compiler::testing::Window whole{static_cast<int>(v.h), static_cast<int>(v.w)};
    b.output(b.mat(x, DType::kI32, 10, whole, false));
    shifted +=
        has(dumped(b, "partition", Schedule::kSequential, {}, kAllViews), "positions per MVM");
    for (Schedule s : {Schedule::kSequential, Schedule::kPipelined}) check(b, s, {}, 2, kAllViews);
  }
  EXPECT_GE(shifted, seeds / 2);
}

}  // namespace
}  // namespace imc::test
