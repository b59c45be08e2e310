// The shipped reference model (examples/fmnist_bnn): imcc takes it, it fits configs/tile8x8.yaml,
// and imcc's reference executor classifies Fashion-MNIST test images as documented.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "compiler/backend/backend.h"
#include "compiler/frontend/import.h"
#include "compiler/reference/reference.h"
#include "hw/arch/load.h"
#include "nas/train/train.h"

namespace imc::nas {
namespace {

constexpr const char* kModel = IMCSIM_SOURCE_DIR "/examples/fmnist_bnn/model.onnx";

TEST(ExampleModel, CompilesForTile8x8) {
  const compiler::Graph g = compiler::import_onnx(kModel, {});
  const arch::ChipParams chip = arch::load_chip(IMCSIM_SOURCE_DIR "/configs/tile8x8.yaml");
  const isa::Program p = compiler::compile_graph(g, chip, {});
  EXPECT_FALSE(p.tiles.empty());
}

TEST(ExampleModel, ReferenceExecutorAccuracyOnTheFirstTestImages) {
  if (!std::filesystem::exists(std::string(kDefaultDataDir) + "/t10k-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  ImageSet test = load_fashion_mnist(kDefaultDataDir, false);
  constexpr int kImages = 1000;  // the whole test set takes minutes: see the README
  const compiler::Graph g = compiler::import_onnx(kModel, {});
  const compiler::Tensor x{
      {kImages, 1, 28, 28},
      std::vector<int32_t>(test.images.begin(), test.images.begin() + kImages * 28 * 28)};
  const std::vector<compiler::Tensor> y = compiler::run_reference(g, x);
  ASSERT_EQ(y.at(0).shape, (std::vector<int64_t>{kImages, 10}));
  int correct = 0;
  for (int i = 0; i < kImages; ++i) {
    const auto row = y[0].values.begin() + i * 10;
    correct += std::max_element(row, row + 10) - row == test.labels[size_t(i)];
  }
  // 914: what train_and_export's double-precision evaluation of the exported network gave
  // for these images (examples/fmnist_bnn/README.md: 8975 of all 10000).
  EXPECT_EQ(correct, 914);
}

}  // namespace
}  // namespace imc::nas
