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

std::string error_of(const GraphBuilder& b) {
  try {
    compiler::compile_graph(b.graph(), tile8x8(), {});
  } catch (const BackendError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(BackendErrors, MatrixLargerThanATileNamesLayerAndCrossbars) {
  GraphBuilder b(1);
  int x = b.input(DType::kB1, 1, 1, 2048);
  b.output(b.dense(x, 600, DType::kB1));
  EXPECT_EQ(error_of(b),
            "layer 'layer0': its 2048x600 weight matrix (24 blocks) does not fit the 4 "
            "crossbars of 256x256 of one tile");
}

TEST(BackendErrors, InputMapLargerThanTheInputBuffer) {
  GraphBuilder b(2);
  int x = b.input(DType::kU8, 96, 96, 1);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'layer0': input map 96x96x1 u8 needs 9216 B, tile input buffer holds 8192 B");
}

TEST(BackendErrors, MultiChannelBinaryImageInputIsRefused) {
  GraphBuilder b(3);
  int x = b.input(DType::kB1, 8, 8, 3);
  b.output(b.conv(x, {4, 3, 1, 1, DType::kI32}));
  EXPECT_NE(error_of(b).find("multi-channel image inputs must be u8 or i8"), std::string::npos)
      << error_of(b);
}

TEST(BackendErrors, MultiChannelImageInputOnlyFeedsMatLayers) {
  GraphBuilder b(3);
  int x = b.input(DType::kU8, 8, 8, 3);
  x = b.pool(x, 2, 2);
  b.output(b.conv(x, {1, 3, 1, 1, DType::kI32}));
  EXPECT_EQ(error_of(b),
            "layer 'pool0': a multi-channel image input (NCHW) can only feed conv/dense layers");
}

TEST(BackendErrors, FeatureMapOutputsNeedChwAndAreRefused) {
  GraphBuilder b(4);
  int x = b.input(DType::kU8, 8, 8, 1);
  b.output(b.conv(x, {4, 3, 1, 1, DType::kB1}));
  EXPECT_NE(error_of(b).find("CHW order"), std::string::npos) << error_of(b);
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
                                             "emit"}));
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
