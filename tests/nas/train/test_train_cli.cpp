// imcnas train (train_main): exit codes, and a run on a tiny IDX data set whose written test
// inputs and scores agree with imcc's reference executor on the written model.
#include <gtest/gtest.h>

#include <fstream>

#include "compiler/frontend/import.h"
#include "compiler/reference/reference.h"
#include "hw/isa/file_io.h"
#include "hw/isa/npy.h"
#include "nas/train/train_cli.h"
#include "tests/nas/train/tiny_data.h"

namespace imc::nas {
namespace {

using testing::blob_images;
using testing::temp_dir;
using testing::tiny_net;

void write_idx(const std::string& path, std::vector<uint32_t> dims, const std::vector<uint8_t>& v) {
  std::string b = {0, 0, 8, char(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(char((d >> shift) & 0xff));
  }
  b.append(v.begin(), v.end());
  isa::write_file_atomically(path, b);
}

void write_set(const std::string& dir, const std::string& prefix, const ImageSet& s) {
  write_idx(dir + "/" + prefix + "-images-idx3-ubyte",
            {uint32_t(s.count), uint32_t(s.rows), uint32_t(s.cols)}, s.images);
  write_idx(dir + "/" + prefix + "-labels-idx1-ubyte", {uint32_t(s.count)}, s.labels);
}

int run(const std::vector<std::string>& args) {
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int status = train_main(args);
  ::testing::internal::GetCapturedStdout();
  ::testing::internal::GetCapturedStderr();
  return status;
}

TEST(TrainCli, BadInputExitsTwo) {
  const std::string dir = temp_dir("cli_bad");
  isa::write_file_atomically(dir + "/bad.yaml", "blocks: [{kind: bogus}]\n");
  EXPECT_EQ(run({"--net", dir + "/missing.yaml", "-o", dir + "/m.onnx"}), 2);
  EXPECT_EQ(run({"--net", dir + "/bad.yaml", "-o", dir + "/m.onnx"}), 2);
  EXPECT_EQ(run({"--net", dir + "/bad.yaml"}), 2);                              // no -o
  EXPECT_EQ(run({"--net", dir + "/bad.yaml", "-o", "m", "--epochs", "x"}), 2);  // not a number
  EXPECT_EQ(run({"--bogus"}), 2);
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_FALSE(std::ifstream(dir + "/m.onnx").good());
}

TEST(TrainCli, WritesModelInputsAndScoresThatImccReproduces) {
  const std::string dir = temp_dir("cli_run");
  write_set(dir, "train", blob_images(200, 8, 10, 1));
  write_set(dir, "t10k", blob_images(40, 8, 10, 2));
  isa::write_file_atomically(
      dir + "/net.yaml",
      net_to_yaml(
          Genome{tiny_net("vgg4,res4", 8, 0, 8, Precision::kBinary, Precision::kBinary), {}}));
  EXPECT_EQ(run({"--net", dir + "/net.yaml", "-o", dir + "/m.onnx", "--data", dir, "--epochs", "2",
                 "--batch-size", "32", "--lr", "0.01", "--test-images", "30", "--test-inputs",
                 dir + "/x.npy", "--scores", dir + "/s.npy"}),
            0);
  const isa::NpyTensor x = isa::read_npy_integers(dir + "/x.npy");
  const isa::NpyTensor s = isa::read_npy_integers(dir + "/s.npy");
  EXPECT_EQ(x.shape, (std::vector<int64_t>{30, 1, 8, 8}));
  EXPECT_EQ(s.shape, (std::vector<int64_t>{30, 10}));
  const compiler::Graph g = compiler::import_onnx(dir + "/m.onnx", {});
  const compiler::Tensor in{x.shape, std::vector<int32_t>(x.values.begin(), x.values.end())};
  const std::vector<compiler::Tensor> y = compiler::run_reference(g, in);
  EXPECT_EQ(std::vector<int64_t>(y.at(0).values.begin(), y.at(0).values.end()), s.values);
}

}  // namespace
}  // namespace imc::nas
