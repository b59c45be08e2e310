// End to end on the host: NetBuilder models evaluated by the ONNX oracle and, after
// import_onnx, by the reference executor give the same integers.
#include <gtest/gtest.h>

#include "compiler/frontend/import.h"
#include "tests/compiler/model_builder.h"
#include "tests/compiler/onnx_oracle.h"

namespace imc::compiler::testing {
namespace {

void expect_agree(const NetBuilder& b, const std::string& type, std::vector<int64_t> shape) {
  onnx::ModelProto model = b.build();
  Graph g = import_onnx(model, "net", {});
  for (unsigned seed = 1; seed <= 3; ++seed) {
    Tensor x = random_input(type, shape, seed);
    std::vector<Tensor> want = run_onnx(model, x);
    std::vector<Tensor> got = run_reference(g, x);
    ASSERT_EQ(got.size(), want.size());
    for (size_t o = 0; o < want.size(); ++o) {
      EXPECT_EQ(got[o].shape, want[o].shape);
      EXPECT_EQ(got[o].values, want[o].values) << dump(g);
    }
  }
}

TEST(OracleVsReference, BinaryMlp) {
  NetBuilder b("BIPOLAR", {5, 100}, 3);
  b.gemm(70);
  b.bn_sign();
  b.gemm(10);
  b.output();
  expect_agree(b, "BIPOLAR", {5, 100});
}

TEST(OracleVsReference, Uint8ConvNetWithPoolAndNegativeGammas) {
  NetBuilder b("UINT8", {2, 3, 8, 8}, 4);
  b.set_gamma(GammaSign::kMixed);
  b.conv(16, 3, 1, 1);
  b.bn_sign();
  b.maxpool(2, 2);
  b.conv(8, 3, 2, 1, WeightKind::kTernary);
  b.bn_bipolarquant();
  b.flatten();
  b.gemm(10);
  b.output();
  expect_agree(b, "UINT8", {2, 3, 8, 8});
}

TEST(OracleVsReference, TernaryMultiThresholdNet) {
  NetBuilder b("TERNARY", {3, 2, 6, 6}, 5);
  b.conv(12, 3, 1, 1, WeightKind::kTernary);
  b.multithreshold_ternary();
  b.conv(12, 1, 1, 0);
  b.multithreshold_binary();
  b.flatten();
  b.gemm(7, true, WeightKind::kTernary);
  b.output();
  expect_agree(b, "TERNARY", {3, 2, 6, 6});
}

}  // namespace
}  // namespace imc::compiler::testing
