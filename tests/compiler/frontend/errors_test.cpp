// Every unsupported op or pattern is a CompileError naming the model, the node and why; bad
// files are arch::InputError naming the path.
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "compiler/frontend/import.h"
#include "hw/arch/load.h"
#include "tests/compiler/model_builder.h"

namespace imc::compiler {
namespace {

using testing::GammaSign;
using testing::NetBuilder;
using testing::WeightKind;

// The import's error message, or "" when it succeeds.
std::string error_of(const onnx::ModelProto& m, const ImportOptions& o = {}) {
  try {
    import_onnx(m, "net.onnx", o);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_ERROR(model, text) \
  EXPECT_NE(error_of(model).find(text), std::string::npos) << error_of(model)

void set_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

TEST(FrontendErrors, NonBinaryWeightsNameTheNode) {
  NetBuilder b("BIPOLAR", {1, 4}, 1);
  b.matmul(2);
  b.output_raw();
  onnx::ModelProto m = b.build();
  // B is [4][2]: weight 1 is output channel 1's first, so 0.5 becomes its magnitude and the
  // +-1 weight 3 of the same channel is the one that does not fit
  m.mutable_graph()->mutable_initializer(0)->set_float_data(1, 0.5f);
  EXPECT_ERROR(m, "net.onnx: node 'matmul0' (MatMul): weight 3 is ");
  EXPECT_ERROR(m,
               "1.000000, but output channel 1 has weights of magnitude 0.500000: the weights must "
               "be -1, 0, +1 times one magnitude per output channel");
}

TEST(FrontendErrors, UnsupportedOpNamesTheNode) {
  NetBuilder b("BIPOLAR", {1, 4}, 2);
  b.matmul(2);
  b.output_raw();
  onnx::ModelProto m = b.build();
  m.mutable_graph()->mutable_node(0)->set_op_type("Relu");
  EXPECT_ERROR(m, "net.onnx: node 'matmul0' (Relu): unsupported op");
}

TEST(FrontendErrors, ConvGroupAndDilation) {
  for (const char* attr : {"group", "dilations"}) {
    NetBuilder b("BIPOLAR", {1, 2, 4, 4}, 3);
    b.conv(2, 3);
    onnx::NodeProto& n = b.last_node();
    if (std::string(attr) == "group") {
      set_int(n, "group", 2);
    } else {
      auto* a = n.add_attribute();
      a->set_name("dilations");
      a->set_type(onnx::AttributeProto::INTS);
      a->add_ints(2);
      a->add_ints(2);
    }
    b.output_raw();
    EXPECT_ERROR(b.build(), "node 'conv0' (Conv): " + std::string(attr == std::string("group")
                                                                      ? "group must be 1"
                                                                      : "dilation must be 1"));
  }
}

TEST(FrontendErrors, GemmAlphaAndTransA) {
  NetBuilder b("BIPOLAR", {1, 4}, 4);
  b.gemm(2);
  auto* a = b.last_node().add_attribute();
  a->set_name("alpha");
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(2);
  b.output_raw();
  EXPECT_ERROR(b.build(), "node 'gemm0' (Gemm): alpha and beta must be 1");
  NetBuilder c("BIPOLAR", {1, 4}, 4);
  c.gemm(2);
  set_int(c.last_node(), "transA", 1);
  c.output_raw();
  EXPECT_ERROR(c.build(), "node 'gemm0' (Gemm): transA must be 0");
}

TEST(FrontendErrors, MaxPoolBeforeNegativeGamma) {
  NetBuilder b("BIPOLAR", {1, 2, 4, 4}, 5);
  b.set_gamma(GammaSign::kNegative);
  b.conv(2, 3, 1, 1);
  b.maxpool(2, 2);
  b.bn_sign();
  b.output();
  EXPECT_ERROR(b.build(), "node 'sign0' (Sign): the MaxPool 'pool0' before it cannot move");
}

TEST(FrontendErrors, MaxPoolCeilMode) {
  NetBuilder b("BIPOLAR", {1, 2, 4, 4}, 6);
  b.maxpool(2, 2);
  set_int(b.last_node(), "ceil_mode", 1);
  b.output();
  EXPECT_ERROR(b.build(), "node 'pool0' (MaxPool): ceil_mode must be 0");
}

TEST(FrontendErrors, MultiThresholdOtherScales) {
  NetBuilder b("BIPOLAR", {1, 4}, 7);
  b.matmul(2);
  b.multithreshold_binary();
  b.last_node().mutable_attribute(0)->set_f(3);  // out_scale
  b.output();
  EXPECT_ERROR(b.build(), "node 'mt0' (MultiThreshold): 1 thresholds with out_scale 3");
}

// QONNX Quant: on constant weights only; 2 signed bits without narrow give -2 as a level,
// which is not a ternary weight.
TEST(FrontendErrors, QuantOnWeightsOnly) {
  NetBuilder b("BIPOLAR", {1, 8}, 31);
  b.gemm(4, true, WeightKind::kLatentQuantTernary);
  b.bn_sign();
  b.gemm(2);
  b.output_raw();
  onnx::ModelProto m = b.build();
  for (auto& n : *m.mutable_graph()->mutable_node())
    for (auto& a : *n.mutable_attribute())
      if (a.name() == "narrow") a.set_i(0);
  for (auto& t : *m.mutable_graph()->mutable_initializer())
    if (t.name() == "gemm0.W") t.set_float_data(0, -1.9f);  // row 0 has scale 1: rounds to -2
  EXPECT_ERROR(m,
               "node 'gemm0' (Gemm): weight 2 is 1.000000, but output channel 0 has weights "
               "of magnitude 2.000000");

  onnx::ModelProto act = b.build();  // the Quant moved onto the input
  onnx::GraphProto& g = *act.mutable_graph();
  g.mutable_node(0)->set_input(0, g.input(0).name());
  EXPECT_ERROR(act, "node 'gemm0_wq' (Quant): Quant is folded on constant weights only");
}

// A requantization with no matmul before it is an identity matmul: C x C cells, so a very
// wide vector is refused instead of allocating C^2 weights.
TEST(FrontendErrors, IdentityRequantizationOfAWideVector) {
  NetBuilder b("BIPOLAR", {1, 5000}, 32);
  b.bn_sign();
  b.gemm(2);
  b.output_raw();
  EXPECT_ERROR(b.build(),
               "node 'bn0' (BatchNormalization): requantizing 5000 channels with no matmul before "
               "it needs a "
               "5000x5000 identity matmul; only up to 4096 are supported");
}

// A positive scale is a magnitude on weights (Fold.ScaledBipolarQuantWeights) and on
// activations (Fold.ScaledBipolarQuantActivations), which a raw integer output cannot carry.
TEST(FrontendErrors, BipolarQuantScales) {
  const auto with_scale = [](const std::string& node, float scale, bool raw) {
    NetBuilder b("BIPOLAR", {1, 4}, 8);
    b.matmul(2, WeightKind::kLatentBipolarQuant);
    if (!raw) {
      b.bn_bipolarquant();
      b.matmul(2);
    }
    b.output_raw();
    onnx::ModelProto m = b.build();
    for (auto& t : *m.mutable_graph()->mutable_initializer())
      if (t.name() == node + ".scale") t.set_float_data(0, scale);
    return m;
  };
  EXPECT_ERROR(with_scale("matmul0_wq", 0.5f, true),
               "node 'matmul0' (output): a raw integer output cannot follow a "
               "BatchNormalization, a Mul or Div, or scaled weights or activations");
  EXPECT_ERROR(with_scale("matmul0_wq", 0.f, false),
               "node 'matmul0_wq' (BipolarQuant): the scale must be positive (found 0.000000)");
  EXPECT_ERROR(with_scale("bq0", 0.5f, false),
               "(output): a raw integer output cannot follow a BatchNormalization, a Mul or "
               "Div, or scaled weights or activations");
  EXPECT_ERROR(with_scale("bq0", -2.f, false),
               "node 'bq0' (BipolarQuant): the scale must be positive (found -2.000000)");
}

TEST(FrontendErrors, RawOutputAfterBatchNormOrWithFractionalBias) {
  NetBuilder b("BIPOLAR", {1, 4}, 9);
  b.matmul(2);
  b.bn();
  b.output();
  EXPECT_ERROR(b.build(), "cannot follow a BatchNormalization");
}

// b1 and t2 residuals are supported; an integer (u8) residual is not.
TEST(FrontendErrors, IntegerResidualIsAnError) {
  NetBuilder b("UINT8", {1, 4}, 10);
  b.matmul(4);
  b.bn();
  b.residual_from("input");
  b.sign();
  b.output();
  EXPECT_ERROR(b.build(),
               "node 'res0' (Add): the residual 'input' must be a binary or ternary activation "
               "(u8 residuals are not supported)");
}

TEST(FrontendErrors, ResidualWithZeroGammaNamesTheChannel) {
  NetBuilder b("BIPOLAR", {1, 4}, 10);
  b.matmul(4);
  const std::string r = b.multithreshold_ternary();
  b.matmul(4);
  b.bn();
  b.residual_from(r);
  b.ternarize();
  b.output();
  onnx::ModelProto m = b.build();
  for (auto& t : *m.mutable_graph()->mutable_initializer())
    if (t.name() == "bn1.scale") t.set_float_data(2, 0.f);
  EXPECT_ERROR(m, "channel 2 has BatchNorm scale 0 before a residual");
}

TEST(FrontendErrors, SumsFeedingTwoNodes) {
  NetBuilder b("BIPOLAR", {1, 4}, 11);
  const std::string s = b.matmul(4);
  b.sign();
  b.residual_from(s);
  b.output();
  EXPECT_ERROR(b.build(), "node 'matmul0' (MatMul): its integer output 'matmul0.out' feeds 2");
}

TEST(FrontendErrors, InputTypes) {
  NetBuilder b("BINARY", {1, 4}, 12);
  b.matmul(2);
  b.output_raw();
  EXPECT_ERROR(b.build(), "net.onnx: input type BINARY");
  EXPECT_EQ(error_of(b.build(), {"UINT8"}), "");
  EXPECT_NE(error_of(b.build(), {"FLOAT32"}).find("'FLOAT32' is not supported"), std::string::npos);
}

TEST(FrontendErrors, LatentZeroUnderSign) {
  NetBuilder b("BIPOLAR", {1, 4}, 13);
  b.matmul(2, WeightKind::kLatentSign);
  b.output_raw();
  onnx::ModelProto m = b.build();
  m.mutable_graph()->mutable_initializer(0)->set_float_data(0, 0.f);
  EXPECT_ERROR(m, "node 'matmul0_wsign' (Sign): a latent weight is exactly 0");
}

TEST(FrontendErrors, GemmOnUnflattenedMap) {
  NetBuilder b("BIPOLAR", {1, 2, 2, 2}, 14);
  b.conv(2, 1);
  b.bn_sign();
  onnx::ModelProto m = b.build();
  // a Gemm straight on the 4-D map
  auto* n = m.mutable_graph()->add_node();
  n->set_op_type("Gemm");
  n->set_name("fc");
  n->add_input("sign0.out");
  n->add_input("conv0.W");
  n->add_output("y");
  m.mutable_graph()->add_output()->set_name("y");
  EXPECT_ERROR(m, "node 'fc' (Gemm): the input must be 2-D");
}

TEST(FrontendFiles, MissingFileIsInputError) {
  try {
    import_onnx("/nonexistent/x.onnx", {});
    FAIL();
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/x.onnx: cannot open the file");
  }
}

TEST(FrontendFiles, JunkAndEmptyFiles) {
  const std::string junk = ::testing::TempDir() + "junk.onnx";
  std::ofstream(junk) << "this is not a protobuf \xff\xff\xff";
  EXPECT_THROW(import_onnx(junk, {}), arch::InputError);
  const std::string empty = ::testing::TempDir() + "empty.onnx";
  std::ofstream(empty).flush();
  try {
    import_onnx(empty, {});
    FAIL();
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), empty + ": the model has no graph");
  }
}

TEST(FrontendFiles, SavedModelRoundTrips) {
  NetBuilder b("BIPOLAR", {1, 4}, 15);
  b.matmul(3);
  b.bn_sign();
  b.output();
  const std::string path = ::testing::TempDir() + "net.onnx";
  b.save(path);
  const Graph g = import_onnx(path, {});
  EXPECT_EQ(g.layers.size(), 1u);
}

TEST(FrontendPasses, DumpAfterEachPass) {
  NetBuilder b("BIPOLAR", {1, 4}, 16);
  b.matmul(3);
  b.bn_sign();
  b.output();
  EXPECT_EQ(frontend_pass_names(), (std::vector<std::string>{"import", "fold"}));
  const std::string imported = frontend_dump_after(b.build(), "net", {}, "import");
  EXPECT_NE(imported.find("node bn0 BatchNormalization (matmul0.out"), std::string::npos)
      << imported;
  const std::string folded = frontend_dump_after(b.build(), "net", {}, "fold");
  EXPECT_NE(folded.find("mat matmul0+bn0+sign0"), std::string::npos) << folded;
  EXPECT_THROW(frontend_dump_after(b.build(), "net", {}, "codegen"), std::invalid_argument);
}

}  // namespace
}  // namespace imc::compiler
