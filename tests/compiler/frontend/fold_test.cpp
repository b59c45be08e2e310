// Folding checked end to end: each accepted pattern, built with the model builder, folds to
// a Graph whose naive integer evaluation equals the ONNX oracle's evaluation in double.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <tuple>

#include "compiler/frontend/import.h"
#include "tests/compiler/common/naive_graph.h"
#include "tests/compiler/model_builder.h"
#include "tests/compiler/onnx_oracle.h"

namespace imc::compiler {
namespace {

using testing::GammaSign;
using testing::NetBuilder;
using testing::WeightKind;

// Folds the network and compares the folded Graph (naive evaluator) with the ONNX network
// (the oracle) on a batch of random inputs.
Graph expect_exact(const NetBuilder& b, const std::string& type, int trials = 20) {
  const onnx::ModelProto m = b.build();
  const Graph g = import_onnx(m, "net", {});
  std::vector<int64_t> shape = g.onnx_input_shape;
  shape[0] = trials;
  const Tensor x = testing::random_input(type, shape, 99);
  const std::vector<Tensor> want = testing::run_onnx(m, x);
  const std::vector<Tensor> got = testing::naive_run(g, x);
  EXPECT_EQ(got.at(0).shape, want.at(0).shape);
  EXPECT_EQ(got[0].values, want[0].values);
  return g;
}

TEST(Fold, ConvBnSignIsOneBinaryLayer) {
  NetBuilder b("BIPOLAR", {1, 3, 6, 6}, 1);
  b.conv(8, 3, 1, 1);
  b.bn_sign();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  ASSERT_EQ(g.layers.size(), 1u);
  const MatLayer& m = g.layers[0].mat;
  EXPECT_EQ(m.name, "conv0+bn0+sign0");
  EXPECT_EQ(m.kh, 3);
  EXPECT_EQ(m.pad_top, 1);
  EXPECT_EQ(m.weights.size(), 8u * 3 * 3 * 3);
  EXPECT_EQ(m.thresholds.size(), 8u);
  EXPECT_EQ(g.values[m.output].type, isa::DType::kB1);
  EXPECT_EQ(g.values[m.output].h, 6);
  EXPECT_EQ(g.values[m.output].c, 8);
  EXPECT_EQ(g.onnx_output_shapes.at(0), (std::vector<int64_t>{1, 8, 6, 6}));
}

TEST(Fold, ConvWeightsAreChannelLast) {
  NetBuilder b("BIPOLAR", {1, 2, 4, 4}, 2);
  b.conv(3, 3, 1, 0, WeightKind::kTernary);
  b.output_raw();
  const Graph g = expect_exact(b, "BIPOLAR");
  const auto w = b.init("conv0.W");  // [3][2][3][3]
  const MatLayer& m = g.layers.at(0).mat;
  for (int o = 0; o < 3; ++o)
    for (int c = 0; c < 2; ++c)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x)
          EXPECT_EQ(m.weights[((o * 3 + y) * 3 + x) * 2 + c], w[((o * 2 + c) * 3 + y) * 3 + x]);
  EXPECT_EQ(g.values[m.output].type, isa::DType::kI32);
  EXPECT_TRUE(m.thresholds.empty());
}

TEST(Fold, NegativeAndMixedGammaInvert) {
  for (GammaSign s : {GammaSign::kNegative, GammaSign::kMixed}) {
    NetBuilder b("UINT8", {1, 3, 5, 5}, 3);
    b.set_gamma(s);
    b.conv(6, 3, 2, 1, WeightKind::kBinary, /*bias=*/true);
    b.bn_bipolarquant();
    b.output();
    const Graph g = expect_exact(b, "UINT8");
    const auto gamma = b.init("bn0.scale");
    for (size_t c = 0; c < gamma.size(); ++c)
      EXPECT_EQ(g.layers[0].mat.thresholds[c].invert, gamma[c] < 0) << c;
  }
}

TEST(Fold, LatentWeightsThroughBipolarQuantAndSign) {
  for (WeightKind k : {WeightKind::kLatentBipolarQuant, WeightKind::kLatentSign}) {
    NetBuilder b("INT8", {1, 16}, 4);
    b.gemm(8, true, k);
    b.bn_sign();
    b.matmul(4, k);
    b.output_raw();
    const Graph g = expect_exact(b, "INT8");
    ASSERT_EQ(g.layers.size(), 2u);
    for (int8_t w : g.layers[0].mat.weights) EXPECT_TRUE(w == 1 || w == -1);
  }
}

// What torch.onnx.export does in eval mode: the BatchNorm after a Conv becomes the Conv's
// float weights w*gamma/sigma and a bias beta - mean*gamma/sigma, the BatchNorm node gone.
onnx::ModelProto fuse_batch_norm_into_conv(onnx::ModelProto m) {
  onnx::GraphProto& g = *m.mutable_graph();
  const auto init = [&](const std::string& name) -> onnx::TensorProto& {
    for (onnx::TensorProto& t : *g.mutable_initializer())
      if (t.name() == name) return t;
    throw std::runtime_error("no initializer " + name);
  };
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto bn = g.node(i);
    if (bn.op_type() != "BatchNormalization") continue;
    onnx::NodeProto& conv = *g.mutable_node(i - 1);
    EXPECT_EQ(conv.op_type(), "Conv");
    onnx::TensorProto& w = init(conv.input(1));
    const onnx::TensorProto &gamma = init(bn.input(1)), &beta = init(bn.input(2)),
                            &mean = init(bn.input(3)), &var = init(bn.input(4));
    float eps = 1e-5f;
    for (const auto& a : bn.attribute())
      if (a.name() == "epsilon") eps = a.f();
    const int channels = gamma.float_data_size(), per = w.float_data_size() / channels;
    onnx::TensorProto bias;
    bias.set_name(conv.name() + "_fused_bias");
    bias.set_data_type(onnx::TensorProto::FLOAT);
    bias.add_dims(channels);
    for (int c = 0; c < channels; ++c) {
      const float s = gamma.float_data(c) / std::sqrt(var.float_data(c) + eps);
      for (int k = 0; k < per; ++k) w.set_float_data(c * per + k, w.float_data(c * per + k) * s);
      bias.add_float_data(beta.float_data(c) - mean.float_data(c) * s);
    }
    *g.add_initializer() = bias;
    conv.add_input(bias.name());
    conv.set_output(0, bn.output(0));
    g.mutable_node()->erase(g.mutable_node()->begin() + i);
    --i;
  }
  return m;
}

