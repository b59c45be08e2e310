// The reference executor on tiny Graphs with results worked out by hand: ONNX layout,
// threshold ties and invert, residual and shift, pooling, and the errors it reports.
#include <gtest/gtest.h>

#include "hw/arch/load.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::compiler::testing {
namespace {

using isa::DType;

// x: t2 [h=1][w=2][c=2]; y = 1x1 conv with weights (+1, -1) per pixel.
GraphBuilder two_pixel_graph(DType out) {
  GraphBuilder b(1);
  int x = b.input(DType::kT2, 1, 2, 2);
  int y = b.mat(x, out, 1, Window{}, false);
  b.graph().layers[0].mat.weights = {1, -1};
  b.output(y);
  return b;
}

TEST(ReferenceSemantics, ReadsAndWritesNchw) {
  GraphBuilder b = two_pixel_graph(DType::kI32);
  // NCHW [1][2][1][2]: channel 0 = (1, -1), channel 1 = (0, 1).
  std::vector<Tensor> y = run_reference(b.graph(), Tensor{{1, 2, 1, 2}, {1, -1, 0, 1}});
  ASSERT_EQ(y.size(), 1u);
  EXPECT_EQ(y[0].shape, (std::vector<int64_t>{1, 1, 1, 2}));
  EXPECT_EQ(y[0].values, (std::vector<int32_t>{1, -2}));  // 1*1 + 0*-1, -1*1 + 1*-1
}

TEST(ReferenceSemantics, ThresholdTiesGoUpAndInvertNegates) {
  GraphBuilder b = two_pixel_graph(DType::kT2);
  Tensor x{{1, 2, 1, 2}, {1, -1, 0, 1}};  // sums 1, -2
  b.graph().layers[0].mat.thresholds = {{-2, 1, false}};
  EXPECT_EQ(run_reference(b.graph(), x)[0].values, (std::vector<int32_t>{1, 0}));
  b.graph().layers[0].mat.thresholds = {{-1, 1, true}};
  EXPECT_EQ(run_reference(b.graph(), x)[0].values, (std::vector<int32_t>{-1, 1}));
  b.graph().values[b.graph().outputs[0]].type = DType::kB1;
  b.graph().layers[0].mat.thresholds = {{1, 0, false}};
  EXPECT_EQ(run_reference(b.graph(), x)[0].values, (std::vector<int32_t>{1, -1}));
}

TEST(ReferenceSemantics, ShiftThenResidual) {
  GraphBuilder b(1);
  int x = b.input(DType::kU8, 1, 1, 2, 2);
  int y = b.mat(x, DType::kI32, 2, Window{}, false, x, 1, -3);
  b.graph().layers[0].mat.weights = {1, 1, 1, -1};
  b.output(y);
  // sums (200 + 7, 200 - 7) << 1, minus 3 * (200, 7)
  std::vector<Tensor> out = run_reference(b.graph(), Tensor{{1, 2}, {200, 7}});
  EXPECT_EQ(out[0].values, (std::vector<int32_t>{414 - 600, 386 - 21}));
}

// A t2 residual map (-1/0/+1) with per-channel scales and sum_shift 1, into b1 and t2
// outputs: acc = 2 * sum + scale[c] * r[c]; a residual 0 adds nothing.
TEST(ReferenceSemantics, TernaryResidualWithPerChannelScales) {
  GraphBuilder b(1);
  int x = b.input(DType::kT2, 1, 1, 3, 2);
  int y = b.mat(x, DType::kB1, 3, Window{}, false, x, 1);
  b.output(y);
  MatLayer& m = b.graph().layers[0].mat;
  m.weights = {1, 0, 0, 0, 1, 0, 0, 0, -1};  // sums (x0, x1, -x2)
  m.residual_scales = {3, -5, 1};
  m.thresholds = {{4, 4, false}, {0, 0, false}, {2, 2, true}};
  // x = (1, 0, -1): acc (2 + 3, 0 + 0, 2 - 1) = (5, 0, 1); x = (-1, 1, 0): (-5, -3, 0)
  const Tensor in{{2, 3}, {1, 0, -1, -1, 1, 0}};
  EXPECT_EQ(run_reference(b.graph(), in)[0].values, (std::vector<int32_t>{1, 1, 1, -1, -1, 1}));
  b.graph().values[y].type = DType::kT2;
  m.thresholds = {{-5, 5, false}, {-3, 1, false}, {0, 1, true}};
  EXPECT_EQ(run_reference(b.graph(), in)[0].values, (std::vector<int32_t>{1, 0, -1, 0, 0, 0}));
}

TEST(ReferenceSemantics, SignedInputsUseTheTopBitAsNegative) {
  GraphBuilder b(1);
  int x = b.input(DType::kI8, 1, 1, 3, 2);
  int y = b.mat(x, DType::kI32, 1, Window{}, false);
  b.graph().layers[0].mat.weights = {1, -1, 0};
  b.output(y);
  b.graph().layers[0].mat.weights[2] = 0;
  EXPECT_EQ(run_reference(b.graph(), Tensor{{1, 3}, {-128, 127, 5}})[0].values,
            (std::vector<int32_t>{-255}));
}

TEST(ReferenceSemantics, PaddingNeverWinsAMaxPool) {
  GraphBuilder b(1);
  int x = b.input(DType::kB1, 1, 2, 1);
  b.output(b.pool(x, Window{1, 2, 1, 1, 0, 1, 0, 1}));
  std::vector<Tensor> y = run_reference(b.graph(), Tensor{{1, 1, 1, 2}, {-1, -1}});
  EXPECT_EQ(y[0].values, (std::vector<int32_t>{-1, -1, -1}));
}

void expect_input_error(const Graph& g, const Tensor& x, const std::string& part) {
  try {
    run_reference(g, x);
    ADD_FAILURE() << "no error, expected one containing '" << part << "'";
  } catch (const arch::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(ReferenceSemantics, BadInputTensorsAreInputErrors) {
  GraphBuilder b = two_pixel_graph(DType::kI32);
  const Graph& g = b.graph();
  expect_input_error(g, Tensor{{1, 2, 2}, {1, 1, 1, 1}}, "expected [-1, 2, 1, 2]");
  expect_input_error(g, Tensor{{1, 2, 2, 1}, {1, 1, 1, 1}}, "shape [1, 2, 2, 1]");
  expect_input_error(g, Tensor{{2, 2, 1, 2}, {1, 1, 1, 1}}, "4 values for shape [2, 2, 1, 2]");
  expect_input_error(g, Tensor{{1, 2, 1, 2}, {1, 1, 2, 1}}, "element 2 is 2, not a t2 value");
  GraphBuilder u(1);
  u.output(u.mat(u.input(DType::kU8, 1, 1, 2, 2), DType::kI32, 1, Window{}, false));
  expect_input_error(u.graph(), Tensor{{1, 2}, {3, 256}}, "not a u8 value (0..255)");
  expect_input_error(u.graph(), Tensor{{1, 2}, {-1, 0}}, "element 0 is -1");
}

TEST(ReferenceSemantics, MalformedGraphsAreInvalidArguments) {
  GraphBuilder b = two_pixel_graph(DType::kB1);
  Tensor x{{1, 2, 1, 2}, {1, -1, 0, 1}};
  b.graph().layers[0].mat.thresholds.clear();
  EXPECT_THROW(run_reference(b.graph(), x), std::invalid_argument);  // no thresholds
  b.graph().layers[0].mat.thresholds = {{0, 0, false}};
  EXPECT_NO_THROW(run_reference(b.graph(), x));
  b.graph().layers[0].mat.weights = {1, -1, 1};
  EXPECT_THROW(run_reference(b.graph(), x), std::invalid_argument);
  b.graph().layers[0].mat.weights = {1, 2};
  EXPECT_THROW(run_reference(b.graph(), x), std::invalid_argument);
  b.graph().layers[0].mat.weights = {1, 1};
  b.graph().values[b.graph().outputs[0]].w = 3;
  EXPECT_THROW(run_reference(b.graph(), x), std::invalid_argument);
}

TEST(ReferenceSemantics, AnInputCanAlsoBeAnOutputAndBatchesAreIndependent) {
  GraphBuilder b = two_pixel_graph(DType::kI32);
  b.output(b.graph().input);
  Tensor x{{2, 2, 1, 2}, {1, -1, 0, 1, -1, -1, 1, 1}};
  std::vector<Tensor> y = run_reference(b.graph(), x);
  EXPECT_EQ(y[0].values, (std::vector<int32_t>{1, -2, -2, -2}));
  EXPECT_EQ(y[1].values, x.values);
  EXPECT_EQ(y[1].shape, x.shape);
}

}  // namespace
}  // namespace imc::compiler::testing
