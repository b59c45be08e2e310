// compile_graph -> imcsim must equal the naive evaluator bit for bit, on both schedules.
#include <gtest/gtest.h>

#include <sstream>

#include "compiler/backend/backend.h"
#include "hw/arch/load.h"
#include "sim_check.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::Schedule;
using compiler::testing::GraphBuilder;
using isa::DType;

class BothSchedules : public ::testing::TestWithParam<Schedule> {};
INSTANTIATE_TEST_SUITE_P(Backend, BothSchedules,
                         ::testing::Values(Schedule::kSequential, Schedule::kPipelined),
                         [](const auto& info) {
                           return info.param == Schedule::kSequential ? "Sequential" : "Pipelined";
                         });

TEST_P(BothSchedules, DenseLargerThanACrossbarBothWays) {
  GraphBuilder b(1);
  int x = b.input(DType::kB1, 1, 1, 600);
  x = b.dense(x, 300, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  check(b, GetParam());
}

TEST_P(BothSchedules, DenseOnU8InputIsBitSerial) {
  GraphBuilder b(2);
  int x = b.input(DType::kU8, 1, 1, 784);
  x = b.dense(x, 64, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  check(b, GetParam());
}

TEST_P(BothSchedules, TernaryWeightsAndT2Activations) {
  GraphBuilder b(3);
  int x = b.input(DType::kT2, 1, 1, 200);
  x = b.dense(x, 100, DType::kT2, true);
  x = b.dense(x, 50, DType::kT2, true);
  b.output(b.dense(x, 10, DType::kI32, true));
  check(b, GetParam());
}

TEST_P(BothSchedules, Conv3x3PaddedThenStride2WithMaxPool) {
  GraphBuilder b(4);
  int x = b.input(DType::kU8, 12, 12, 1);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {32, 3, 2, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 3, 1, 0, DType::kI32}));
  check(b, GetParam());
}