TEST(Fold, BatchNormFusedIntoConvWeightsIsExact) {
  NetBuilder b("UINT8", {1, 2, 6, 6}, 21);
  b.set_gamma(GammaSign::kMixed);
  b.conv(8, 3, 1, 1, WeightKind::kTernary);
  b.bn_sign();
  b.conv(6, 3, 2, 1);
  b.bn_sign();
  b.flatten();
  b.gemm(10);
  b.output();
  const onnx::ModelProto unfused = b.build();
  const onnx::ModelProto fused = fuse_batch_norm_into_conv(unfused);
  ASSERT_EQ(fused.graph().node_size(), unfused.graph().node_size() - 2);
  const Graph g = import_onnx(fused, "net", {});
  ASSERT_EQ(g.layers.size(), 3u);
  for (int8_t v : g.layers[0].mat.weights) EXPECT_TRUE(v == -1 || v == 0 || v == 1);
  const Tensor x = testing::random_input("UINT8", {30, 2, 6, 6}, 7);
  const std::vector<Tensor> want = testing::run_onnx(unfused, x);
  EXPECT_EQ(testing::run_onnx(fused, x)[0].values, want[0].values);
  EXPECT_EQ(testing::naive_run(g, x)[0].values, want[0].values);
}

// Brevitas's scaled binary weights: BipolarQuant with a scale per output channel ([M,1,1,1]
// for a Conv) or per tensor; the scale folds into the thresholds like a BatchNorm's.
TEST(Fold, ScaledBipolarQuantWeights) {
  NetBuilder b("UINT8", {1, 2, 5, 5}, 24);
  b.set_gamma(GammaSign::kMixed);
  b.conv(6, 3, 1, 1, WeightKind::kLatentBipolarQuant);
  b.bn_sign();
  b.flatten();
  b.gemm(8, true, WeightKind::kLatentBipolarQuant);
  b.bn_sign();
  b.gemm(4);
  b.output();
  onnx::ModelProto m = b.build();
  int scaled = 0;
  for (onnx::TensorProto& t : *m.mutable_graph()->mutable_initializer()) {
    scaled += t.name() == "conv0_wq.scale" || t.name() == "gemm1_wq.scale";
    if (t.name() == "conv0_wq.scale") {  // per output channel
      t.clear_float_data();
      for (int c = 0; c < 6; ++c) t.add_float_data(0.25f + 0.5f * c);
      for (int64_t d : {6, 1, 1, 1}) t.add_dims(d);
    }
    if (t.name() == "gemm1_wq.scale") t.set_float_data(0, 3.5f);
  }
  ASSERT_EQ(scaled, 2);
  const Graph g = import_onnx(m, "net", {});
  const Tensor x = testing::random_input("UINT8", {30, 2, 5, 5}, 8);
  EXPECT_EQ(testing::naive_run(g, x)[0].values, testing::run_onnx(m, x)[0].values);
}

