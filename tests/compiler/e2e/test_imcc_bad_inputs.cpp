// The bad-ONNX corpus (tests/bad_inputs/onnx/) and bad options: imcc must refuse every file there
// with exit status 2 and one line naming the file (and, for unsupported ops, the node), and must
// not write the output. expect.tsv lists each file, its status and the substrings to print.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "run_tool.h"

namespace imc::test {
namespace {

using Case = BadInputCase;

std::vector<Case> load_cases() {
  return read_bad_input_cases("onnx");
}

class ImccBadOnnx : public ::testing::TestWithParam<Case> {};

TEST_P(ImccBadOnnx, RefusedWithOneLineNamingTheFileAndNoOutput) {
  const Case& c = GetParam();
  const std::string path = "tests/bad_inputs/onnx/" + c.file;
  const std::string out = temp_dir() + "/out.cmd";
  const ToolRun r =
      run_tool(IMCC_BINARY, "--arch configs/tile8x8.yaml --model " + path + " -o " + out);
  EXPECT_EQ(r.status, c.status) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line:\n" << r.err;
  EXPECT_EQ(r.err.rfind("imcc: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(path), std::string::npos) << "no " << path << " in:\n" << r.err;
  for (const std::string& needle : c.needles)
    EXPECT_NE(r.err.find(needle), std::string::npos) << "expected '" << needle << "' in:\n"
                                                     << r.err;
  EXPECT_FALSE(std::ifstream(out).good()) << out << " was written";
  std::system(("rm -rf '" + out.substr(0, out.rfind('/')) + "'").c_str());
}

TEST(ImccBadOnnxCorpus, HasAtLeastEightFilesAndEveryFileIsListed) {
  std::set<std::string> listed;
  for (const Case& c : load_cases()) listed.insert(c.file);
  EXPECT_GE(listed.size(), 8u);
  const std::filesystem::path dir = std::string(IMCSIM_SOURCE_DIR) + "/tests/bad_inputs/onnx";
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".onnx") {
      EXPECT_TRUE(listed.count(e.path().filename().string())) << e.path() << " not in expect.tsv";
    }
}

// imcc on the shipped bnn_cnn example for tile8x8, writing `out`, with more options.
ToolRun compile_bnn_cnn(const std::string& out, const std::string& options) {
  return run_tool(
      IMCC_BINARY,
      "--arch configs/tile8x8.yaml --model examples/bnn_cnn/model.onnx -o " + out + " " + options);
}

// Option values imcc does not know are refused like bad files: exit 2, one line, no output.
TEST(ImccOptions, UnknownScheduleOrPlacementIsRefused) {
  for (const std::string option :
       {"--schedule fastest", "--placement random", "--positions-per-mvm 2", "--pool-fusion on",
        "--handover pieces"}) {
    const std::string out = temp_dir() + "/out.cmd";
    const ToolRun r = compile_bnn_cnn(out, option);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    EXPECT_FALSE(std::ifstream(out).good()) << out << " was written";
    std::system(("rm -rf '" + out.substr(0, out.rfind('/')) + "'").c_str());
  }
}

// The program imcc writes for the shipped CNN with `options`, after checking that imcsim gives
// its expected outputs with it (gtest expectations).
std::string bit_exact_bnn_cnn(const std::string& options) {
  const std::string out = temp_dir() + "/net.cmd";
  const ToolRun c = compile_bnn_cnn(out, options);
  EXPECT_EQ(c.status, 0) << options << ": " << c.err;
  const ToolRun s = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + out +
                                                " --input examples/bnn_cnn/input.npy --expect "
                                                "examples/bnn_cnn/expected.npy -q");
  EXPECT_EQ(s.status, 0) << options << ": " << s.err;
  const std::string program = read_text(out);
  std::system(("rm -rf '" + out.substr(0, out.rfind('/')) + "'").c_str());
  return program;
}

// Shifted kernel copies on the shipped CNN: its expected outputs on imcsim, with fewer MVMs.
// The default (serial) takes them only where tiles are short: bnn_cnn leaves 37 of 64 idle.
TEST(ImccOptions, ShiftedKernelsAreBitExact) {
  auto mvms = [](const std::string& text) {
    size_t n = 0;
    for (size_t at = text.find("MVM "); at != std::string::npos; at = text.find("MVM ", at + 1))
      ++n;
    return n;
  };
  const std::string plain = bit_exact_bnn_cnn("--positions-per-mvm 1");
  EXPECT_LT(mvms(bit_exact_bnn_cnn("--positions-per-mvm auto")), mvms(plain));
  EXPECT_EQ(bit_exact_bnn_cnn(""), plain);
  EXPECT_EQ(bit_exact_bnn_cnn("--positions-per-mvm serial"), plain);
}

// Both placements of the shipped CNN give its expected outputs on imcsim, and they are
// different programs (the tiles differ).
TEST(ImccOptions, SnakeAndNocPlacementsAreBothBitExact) {
  EXPECT_NE(bit_exact_bnn_cnn("--placement snake"), bit_exact_bnn_cnn("--placement noc"));
}

INSTANTIATE_TEST_SUITE_P(Corpus, ImccBadOnnx, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n = info.param.file.substr(0, info.param.file.find('.'));
                           for (char& ch : n)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace imc::test
