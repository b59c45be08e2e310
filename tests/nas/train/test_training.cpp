// The network plan, training on a small subset (the loss falls, the exported network
// classifies), determinism of the exported bytes, and option errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/train/network.h"
#include "nas/train/plan.h"
#include "nas/train/trainer.h"
#include "tests/nas/train/tiny_data.h"

namespace imc::nas {
namespace {

using testing::blob_images;
using testing::temp_dir;
using testing::tiny_net;
using testing::tiny_options;
constexpr Precision kB = Precision::kBinary, kT = Precision::kTernary;

TEST(Plan, ResidualShortcutIsTheBlockInputOnlyWhenChannelsMatch) {
  // res4 on the image: around the second conv; res4 after it: the block input; res8: around.
  const std::vector<Stage> p = plan_network(tiny_net("res4,res4,vgg8,res8", 8, 0, 16, kB, kB));
  ASSERT_EQ(p.size(), 12u);     // 2 + 2 + 3 + 2 convs/pools, flatten, fc0, fc1
  EXPECT_EQ(p[1].residual, 1);  // value 1 = conv0's activation (the image is value 0)
  EXPECT_EQ(p[3].residual, 2);  // value 2 = the first block's output
  EXPECT_EQ(p[4].residual, -1);
  EXPECT_EQ(p[6].kind, Stage::Kind::kPool);
  EXPECT_EQ(p[8].residual, 7);  // value 7 = the pool; channels 8 == 8
  EXPECT_EQ(p[9].kind, Stage::Kind::kFlatten);
  EXPECT_EQ(p[9].out.c, 8 * 4 * 4);
  EXPECT_EQ(p[10].name, "fc0");
  EXPECT_EQ(p.back().name, "fc1");
  EXPECT_TRUE(p.back().raw);
  EXPECT_EQ(p.back().fan_in(), 16);
  const std::vector<Stage> q = plan_network(tiny_net("res4,res8", 8, 1, 0, kB, kB));
  EXPECT_EQ(q[3].residual, 3);  // channel change 4 -> 8: around the second conv
  EXPECT_EQ(q[4].kind, Stage::Kind::kPool);
  EXPECT_EQ(q.back().in.c, 8 * 4 * 4);
  EXPECT_THROW(plan_network(tiny_net("vgg4,vgg4,vgg4,vgg4", 8, 0, 0, kB, kB)), arch::InputError);
}

double loss_on(BnnNet& net, const ImageSet& s) {
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(s.images.data()),
                                           {s.count, 1, s.rows, s.cols}, torch::kUInt8)
                              .to(torch::kFloat);
  std::vector<int64_t> labels(s.labels.begin(), s.labels.end());
  return torch::nn::functional::cross_entropy(net.forward(x), torch::tensor(labels)).item<double>();
}

TEST(Training, LossFallsAndTheExportedNetworkClassifies) {
  const ImageSet train = blob_images(256, 8, 4, 1), test = blob_images(128, 8, 4, 2);
  NetGenome g = tiny_net("vgg8", 8, 0, 16, kB, kB);
  g.classes = 4;
  torch::manual_seed(3);
  BnnNet net(g);
  net.eval();
  const double before = loss_on(net, train);
  train_network(net, train, test, tiny_options(8, 3));
  net.eval();
  const double after = loss_on(net, train);
  EXPECT_LT(after, 0.5 * before) << "before " << before << " after " << after;
  EXPECT_GT(float_accuracy(net, test, 128), 0.9);

  const TrainOutcome t =
      train_and_export(g, train, test, tiny_options(8, 3), temp_dir("loss") + "/m.onnx");
  EXPECT_GT(t.software_accuracy, 0.9);
  EXPECT_EQ(t.test_scores.size(), 64u * 4);  // test_images = 64
}

TEST(Training, SameSeedAndThreadsGiveIdenticalOnnxBytes) {
  const ImageSet train = blob_images(128, 8, 10, 4), test = blob_images(32, 8, 10, 5);
  const NetGenome g = tiny_net("res4,mvgg8", 8, 1, 16, kT, kB);
  const std::string dir = temp_dir("determinism");
  const TrainOutcome a = train_and_export(g, train, test, tiny_options(2, 11), dir + "/a.onnx");
  const TrainOutcome b = train_and_export(g, train, test, tiny_options(2, 11), dir + "/b.onnx");
  const TrainOutcome c = train_and_export(g, train, test, tiny_options(2, 12), dir + "/c.onnx");
  const std::string bytes_a = isa::read_file_bytes(dir + "/a.onnx");
  EXPECT_GT(bytes_a.size(), 1000u);
  EXPECT_EQ(bytes_a, isa::read_file_bytes(dir + "/b.onnx"));
  EXPECT_EQ(a.final_loss, b.final_loss);
  EXPECT_EQ(a.test_scores, b.test_scores);
  EXPECT_NE(bytes_a, isa::read_file_bytes(dir + "/c.onnx"));
}

TEST(Training, WeightNoiseChangesTrainingAndStaysDeterministic) {
  const ImageSet train = blob_images(128, 8, 10, 4);
  const NetGenome g = tiny_net("vgg8", 8, 0, 16, kB, kB);
  const std::string dir = temp_dir("noise");
  TrainOptions noisy = tiny_options(2, 11);
  noisy.fidelity.noise_sigma = 0.2;
  train_and_export(g, train, train, noisy, dir + "/a.onnx");
  train_and_export(g, train, train, noisy, dir + "/b.onnx");
  train_and_export(g, train, train, tiny_options(2, 11), dir + "/quiet.onnx");
  EXPECT_EQ(isa::read_file_bytes(dir + "/a.onnx"), isa::read_file_bytes(dir + "/b.onnx"));
  EXPECT_NE(isa::read_file_bytes(dir + "/a.onnx"), isa::read_file_bytes(dir + "/quiet.onnx"));
}

TEST(Training, NanLossThrowsTrainError) {
  // Weight noise of 1e38 overflows the class scores to inf: the loss is NaN at once.
  const ImageSet train = blob_images(64, 8, 10, 1);
  TrainOptions o = tiny_options(1, 1);
  o.fidelity.noise_sigma = 1e38;
  try {
    train_and_export(tiny_net("vgg4", 8, 0, 0, kB, kB), train, train, o,
                     temp_dir("nan") + "/m.onnx");
    ADD_FAILURE() << "no error";
  } catch (const TrainError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("training diverged: loss ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("at epoch 1, step 1"), std::string::npos) << e.what();
  }
}

TEST(Training, PermutationIsASeededShuffle) {
  const std::vector<int64_t> p = permutation(1000, 7);
  std::vector<int64_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[size_t(i)], i);
  EXPECT_EQ(p, permutation(1000, 7));
  EXPECT_NE(p, permutation(1000, 8));
  EXPECT_NE(p, sorted);
}

TEST(Training, FidelityTakesTheFirstImagesAndAtLeastOneBatch) {
  const ImageSet s = blob_images(1000, 8, 10, 1);
  EXPECT_EQ(training_images(s, 0.1, 64), 100);
  EXPECT_EQ(training_images(s, 0.01, 64), 64);
  EXPECT_EQ(training_images(s, 1.0, 64), 1000);
}

TEST(Training, BadOptionsAndMismatchedDataAreInputErrors) {
  const ImageSet train = blob_images(64, 8, 10, 1);
  const std::string out = temp_dir("bad_options") + "/m.onnx";
  const NetGenome g = tiny_net("vgg4", 8, 0, 0, kB, kB);
  TrainOptions o = tiny_options(1, 1);
  o.fidelity.batch_size = 0;
  EXPECT_THROW(train_and_export(g, train, train, o, out), arch::InputError);
  o = tiny_options(1, 1);
  o.fidelity.train_fraction = 0;
  EXPECT_THROW(train_and_export(g, train, train, o, out), arch::InputError);
  try {
    train_and_export(tiny_net("vgg4", 12, 0, 0, kB, kB), train, train, tiny_options(1, 1), out);
    ADD_FAILURE() << "no error";
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "net: input 1x12x12 does not match the training images 1x8x8");
  }
  NetGenome three = g;
  three.classes = 3;
  EXPECT_THROW(train_and_export(three, train, train, tiny_options(1, 1), out), arch::InputError);
}

}  // namespace
}  // namespace imc::nas