// Brevitas's scaled binary activations: BipolarQuant's scale s makes the next layer's inputs
// +-s, so its sums are s times the crossbar's; through a MaxPool and a Flatten too.
TEST(Fold, ScaledBipolarQuantActivations) {
  const auto scaled = [](NetBuilder& b, float scale) {
    onnx::ModelProto m = b.build();
    int found = 0;
    for (onnx::TensorProto& t : *m.mutable_graph()->mutable_initializer())
      if (t.name() == "bq0.scale") t.set_float_data(0, scale), ++found;
    EXPECT_EQ(found, 1);
    return m;
  };
  NetBuilder d("BIPOLAR", {1, 32}, 25);
  d.gemm(24);
  d.bn_bipolarquant();
  d.gemm(16);
  d.bn_sign();
  d.gemm(10);
  d.output();
  NetBuilder c("UINT8", {1, 1, 6, 6}, 26);
  c.set_gamma(GammaSign::kMixed);
  c.conv(8, 3, 1, 1);
  c.bn_bipolarquant();
  c.maxpool(2, 2);
  c.flatten();
  c.gemm(12);
  c.bn_sign();
  c.gemm(10);
  c.output();
  for (const auto& [b, scale, type] :
       {std::tuple<NetBuilder*, float, const char*>{&d, 0.37f, "BIPOLAR"},
        std::tuple<NetBuilder*, float, const char*>{&c, 2.5f, "UINT8"}}) {
    const onnx::ModelProto m = scaled(*b, scale);
    const Graph g = import_onnx(m, "net", {});
    std::vector<int64_t> shape = g.onnx_input_shape;
    shape[0] = 30;
    const Tensor x = testing::random_input(type, shape, 9);
    EXPECT_EQ(testing::naive_run(g, x)[0].values, testing::run_onnx(m, x)[0].values) << type;
  }
}

// Mul, Sub and Div by per-channel constants between the matmul and the binarizer (XNOR-Net's
// scaling factors written out, a BatchNorm written by hand): negative factors flip the
// comparison like a negative gamma; a constant minus the sums too.
TEST(Fold, MulSubDivByConstantsFoldIntoThresholds) {
  NetBuilder b("UINT8", {1, 2, 6, 6}, 27);
  b.conv(4, 3, 1, 1);
  b.arith("Mul", {0.5f, -2.f, 3.f, -0.25f});
  b.arith("Sub", {10.25f, -41.f, 100.f, 0.3f});  // ties at sums 20.5, 20.5, 33.3, -1.2: none
  b.arith("Div", {3.f, -1.5f, 0.75f, 2.f});
  b.sign();
  b.flatten();
  b.gemm(6);
  b.arith("Sub", {3.f, -2.f, 5.f, 0.f, 1.f, -4.f}, true);  // k - sums, integers: bn's cuts stay
                                                           // off them
  b.bn_sign();
  b.gemm(3);
  b.output();
  expect_exact(b, "UINT8", 40);
}

