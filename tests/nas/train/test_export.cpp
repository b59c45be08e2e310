// genome -> trained module -> FoldedNet -> ONNX -> imcc (frontend + reference executor):
// bit-identical scores to the double-precision evaluation of the FoldedNet, for every block
// kind, binary/ternary weights and activations, residuals with and without channel change,
// with the trained BatchNorms and with random ones (negative gammas flip channels).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <random>
#include <set>

#include "compiler/backend/backend.h"
#include "compiler/frontend/import.h"
#include "compiler/reference/reference.h"
#include "hw/arch/load.h"
#include "nas/train/fold.h"
#include "nas/train/folded_eval.h"
#include "nas/train/onnx_export.h"
#include "nas/train/trainer.h"
#include "tests/nas/train/tiny_data.h"

namespace imc::nas {
namespace {

using testing::blob_images;
using testing::temp_dir;
using testing::tiny_net;
using testing::tiny_options;
constexpr Precision kB = Precision::kBinary, kT = Precision::kTernary;

struct Case {
  std::string name, blocks;
  int head_pools, head_width;
  Precision weights, activations;
};

std::ostream& operator<<(std::ostream& o, const Case& c) {
  return o << c.name;
}

// BatchNorm parameters far from their trained values, on the scale of each layer's sums, with
// gamma of both signs, so that thresholds land anywhere and channels flip.
void randomize_batchnorm(BnnNet& net, uint64_t seed) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(seed);
  for (size_t i = 0; i < net.plan().size(); ++i) {
    const Stage& s = net.plan()[i];
    if (!s.has_weights() || s.raw) continue;
    const QuantLayer& l = net.layer(i);
    const double scale = std::sqrt(double(s.fan_in())) * (s.input == 0 ? 100 : 1);
    l.gamma.uniform_(-2, 2);
    l.beta.uniform_(-1, 1);
    l.running_mean.uniform_(-scale, scale);
    l.running_var.uniform_(0.3 * scale, 1.5 * scale).pow_(2);
  }
}

compiler::Tensor as_tensor(const ImageSet& s) {
  return {{s.count, 1, s.rows, s.cols}, std::vector<int32_t>(s.images.begin(), s.images.end())};
}

// Uniform random pixels: inputs unlike the training data, sums over the whole range.
ImageSet random_images(int count, int size, uint64_t seed) {
  ImageSet s = blob_images(count, size, 10, seed);
  std::mt19937_64 rng(seed);
  for (uint8_t& p : s.images) p = uint8_t(rng() % 256);
  return s;
}

class ExportMatchesCompiler : public ::testing::TestWithParam<Case> {};

TEST_P(ExportMatchesCompiler, ReferenceExecutorGivesTheSoftwareScores) {
  const Case& c = GetParam();
  const NetGenome g = tiny_net(c.blocks, 8, c.head_pools, c.head_width, c.weights, c.activations);
  const ImageSet train = blob_images(64, 8, 10, 1);
  ImageSet probe = blob_images(48, 8, 10, 2);
  const ImageSet noise = random_images(48, 8, 3);
  probe.count += noise.count;
  probe.images.insert(probe.images.end(), noise.images.begin(), noise.images.end());
  probe.labels.insert(probe.labels.end(), noise.labels.begin(), noise.labels.end());

  torch::manual_seed(5);
  BnnNet net(g);
  train_network(net, train, train, tiny_options(1, 5));
  const std::string dir = temp_dir("export_" + c.name);
  const arch::ChipParams chip = arch::load_chip(IMCSIM_SOURCE_DIR "/configs/tile8x8.yaml");
  for (const bool random_bn : {false, true}) {
    SCOPED_TRACE(random_bn ? "random BatchNorm" : "trained BatchNorm");
    if (random_bn) randomize_batchnorm(net, 9);
    const FoldedNet folded = fold_network(net);
    const std::string path = dir + (random_bn ? "/random.onnx" : "/trained.onnx");
    write_onnx(folded, path);
    const std::vector<int32_t> expected = folded_scores(folded, probe, probe.count);
    ASSERT_EQ(expected.size(), size_t(probe.count) * 10);
    const compiler::Graph graph = compiler::import_onnx(path, {});
    const std::vector<compiler::Tensor> out = compiler::run_reference(graph, as_tensor(probe));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].shape, (std::vector<int64_t>{probe.count, 10}));
    EXPECT_EQ(out[0].values, expected);
    // The scores must carry information: many distinct values.
    EXPECT_GT(std::set<int32_t>(expected.begin(), expected.end()).size(), 5u);
    EXPECT_NO_THROW(compiler::compile_graph(graph, chip, {}));
  }
}

INSTANTIATE_TEST_SUITE_P(BlocksAndPrecisions, ExportMatchesCompiler,
                         ::testing::Values(Case{"vgg_bb", "vgg8,vgg8", 0, 16, kB, kB},
                                           Case{"mvgg_bb", "mvgg4,vgg8", 1, 0, kB, kB},
                                           Case{"res_same_bb", "vgg4,res4", 0, 16, kB, kB},
                                           Case{"res_change_bb", "res4,res8", 1, 16, kB, kB},
                                           Case{"vgg_tb", "vgg8,mvgg8", 1, 16, kT, kB},
                                           Case{"res_same_tb", "mvgg4,res4", 1, 16, kT, kB},
                                           Case{"res_change_tb", "res4,skip,res8", 2, 0, kT, kB},
                                           Case{"vgg_bt", "vgg4,mvgg8", 0, 16, kB, kT},
                                           Case{"vgg_tt", "mvgg8,vgg8", 1, 16, kT, kT},
                                           Case{"res_tt", "res4,res4", 1, 16, kT, kT},
                                           Case{"res_change_tt", "res4,res8", 1, 16, kT, kT}),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

TEST(Export, OnnxHasTheDocumentedPatterns) {
  const NetGenome g = tiny_net("vgg4,res4", 8, 0, 8, kT, kB);
  torch::manual_seed(1);
  BnnNet net(g);
  const onnx::ModelProto m = to_onnx(fold_network(net));
  std::vector<std::string> ops;
  for (const auto& n : m.graph().node()) ops.push_back(n.op_type());
  EXPECT_EQ(ops,
            (std::vector<std::string>{"Conv", "MultiThreshold", "Conv", "MultiThreshold", "MaxPool",
                                      "Conv", "MultiThreshold", "Conv", "BatchNormalization", "Add",
                                      "Sign", "Flatten", "Gemm", "MultiThreshold", "Gemm"}));
  EXPECT_EQ(m.graph().input(0).name(), "x");
  EXPECT_EQ(m.graph().quantization_annotation(0).quant_parameter_tensor_names(0).value(), "UINT8");
  EXPECT_EQ(m.graph().output(0).name(), "scores");
  EXPECT_EQ(m.opset_import(0).version(), 13);
  // Weights are -1/0/+1; binary thresholds are half-integers (no ties).
  for (const auto& t : m.graph().initializer()) {
    const std::string& n = t.name();
    for (float v : t.float_data()) {
      if (n.size() > 2 && n.substr(n.size() - 2) == "_W") {
        EXPECT_TRUE(v == -1 || v == 0 || v == 1) << n << " " << v;
      }
      if (n.size() > 2 && n.substr(n.size() - 2) == "_T") {
        EXPECT_EQ(v - std::floor(v), 0.5f) << n << " " << v;
      }
    }
  }
}

}  // namespace
}  // namespace imc::nas
