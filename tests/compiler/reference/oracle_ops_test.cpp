// The ONNX oracle on tiny hand-written models whose results are worked out by hand.
#include <gtest/gtest.h>

#include "tests/compiler/onnx_oracle.h"
#include "tiny_model.h"

namespace imc::compiler::testing {
namespace {

using V = std::vector<int32_t>;
using S = std::vector<int64_t>;

Tensor run1(const TinyModel& m, const Tensor& x) {
  std::vector<Tensor> y = run_onnx(m.model(), x);
  EXPECT_EQ(y.size(), 1u);
  return y.at(0);
}

TEST(OnnxOracle, ConvWithPaddingStrideAndBias) {
  TinyModel m({1, 1, 3, 3});
  m.constant("w", {1, 1, 2, 2}, {1, -1, 1, 1});
  m.constant("b", {1}, {10});
  auto& n = m.node("Conv", {"x", "w", "b"}, "y");
  set_ints(n, "pads", {1, 0, 0, 1});  // top 1, left 0, bottom 0, right 1
  set_ints(n, "strides", {2, 2});
  m.output("y");
  // x = 1..9 row-major; padded rows -1..2, cols 0..3; windows at (-1,0), (-1,2), (1,0), (1,2)
  Tensor y = run1(m, {{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}});
  EXPECT_EQ(y.shape, (S{1, 1, 2, 2}));
  // (-1,0): 0 0 / 1 2 -> 1+2 = 3; (-1,2): 0 0 / 3 0 -> 3; (1,0): 4 5 / 7 8 -> 4-5+7+8 = 14;
  // (1,2): 6 0 / 9 0 -> 6+9 = 15; +10 each
  EXPECT_EQ(y.values, (V{13, 13, 24, 25}));
}

TEST(OnnxOracle, GemmTransBWithBiasAndMatMul) {
  TinyModel m({2, 3});
  m.constant("w", {2, 3}, {1, -1, 1, 0, 1, 1});  // [out][in]
  m.constant("c", {2}, {1, -1});
  set_int(m.node("Gemm", {"x", "w", "c"}, "g"), "transB", 1);
  m.constant("k", {2, 1}, {2, -3});
  m.node("MatMul", {"g", "k"}, "y");
  m.output("g");
  m.output("y");
  std::vector<Tensor> out = run_onnx(m.model(), {{2, 3}, {1, 2, 3, -1, 0, 4}});
  EXPECT_EQ(out[0].values, (V{3, 4, 4, 3}));     // (1-2+3+1, 2+3-1), (-1+4+1, 4-1)
  EXPECT_EQ(out[1].values, (V{6 - 12, 8 - 9}));  // 2a - 3b
  EXPECT_EQ(out[1].shape, (S{2, 1}));
}

TEST(OnnxOracle, AddBroadcastsAndBatchNormIsPerChannel) {
  TinyModel m({1, 2, 1, 2});
  m.constant("a", {1, 2, 1, 1}, {100, 200});
  m.node("Add", {"x", "a"}, "s");
  m.constant("g", {2}, {2, -1});
  m.constant("beta", {2}, {1, 0});
  m.constant("mu", {2}, {100, 200});
  m.constant("var", {2}, {4, 1});
  auto& bn = m.node("BatchNormalization", {"s", "g", "beta", "mu", "var"}, "y");
  set_float(bn, "epsilon", 0);
  m.output("y");
  // channel 0: 2 * x / 2 + 1 = x + 1; channel 1: -x
  EXPECT_EQ(run1(m, {{1, 2, 1, 2}, {3, -4, 5, 6}}).values, (V{4, -3, -5, -6}));
}

TEST(OnnxOracle, SignOfZeroIsZeroButBipolarQuantOfZeroIsPlusOne) {
  for (const char* domain :
       {"qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general"}) {
    TinyModel m({1, 3});
    m.node("Sign", {"x"}, "s");
    m.constant("one", {}, {1});
    m.node("BipolarQuant", {"x", "one"}, "q", domain);
    m.output("s");
    m.output("q");
    std::vector<Tensor> out = run_onnx(m.model(), {{1, 3}, {-2, 0, 5}});
    EXPECT_EQ(out[0].values, (V{-1, 0, 1}));
    EXPECT_EQ(out[1].values, (V{-1, 1, 1})) << domain;
  }
}

TEST(OnnxOracle, MultiThresholdBinaryAndTernaryPerChannel) {
  TinyModel m({1, 2, 1, 3});
  m.constant("t1", {2, 1}, {0, 2});
  auto& b = m.node("MultiThreshold", {"x", "t1"}, "b", "qonnx.custom_op.general");
  set_float(b, "out_scale", 2);
  set_float(b, "out_bias", -1);
  m.constant("t2", {2, 2}, {-1, 1, 0, 5});
  auto& t = m.node("MultiThreshold", {"x", "t2"}, "t", "finn.custom_op.general");
  set_float(t, "out_bias", -1);
  m.output("b");
  m.output("t");
  // channel 0 = (-1, 0, 1), channel 1 = (1, 2, 5); ties count (x >= T)
  std::vector<Tensor> out = run_onnx(m.model(), {{1, 2, 1, 3}, {-1, 0, 1, 1, 2, 5}});
  EXPECT_EQ(out[0].values, (V{-1, 1, 1, -1, 1, 1}));
  EXPECT_EQ(out[1].values, (V{0, 0, 1, 0, 0, 1}));
}

TEST(OnnxOracle, MultiThresholdNhwcUsesTheLastAxis) {
  TinyModel m({1, 1, 2, 2});
  m.constant("t", {2, 1}, {0, 10});
  auto& n = m.node("MultiThreshold", {"x", "t"}, "y", "qonnx.custom_op.general");
  set_string(n, "data_layout", "NHWC");
  m.output("y");
  EXPECT_EQ(run1(m, {{1, 1, 2, 2}, {0, 9, 1, 10}}).values, (V{1, 0, 1, 1}));
}

TEST(OnnxOracle, MaxPoolPaddingNeverWins) {
  TinyModel m({1, 1, 2, 3});
  auto& n = m.node("MaxPool", {"x"}, "y");
  set_ints(n, "kernel_shape", {2, 2});
  set_ints(n, "strides", {2, 2});
  set_ints(n, "pads", {1, 1, 1, 1});
  m.output("y");
  // padded 4x5: windows rows {-1,0},{1,2} x cols {-1,0},{1,2},{3}... -> out 2x2
  Tensor y = run1(m, {{1, 1, 2, 3}, {-5, -6, -7, -8, -9, -4}});
  EXPECT_EQ(y.shape, (S{1, 1, 2, 2}));
  EXPECT_EQ(y.values, (V{-5, -6, -8, -4}));
}

TEST(OnnxOracle, GlobalMaxPoolIsOnePixelPerChannel) {
  TinyModel m({1, 2, 2, 3});
  m.node("GlobalMaxPool", {"x"}, "y");
  m.output("y");
  Tensor y = run1(m, {{1, 2, 2, 3}, {-5, -6, -7, -8, -9, -4, 3, 1, 2, 0, 7, -1}});
  EXPECT_EQ(y.shape, (S{1, 2, 1, 1}));
  EXPECT_EQ(y.values, (V{-4, 7}));
}

TEST(OnnxOracle, FlattenReshapeAndRelu) {
  TinyModel m({2, 2, 1, 2});
  m.node("Flatten", {"x"}, "f");
  m.constant("shape", {2}, {0, -1});
  m.node("Reshape", {"x", "shape"}, "r");
  m.node("Relu", {"r"}, "y");
  m.output("f");
  m.output("y");
  std::vector<Tensor> out = run_onnx(m.model(), {{2, 2, 1, 2}, {1, -2, 3, -4, 5, 6, -7, 8}});
  EXPECT_EQ(out[0].shape, (S{2, 4}));
  EXPECT_EQ(out[1].shape, (S{2, 4}));
  EXPECT_EQ(out[1].values, (V{1, 0, 3, 0, 5, 6, 0, 8}));
}

TEST(OnnxOracle, ErrorsNameTheProblem) {
  TinyModel m({1, 2});
  m.node("Softmax", {"x"}, "y");
  m.output("y");
  try {
    run_onnx(m.model(), {{1, 2}, {1, 2}});
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Softmax"), std::string::npos) << e.what();
  }
  TinyModel half({1, 1});
  half.constant("h", {1}, {0.5f});
  half.node("Mul", {"x", "h"}, "y");
  half.output("y");
  EXPECT_THROW(run_onnx(half.model(), {{1, 1}, {3}}), std::runtime_error);  // 1.5
  EXPECT_EQ(run_onnx(half.model(), {{1, 1}, {4}})[0].values, (V{2}));
  EXPECT_THROW(run_onnx(half.model(), {{1, 2}, {4, 4}}), std::runtime_error);  // shape
}

}  // namespace
}  // namespace imc::compiler::testing