// Requantization with no matmul before it: FINN's MultiThreshold binarizing the u8 input
// image, a BatchNorm + Sign of a bipolar vector input, a Mul + Sign of a binary map. Each
// becomes an identity 1x1 convolution with the thresholds.
TEST(Fold, RequantizingAnActivationIsAnIdentityMatmul) {
  NetBuilder img("UINT8", {1, 2, 6, 6}, 28);
  img.multithreshold_binary();
  img.conv(6, 3, 1, 1);
  img.bn_sign();
  img.arith("Mul", {2.f, -1.f, 0.5f, 3.f, -2.f, 1.f});
  img.sign();
  img.flatten();
  img.gemm(5);
  img.output();
  const Graph g = expect_exact(img, "UINT8", 30);
  ASSERT_EQ(g.layers.size(), 4u);  // identity, conv, identity, dense
  EXPECT_EQ(g.layers[0].mat.kh, 1);
  EXPECT_EQ(g.layers[0].mat.weights, (std::vector<int8_t>{1, 0, 0, 1}));

  NetBuilder vec("BIPOLAR", {1, 20}, 29);
  vec.bn_sign();
  vec.gemm(8);
  vec.output();
  expect_exact(vec, "BIPOLAR", 30);
}

// Brevitas's ternary weights: a QONNX Quant of 2 signed narrow bits on latent floats, with a
// scale per output channel.
TEST(Fold, QuantTernaryWeights) {
  NetBuilder b("UINT8", {1, 2, 6, 6}, 30);
  b.set_gamma(GammaSign::kMixed);
  b.conv(6, 3, 1, 1, WeightKind::kLatentQuantTernary);
  b.bn_sign();
  b.flatten();
  b.gemm(8, true, WeightKind::kLatentQuantTernary);
  b.bn_sign();
  b.gemm(4);
  b.output();
  const Graph g = expect_exact(b, "UINT8", 30);
  int zeros = 0;
  for (int8_t v : g.layers[0].mat.weights) zeros += v == 0;
  EXPECT_GT(zeros, 0);  // ternary indeed
}

TEST(Fold, TransposedLatentWeightsOfTorchLinear) {
  // F.linear(x, torch.sign(w)) exports MatMul(x, Transpose(Sign(w))), w [N][K]
  NetBuilder b("BIPOLAR", {1, 12}, 22);
  b.gemm(5);  // Gemm transB=1: B is [5][12]
  b.output();
  onnx::ModelProto m = b.build();
  onnx::GraphProto& gp = *m.mutable_graph();
  onnx::NodeProto& gemm = *gp.mutable_node(0);
  ASSERT_EQ(gemm.op_type(), "Gemm");
  onnx::NodeProto t;
  t.set_op_type("Transpose");
  t.set_name("transpose_w");
  t.add_input(gemm.input(1));
  t.add_output("w_t");
  gemm.set_op_type("MatMul");
  gemm.clear_attribute();
  gemm.set_input(1, "w_t");
  gp.mutable_node()->Add(std::move(t));
  std::rotate(gp.mutable_node()->rbegin(), gp.mutable_node()->rbegin() + 1,
              gp.mutable_node()->rend());  // the Transpose first
  const Graph g = import_onnx(m, "net", {});
  const Tensor x = testing::random_input("BIPOLAR", {20, 12}, 3);
  EXPECT_EQ(testing::naive_run(g, x)[0].values, testing::run_onnx(b.build(), x)[0].values);
}

TEST(Fold, FlattenedBipolarImageIsAVectorInOnnxOrder) {
  NetBuilder b("BIPOLAR", {1, 3, 4, 4}, 23);
  b.flatten();
  b.gemm(7);
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  EXPECT_EQ(g.values[g.input].h, 1);
  EXPECT_EQ(g.values[g.input].c, 48);
}

