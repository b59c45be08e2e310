// Networks that cannot be mapped fail with a BackendError naming the layer and the limit.
#include <gtest/gtest.h>

#include "compiler/backend/backend.h"
#include "hw/arch/load.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::test {
namespace {

using compiler::BackendError;
using compiler::testing::GraphBuilder;
using isa::DType;

arch::ChipParams tile8x8() {
  return arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/configs/tile8x8.yaml");
}

arch::ChipParams rram4x4() {
  return arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/configs/rram4x4.yaml");
}

std::string error_of(const GraphBuilder& b, const arch::ChipParams& chip = tile8x8()) {
  try {
    compiler::compile_graph(b.graph(), chip, {});
  } catch (const BackendError& e) {
    return e.what();
  }
  return "(no error)";
}

// Larger than one tile is fine (backend_split_test.cpp); larger than the chip is not. rram4x4
// holds 16 tiles of 8 crossbars of 64x64: 524288 weights.
TEST(BackendErrors, MatrixLargerThanTheChipNamesLayerAndNumbers) {
  GraphBuilder b(1);
  int x = b.input(DType::kB1, 1, 1, 4096);
  b.output(b.dense(x, 160, DType::kB1));
  EXPECT_EQ(error_of(b, rram4x4()),
            "layer 'layer0': its 4096x160 weight matrix needs at least 20 tiles, the chip has 16 "
            "(8 crossbars of 64x64 per tile)");
}

TEST(BackendErrors, SplitLayersNeedingMoreTilesThanTheChip) {
  GraphBuilder b(1);
  int x = b.input(DType::kB1, 1, 1, 1024);
  x = b.dense(x, 256, DType::kB1);                              // 8 tiles
  for (int i = 0; i < 4; ++i) x = b.dense(x, 256, DType::kB1);  // 2 tiles each
  b.output(b.dense(x, 10, DType::kI32));
  EXPECT_EQ(error_of(b, rram4x4()),
            "the network needs 17 tiles (layers on several tiles, for their weights or their maps: "
            "layer0 8, layer1 2, layer2 2, "
            "layer3 2, layer4 2), the chip has 16");
}

// A tile holds only its row group's slice of an input vector (backend_split_test.cpp); a
// slice larger than the input buffer is refused, naming the slice, not the whole vector.
TEST(BackendErrors, AVectorSliceLargerThanTheInputBuffer) {
  GraphBuilder b(48);
  int x = b.input(DType::kU8, 1, 1, 3000);
  x = b.dense(x, 32, DType::kB1);
  b.output(b.dense(x, 10, DType::kI32));
  const arch::ChipParams chip =
      arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/configs/rram4x4.yaml",
                      {arch::parse_override("tile.input_buffer.capacity=512B")});
  EXPECT_EQ(error_of(b, chip),
            "layer 'layer0': its 3000x32 weight matrix cannot be split over tiles: layer "
            "'layer0': a row group's slice of the input vector 1x1x3000 u8 needs 1024 B, tile "
            "input buffer holds 512 B");
}

// Maps larger than a buffer are split over tiles by output rows (backend_window_test.cpp);
// when the rows one output row needs do not fit, the layer is refused.
TEST(BackendErrors, InputRowsOfOneOutputRowLargerThanTheInputBuffer) {
  GraphBuilder b(2);
  int x = b.input(DType::kU8, 4, 3000, 1);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'layer0': input map 4x3000x1 u8 needs 9000 B for one output row (3 input rows), "
            "tile input buffer holds 8192 B");
}

TEST(BackendErrors, OneOutputRowLargerThanTheOutputBuffer) {
  GraphBuilder b(2);
  int x = b.input(DType::kU8, 2, 600, 1);
  x = b.conv(x, {64, 1, 1, 0, DType::kT2});
  b.output(b.conv(x, {1, 1, 1, 0, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'layer0': output map 2x600x64 t2 needs 9600 B for one output row, tile output "
            "buffer holds 8192 B");
}

TEST(BackendErrors, ResidualRowOfOneOutputRowDoesNotFitAfterTheInput) {
  GraphBuilder b(2);
  int x = b.input(DType::kU8, 2, 1000, 1);
  const int a = b.conv(x, {64, 1, 1, 0, DType::kB1});  // 8000 B per row
  x = b.conv(a, {64, 1, 1, 0, DType::kB1, false, a, 1, 0});
  b.output(b.conv(x, {1, 1, 1, 0, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'layer1': residual map 2x1000x64 b1 needs 8000 B for one output row, tile input "
            "buffer (after 1 input row) holds 192 B");
}

// Maps whose NCHW form is not the tiles' layout are declared layout=pixels in the global
// buffer (imcsim converts; the end-to-end tests check the values): a 3-channel b1 image in,
// a 4-channel b1 map out. A u8 image stays NCHW (planar) and a vector packed.
TEST(BackendTensors, MultiChannelSubByteMapsArePixelLayout) {
  GraphBuilder b(3);
  int x = b.input(DType::kB1, 8, 8, 3);
  b.output(b.conv(x, {4, 3, 1, 1, DType::kB1}));
  const isa::Program p = compiler::compile_graph(b.graph(), tile8x8(), {});
  EXPECT_EQ(p.inputs.at(0).layout, isa::Layout::kPixels);
  EXPECT_EQ(p.inputs[0].shape, (std::vector<int64_t>{3, 8, 8}));
  EXPECT_EQ(p.inputs[0].bytes(), 64);  // a byte per pixel
  EXPECT_EQ(p.outputs.at(0).layout, isa::Layout::kPixels);
  EXPECT_EQ(p.outputs[0].shape, (std::vector<int64_t>{4, 8, 8}));

  GraphBuilder u(4);
  x = u.input(DType::kU8, 8, 8, 3);
  u.output(u.conv(u.conv(x, {4, 3, 1, 1, DType::kB1}), {10, 8, 1, 0, DType::kI32}));  // 1x1x10
  const isa::Program q = compiler::compile_graph(u.graph(), tile8x8(), {});
  EXPECT_EQ(q.inputs.at(0).layout, isa::Layout::kPacked);
  EXPECT_EQ(q.outputs.at(0).layout, isa::Layout::kPacked);
}

TEST(BackendErrors, MultiChannelImageInputOnlyFeedsMatLayers) {
  GraphBuilder b(3);
  int x = b.input(DType::kU8, 8, 8, 3);
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'pool0': a multi-channel image input (NCHW) can only feed conv/dense layers");
}

TEST(BackendErrors, MoreLayersThanTiles) {
  GraphBuilder b(5);
  int x = b.input(DType::kB1, 1, 1, 32);
  for (int i = 0; i < 65; ++i) x = b.dense(x, 32, DType::kB1);
  b.output(x);
  EXPECT_EQ(error_of(b), "the network has 65 layers, the chip has 64 tiles (one layer per tile)");
}

TEST(BackendPasses, NamesInPipelineOrderAndDumpAfterEach) {
  const std::vector<std::string> names = compiler::backend_pass_names();
  EXPECT_EQ(names, (std::vector<std::string>{"check", "partition", "place", "allocate", "schedule",
                                             "emit", "remap"}));
  GraphBuilder b(6);
  int x = b.input(DType::kB1, 1, 1, 300);
  b.output(b.dense(x, 10, DType::kI32));
  for (const std::string& n : names) {
    std::ostringstream s;
    compiler::BackendOptions o;
    o.dump_after = n;
    o.dump = &s;
    compiler::compile_graph(b.graph(), tile8x8(), o);
    EXPECT_NE(s.str().find("# after backend pass " + n), std::string::npos);
  }
}

}  // namespace
}  // namespace imc::test