// A multi-channel (RGB) u8 image: NCHW planes in the tile, one MVM per input channel.
TEST_P(BothSchedules, RgbU8InputConv3x3Pad1) {
  GraphBuilder b(31);
  int x = b.input(DType::kU8, 8, 8, 3);
  x = b.conv(x, {8, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  check(b, GetParam());
}

TEST_P(BothSchedules, RgbU8InputConv3x3Stride2Pad1ThenPool) {
  GraphBuilder b(32);
  int x = b.input(DType::kU8, 12, 10, 3);
  x = b.conv(x, {16, 3, 2, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  check(b, GetParam());
}

TEST_P(BothSchedules, RgbU8InputRawSumsMapOutput) {
  GraphBuilder b(33);
  int x = b.input(DType::kU8, 9, 7, 3);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  check(b, GetParam());
}

TEST_P(BothSchedules, FourChannelI8InputOnRram4x4SplitsRowsOver64x64) {
  GraphBuilder b(34);
  int x = b.input(DType::kI8, 8, 8, 4);
  x = b.conv(x, {8, 5, 1, 2, DType::kB1});
  b.output(b.conv(x, {1, 3, 2, 1, DType::kI32}));
  check(b, GetParam(), rram_exact());
}

TEST_P(BothSchedules, Conv5x5Stride2Padding2) {
  GraphBuilder b(5);
  int x = b.input(DType::kU8, 13, 13, 1);
  x = b.conv(x, {8, 5, 2, 2, DType::kT2, true});
  x = b.conv(x, {12, 5, 2, 2, DType::kB1});
  b.output(b.conv(x, {6, 4, 1, 0, DType::kI32}));
  check(b, GetParam());
}

TEST_P(BothSchedules, ResidualAndPaddedMaxPool) {
  GraphBuilder b(6);
  int x = b.input(DType::kU8, 10, 10, 1);
  const int a = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(a, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kB1, false, a, 3, 1});
  x = b.pool(x, 3, 2, 1);
  b.output(b.conv(x, {10, 5, 1, 0, DType::kI32}));
  check(b, GetParam());
}

// Max-pool windows of more than the 32 pixels one POOL compares: a POOL per run of whole
// kernel rows (at most 32 pixels) into scratch pixels of the output buffer, then one over
// those. 7x7 = 49 pixels: runs of 4 and 3 rows (28 + 21), padded border windows shrunk to
// 4..7 rows; 8x8 = 64: two runs of 4 rows; the global 12x12 pool of t2 maps: 6 runs of 2
// rows; a 7x7 pool of a u8 image. Bit-exact on both chips, both schedules.
TEST_P(BothSchedules, MaxPoolWindowsOfMoreThan32Pixels) {
  GraphBuilder b(31);
  int x = b.input(DType::kU8, 16, 16, 1);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.pool(x, 7, 1, 3);
  b.output(b.conv(b.pool(x, 8, 8), {10, 2, 1, 0, DType::kI32}));
  compiler::BackendOptions options;
  options.schedule = GetParam();
  const isa::Program prog = compiler::compile_graph(b.graph(), Target{}.chip(), options);
  std::vector<std::pair<int, int>> combines;  // POOLs over scratch pixels: kx, ky
  int runs_of_4 = 0;
  for (const isa::TileProgram& t : prog.tiles)
    for (const isa::Command& c : t.commands) {
      if (c.op != isa::Opcode::kPool) continue;
      EXPECT_LE(c.gather.kx * c.gather.ky, isa::kMaxSegments);
      if (c.src.space == isa::Space::kObuf) combines.emplace_back(c.gather.kx, c.gather.ky);
      runs_of_4 += c.gather.ky == 4 && c.gather.kx >= 7;
    }
  EXPECT_FALSE(combines.empty());
  for (const auto& [kx, ky] : combines) {
    EXPECT_EQ(ky, 1);
    EXPECT_EQ(kx, 2);  // every window here has two runs
  }
  EXPECT_GT(runs_of_4, 0);
  check(b, GetParam());
  check(b, GetParam(), rram_exact());

  GraphBuilder t(32);
  int y = t.input(DType::kT2, 14, 14, 4);
  y = t.conv(y, {8, 3, 1, 0, DType::kT2});
  t.output(t.conv(t.pool(y, 12, 1), {10, 1, 1, 0, DType::kI32}));
  check(t, GetParam());
  check(t, GetParam(), rram_exact());

  // Maxima of binary maps saturate at +1; those of u8 pixels tell every run apart.
  GraphBuilder u(33);
  const int image = u.input(DType::kU8, 14, 14, 1);
  u.output(u.conv(u.pool(image, 7, 7), {10, 2, 1, 0, DType::kI32}));
  check(u, GetParam(), {}, 8);
  check(u, GetParam(), rram_exact(), 8);
}

// Per-channel residual scales: one ACCADD per run of equal scales, runs not on byte bounds.
TEST_P(BothSchedules, ResidualWithPerChannelScales) {
  GraphBuilder b(7);
  int x = b.input(DType::kU8, 8, 8, 1);
  const int a = b.conv(x, {13, 3, 1, 1, DType::kB1});
  x = b.conv(a, {13, 3, 1, 1, DType::kB1, false, a, 3, 1});
  compiler::MatLayer& m = b.graph().layers.back().mat;
  m.residual_scales = {3, 3, 5, -2, -2, -2, 0, 7, 7, 7, 7, 1, 3};
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  check(b, GetParam());
}

TEST_P(BothSchedules, DenseResidualWithPerChannelScales) {
  GraphBuilder b(8);
  int x = b.input(DType::kB1, 1, 1, 64);
  const int a = b.dense(x, 20, DType::kB1);
  x = b.dense(a, 20, DType::kB1);
  x = b.mat(x, DType::kB1, 20, {}, false, a, 1, 1);
  compiler::MatLayer& m = b.graph().layers.back().mat;
  for (int c = 0; c < 20; ++c) m.residual_scales.push_back(1 + c / 3);
  b.output(b.dense(x, 10, DType::kI32));
  check(b, GetParam());
}

TEST_P(BothSchedules, WideChannelsSplitIntoChannelSlices) {
  GraphBuilder b(7);
  int x = b.input(DType::kB1, 1, 1, 520);
  x = b.dense(x, 300, DType::kB1);  // 3 row blocks x 2 column blocks packed on 4 crossbars
  b.output(b.dense(x, 16, DType::kB1));
  check(b, GetParam());
}

TEST_P(BothSchedules, SmallCnnOnRram4x4) {
  GraphBuilder b(8);
  int x = b.input(DType::kU8, 8, 8, 1);
  x = b.conv(x, {8, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kT2, true});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {10, 4, 1, 0, DType::kI32}));
  check(b, GetParam(), rram_exact());
}

TEST_P(BothSchedules, DenseOnRram4x4SplitsOver64x64Crossbars) {
  GraphBuilder b(9);
  int x = b.input(DType::kB1, 1, 1, 200);
  x = b.dense(x, 100, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  check(b, GetParam(), rram_exact());
}

GraphBuilder four_layer_cnn() {
  GraphBuilder b(10);
  int x = b.input(DType::kU8, 12, 12, 1);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  b.output(b.conv(x, {10, 12, 1, 0, DType::kI32}));
  return b;
}

TEST(BackendSchedule, PipelinedIsFasterThanSequentialOnAMultiLayerCnn) {
  GraphBuilder seq = four_layer_cnn(), pipe = four_layer_cnn();
  const int64_t s = check(seq, Schedule::kSequential, {}, 24);
  const int64_t p = check(pipe, Schedule::kPipelined, {}, 24);
  std::printf("five-layer CNN, 24 inferences: sequential %lld cycles, pipelined %lld (%.2fx)\n",
              static_cast<long long>(s), static_cast<long long>(p), double(s) / double(p));
  // Measured 2.49x with one tile per layer; with the bit-serial first layer split over
  // several tiles, 5.73x.
  EXPECT_LT(p * 3, s);
}

// Split layers (pipelined: the slowest layers' output rows spread over several tiles): a
// split u8 first layer feeding a residual, a padded pool, and a split single-channel i32
// map stored by several tiles, each its own rows.
TEST_P(BothSchedules, SplitLayersWithResidualPoolAndMapOutput) {
  GraphBuilder b(11);
  int x = b.input(DType::kU8, 24, 20, 1);
  const int a = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.conv(a, {16, 3, 1, 1, DType::kB1, false, a, 2, 0});
  x = b.pool(x, 3, 2, 1);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  check(b, GetParam(), {}, 5);
}

TEST(BackendSchedule, PipelinedSplitsTheBitSerialBottleneckOverTiles) {
  GraphBuilder b = four_layer_cnn();
  const arch::ChipParams chip =
      arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/" + kTile8x8, {});
  std::ostringstream dump;
  compiler::BackendOptions o;
  o.dump_after = "place";
  o.dump = &dump;
  const isa::Program pipe = compiler::compile_graph(b.graph(), chip, o);
  EXPECT_NE(dump.str().find("mat layer0: 12x12x1 u8 -> 12x12x16 b1 on tiles 0 (rows 0.."),
            std::string::npos)
      << dump.str();
  EXPECT_GT(pipe.tiles.size(), b.graph().layers.size());
  o.schedule = Schedule::kSequential;
  EXPECT_EQ(compiler::compile_graph(b.graph(), chip, o).tiles.size(), b.graph().layers.size());
}

// An RGB first layer split over tiles: each part LOADs its rows of every channel plane.
TEST(BackendSchedule, PipelinedSplitsAnRgbFirstLayerOverTiles) {
  GraphBuilder b(35);
  int x = b.input(DType::kU8, 16, 16, 3);
  x = b.conv(x, {16, 3, 1, 1, DType::kB1});
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  const arch::ChipParams chip =
      arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/" + kTile8x8, {});
  std::ostringstream dump;
  compiler::BackendOptions o;
  o.dump_after = "place";
  o.dump = &dump;
  const isa::Program prog = compiler::compile_graph(b.graph(), chip, o);
  EXPECT_NE(dump.str().find("mat layer0: 16x16x3 u8 -> 16x16x16 b1 on tiles 0 (rows 0.."),
            std::string::npos)
      << dump.str();
  EXPECT_NE(dump.str().find("channels 2+1 (9 rows)"), std::string::npos) << dump.str();
  EXPECT_GT(prog.tiles.size(), b.graph().layers.size());
  check(b, Schedule::kPipelined);
}

}  // namespace
}  // namespace imc::test