TEST(Fold, GemmWithoutTransposeAndBias) {
  NetBuilder b("TERNARY", {1, 12}, 5);
  b.gemm(7, /*trans_b=*/false, WeightKind::kTernary, /*bias=*/true);
  b.bn_sign();
  b.output();
  expect_exact(b, "TERNARY");
}

TEST(Fold, AddBiasAfterMatmulAbsorbed) {
  NetBuilder b("BIPOLAR", {1, 2, 5, 5}, 6);
  b.conv(4, 3);
  b.add_bias();
  b.bn_sign();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  EXPECT_EQ(g.layers.size(), 1u);
}

TEST(Fold, MultiThresholdBinaryAndTernary) {
  NetBuilder b("BIPOLAR", {1, 3, 4, 4}, 7);
  b.conv(5, 3, 1, 1);
  b.multithreshold_binary();
  b.conv(6, 3, 1, 1);
  b.multithreshold_ternary();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  EXPECT_EQ(g.values[g.layers[0].mat.output].type, isa::DType::kB1);
  EXPECT_EQ(g.values[g.layers[1].mat.output].type, isa::DType::kT2);
  const auto t = b.init("mt0.T");
  for (size_t c = 0; c < t.size(); ++c) EXPECT_EQ(g.layers[0].mat.thresholds[c].t0, t[c] + 0.5);
}

TEST(Fold, FinnDomainAccepted) {
  NetBuilder b("BIPOLAR", {1, 8}, 8);
  b.set_domain("finn.custom_op.general");
  b.matmul(4);
  b.multithreshold_ternary();
  b.output();
  expect_exact(b, "BIPOLAR");
}

TEST(Fold, MaxPoolBeforeBatchNormMovesAfterBinarizer) {
  NetBuilder b("BIPOLAR", {1, 2, 6, 6}, 9);
  b.conv(4, 3, 1, 1);
  b.maxpool(2, 2);
  b.bn_sign();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  ASSERT_EQ(g.layers.size(), 2u);
  EXPECT_EQ(g.layers[0].kind, Layer::Kind::kMat);
  EXPECT_EQ(g.layers[1].kind, Layer::Kind::kPool);
  EXPECT_EQ(g.values[g.layers[0].mat.output].h, 6);
  EXPECT_EQ(g.values[g.layers[1].pool.output].h, 3);
  EXPECT_EQ(g.values[g.layers[1].pool.output].name, b.current());
}

TEST(Fold, MaxPoolOnActivations) {
  NetBuilder b("BIPOLAR", {1, 2, 7, 7}, 10);
  b.conv(4, 3, 1, 1);
  b.bn_sign();
  b.maxpool(3, 2, 1);
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR");
  ASSERT_EQ(g.layers.size(), 2u);
  EXPECT_EQ(g.layers[1].pool.pad_top, 1);
  EXPECT_EQ(g.values[g.outputs[0]].h, 4);
}

// GlobalMaxPool: a MaxPool whose window is the whole map, on activations or on the sums
// (moved after the binarizer).
TEST(Fold, GlobalMaxPoolIsAWindowAsLargeAsTheMap) {
  NetBuilder a("BIPOLAR", {1, 2, 7, 5}, 11);
  a.conv(4, 3, 1, 1);
  a.bn_sign();
  a.global_maxpool();
  a.output();
  const Graph g = expect_exact(a, "BIPOLAR");
  ASSERT_EQ(g.layers.size(), 2u);
  EXPECT_EQ(g.layers[1].pool.kh, 7);
  EXPECT_EQ(g.layers[1].pool.kw, 5);
  EXPECT_EQ(g.values[g.outputs[0]].h, 1);
  EXPECT_EQ(g.values[g.outputs[0]].w, 1);
  NetBuilder b("BIPOLAR", {1, 2, 6, 6}, 12);
  b.conv(4, 3, 1, 1);
  b.global_maxpool();
  b.bn_sign();
  b.output();
  const Graph h = expect_exact(b, "BIPOLAR");
  ASSERT_EQ(h.layers.size(), 2u);
  EXPECT_EQ(h.layers[1].kind, Layer::Kind::kPool);
  EXPECT_EQ(h.layers[1].pool.kh * h.layers[1].pool.kw, 36);
}

TEST(Fold, FlattenPermutesDenseRowsToChannelLast) {
  for (bool reshape : {false, true}) {
    NetBuilder b("BIPOLAR", {1, 3, 4, 4}, 11);
    b.conv(4, 3, 1, 1);
    b.bn_sign();
    reshape ? b.reshape_flat() : b.flatten();
    b.gemm(5, true, WeightKind::kTernary);
    b.output_raw();
    const Graph g = expect_exact(b, "BIPOLAR");
    const MatLayer& d = g.layers.at(1).mat;
    EXPECT_EQ(d.kh, 4);  // one window over the 4x4x4 map
    EXPECT_EQ(d.kw, 4);
    EXPECT_EQ(g.values[d.output].elements(), 5);
    // ONNX row k = c*16 + y*4 + x of B^T lands at [o][y][x][c]
    const auto w = b.init("gemm1.W");  // [5][64]
    EXPECT_EQ(d.weights[((2 * 4 + 1) * 4 + 3) * 4 + 1], w[2 * 64 + 1 * 16 + 1 * 4 + 3]);
  }
}

TEST(Fold, TorchViewReshapeIsAFlatten) {
  NetBuilder b("BIPOLAR", {0, 2, 3, 3}, 16);
  b.conv(3, 3, 1, 1);
  b.bn_sign();
  b.reshape_dynamic();
  b.gemm(4);
  b.output_raw();
  const Graph g = expect_exact(b, "BIPOLAR");
  EXPECT_EQ(g.layers.size(), 2u);
  EXPECT_EQ(g.layers[1].mat.kh, 3);
}

TEST(Fold, ResidualAddIsExact) {
  for (GammaSign s : {GammaSign::kPositive, GammaSign::kNegative}) {
    NetBuilder b("BIPOLAR", {1, 4, 5, 5}, 12);
    b.set_gamma(s);
    b.set_bn_ratio(2);
    b.conv(4, 3, 1, 1);
    const std::string r = b.bn_sign();
    b.conv(4, 3, 1, 1);
    b.bn();
    b.residual_from(r);
    b.sign();
    b.output();
    const Graph g = expect_exact(b, "BIPOLAR", 30);
    const MatLayer& m = g.layers.at(1).mat;
    EXPECT_EQ(m.sum_shift, 1);
    EXPECT_EQ(m.residual, g.layers[0].mat.output);
    // tau is half-integer and sigma/|gamma| = 2: A- - A+ = 4 (gamma < 0: -4)
    EXPECT_EQ(m.residual_scale, s == GammaSign::kPositive ? 4 : -4);
  }
}

// BatchNorm sigma/gamma differing between channels before a residual: one residual scale per
// channel (MatLayer::residual_scales). Brute force: every input of a 6-wide binary MLP.
TEST(Fold, ResidualWithPerChannelScalesIsExactOnEveryInput) {
  for (uint64_t seed : {15, 16, 17, 18}) {
    NetBuilder b("BIPOLAR", {1, 6}, seed);
    b.set_gamma(seed % 2 ? GammaSign::kMixed : GammaSign::kPositive);
    b.matmul(6);
    const std::string r = b.bn_sign();
    b.matmul(6);
    b.bn();
    b.residual_from(r);
    b.sign();
    b.output();
    const onnx::ModelProto model = b.build();
    const Graph g = import_onnx(model, "net", {});
    Tensor x;
    x.shape = {64, 6};
    for (int v = 0; v < 64; ++v)
      for (int i = 0; i < 6; ++i) x.values.push_back(v >> i & 1 ? 1 : -1);
    EXPECT_EQ(testing::naive_run(g, x).at(0).values, testing::run_onnx(model, x).at(0).values)
        << "seed " << seed;
    const MatLayer& m = g.layers.at(1).mat;
    ASSERT_EQ(m.residual_scales.size(), 6u) << "seed " << seed;
    EXPECT_NE(std::count(m.residual_scales.begin(), m.residual_scales.end(), m.residual_scales[0]),
              6)
        << "seed " << seed;
    EXPECT_NE(dump(g).find("+ ["), std::string::npos);
  }
}

TEST(Fold, ConvResidualWithPerChannelScalesIsExact) {
  NetBuilder b("BIPOLAR", {1, 5, 5, 5}, 19);
  b.set_gamma(GammaSign::kMixed);
  b.conv(12, 3, 1, 1);
  const std::string r = b.bn_sign();
  b.conv(12, 3, 1, 1);
  b.bn();
  b.residual_from(r);
  b.sign();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR", 200);
  EXPECT_EQ(g.layers.at(1).mat.residual_scales.size(), 12u);
}

TEST(Fold, MultiThresholdResidualWithPerChannelScalesIsExact) {
  NetBuilder b("BIPOLAR", {1, 16}, 20);
  b.matmul(16);
  const std::string r = b.bn_sign();
  b.matmul(16);
  b.bn();
  b.residual_from(r);
  b.multithreshold_binary();
  b.output();
  const Graph g = expect_exact(b, "BIPOLAR", 200);
  EXPECT_EQ(g.layers.at(1).mat.residual_scales.size(), 16u);
}

// Every input of a 6-wide MLP (all 3^6 ternary vectors).
Tensor every_ternary_input() {
  Tensor x;
  x.shape = {729, 6};
  for (int v = 0; v < 729; ++v)
    for (int i = 0, q = v; i < 6; ++i, q /= 3) x.values.push_back(q % 3 - 1);
  return x;
}

// A ternary residual (-1/0/+1) from a ternary MultiThreshold on the sums, added into the
// BatchNorm before a Sign, sigma/gamma and its sign differing between channels: exact on
// every input. The builder's BatchNorms make the cuts linear in r (tau half-integer,
// sigma/|gamma| integer): scale +-sigma/|gamma|, no shift.
TEST(Fold, TernaryResidualIntoSignIsExactOnEveryInput) {
  for (uint64_t seed : {31, 32, 33, 34}) {
    NetBuilder b("TERNARY", {1, 6}, seed);
    b.set_gamma(GammaSign::kMixed);
    b.matmul(6, WeightKind::kTernary);
    const std::string r = b.multithreshold_ternary();
    b.matmul(6);
    b.bn();
    b.residual_from(r);
    b.sign();
    b.output();
    const onnx::ModelProto model = b.build();
    const Graph g = import_onnx(model, "net", {});
    const Tensor x = every_ternary_input();
    const std::vector<int32_t> want = testing::run_onnx(model, x).at(0).values;
    EXPECT_EQ(testing::naive_run(g, x).at(0).values, want) << "seed " << seed;
    EXPECT_EQ(std::count(want.begin(), want.end(), 0), 0) << "a binary output";
    EXPECT_GT(std::count(want.begin(), want.end(), 1), 100);
    EXPECT_GT(std::count(want.begin(), want.end(), -1), 100);
    const MatLayer& m = g.layers.at(1).mat;
    EXPECT_EQ(g.values[m.residual].type, isa::DType::kT2);
    EXPECT_EQ(g.values[m.output].type, isa::DType::kB1);
    EXPECT_EQ(m.sum_shift, 0);
    ASSERT_EQ(m.residual_scales.size(), 6u) << "seed " << seed;
    for (int c = 0; c < 6; ++c) {
      EXPECT_GE(std::abs(m.residual_scales[c]), 1);
      EXPECT_LE(std::abs(m.residual_scales[c]), 3);
      EXPECT_EQ(m.residual_scales[c] < 0, m.thresholds[c].invert) << "gamma < 0 inverts";
    }
  }
}

// Ternary activations around conv layers: the residual from BatchNorm + a ternary
// MultiThreshold, the layer ternarized after the Add.
TEST(Fold, TernaryResidualIntoTernarizerAroundConvsIsExact) {
  NetBuilder b("TERNARY", {1, 5, 5, 5}, 35);
  b.set_gamma(GammaSign::kMixed);
  b.conv(12, 3, 1, 1, WeightKind::kTernary);
  const std::string r = b.bn_ternarize();
  b.conv(12, 3, 1, 1);
  b.bn();
  b.residual_from(r);
  b.ternarize();
  b.output();
  const Graph g = expect_exact(b, "TERNARY", 200);
  const MatLayer& m = g.layers.at(1).mat;
  EXPECT_EQ(g.values[m.residual].type, isa::DType::kT2);
  EXPECT_EQ(g.values[m.output].type, isa::DType::kT2);
  EXPECT_EQ(m.residual_scales.size(), 12u);
}

// A b1 residual into a ternarizer: one scale for both levels.
TEST(Fold, BinaryResidualIntoTernarizerIsExact) {
  for (GammaSign s : {GammaSign::kPositive, GammaSign::kMixed}) {
    NetBuilder b("BIPOLAR", {1, 24}, 36);
    b.set_gamma(s);
    b.gemm(24);
    const std::string r = b.bn_sign();
    b.gemm(24, true, WeightKind::kTernary);
    b.bn();
    b.residual_from(r);
    b.ternarize(-2, 1);
    b.output();
    const Graph g = expect_exact(b, "BIPOLAR", 300);
    const MatLayer& m = g.layers.at(1).mat;
    EXPECT_EQ(g.values[m.residual].type, isa::DType::kB1);
    EXPECT_EQ(g.values[m.output].type, isa::DType::kT2);
  }
}

// imcnas's ternary residual block (nas/train/onnx_export.cpp): BatchNorm(scale 1, B 0, float
// mean and var, epsilon 0) -> Add(ternary shortcut) -> MultiThreshold [1][2] {-0.5, 0.5}.
// The cuts are not linear in r, so the fold needs a sum shift; exact on every input.
TEST(Fold, NasTernaryResidualBlockIsExactOnEveryInput) {
  int shifted = 0;
  for (uint64_t seed = 40; seed < 48; ++seed) {
    NetBuilder b("TERNARY", {1, 6}, seed);
    b.gemm(6, true, WeightKind::kTernary);
    const std::string r = b.multithreshold_ternary();
    b.gemm(6, true, WeightKind::kTernary);
    b.bn_unit_scale();
    b.residual_from(r);
    b.ternarize(-0.5f, 0.5f);
    b.output();
    const onnx::ModelProto model = b.build();
    const Graph g = import_onnx(model, "net", {});
    const Tensor x = every_ternary_input();
    EXPECT_EQ(testing::naive_run(g, x).at(0).values, testing::run_onnx(model, x).at(0).values)
        << "seed " << seed;
    const MatLayer& m = g.layers.at(1).mat;
    EXPECT_LE(m.sum_shift, 2);
    if (m.sum_shift > 0) ++shifted;
  }
  EXPECT_GT(shifted, 0) << "no seed needed a shift: the test does not cover it";
}

TEST(Fold, RawOutputIsI32AndShapesGiven) {
  NetBuilder b("UINT8", {0, 6}, 13);  // symbolic batch
  b.matmul(3, WeightKind::kTernary);
  b.output_raw();
  const Graph g = expect_exact(b, "UINT8");
  EXPECT_EQ(g.values[g.outputs[0]].type, isa::DType::kI32);
  EXPECT_EQ(g.onnx_input_shape, (std::vector<int64_t>{1, 6}));
  EXPECT_EQ(g.onnx_output_shapes.at(0), (std::vector<int64_t>{1, 3}));
}

TEST(Fold, InputTypeOptionOverridesAnnotation) {
  NetBuilder b("", {1, 4}, 14);
  b.matmul(2);
  b.output_raw();
  EXPECT_THROW(import_onnx(b.build(), "net", {}), CompileError);
  const Graph g = import_onnx(b.build(), "net", {"INT8"});
  EXPECT_EQ(g.values[g.input].type, isa::DType::kI8);
}

}  // namespace
}  // namespace imc::compiler
