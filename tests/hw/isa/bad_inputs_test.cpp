// The bad-input corpora under tests/bad_inputs/{prog,npy}: every file is listed in its
// expect.tsv, and the isa library reports what the table promises. (The imcsim end-to-end
// run of the same corpora lives in tests/sim.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "hw/isa/assembler.h"
#include "hw/isa/check.h"
#include "hw/isa/npy.h"
#include "isa_test_util.h"

namespace imc::isa {
namespace {

const std::string kDir = std::string(IMCSIM_SOURCE_DIR) + "/tests/bad_inputs/";

struct Expectation {
  std::string file;
  int exit_code;
  std::string substring;
};

std::vector<Expectation> read_expectations(const std::string& dir) {
  std::ifstream in(kDir + dir + "/expect.tsv");
  EXPECT_TRUE(in.good()) << dir;
  std::vector<Expectation> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    Expectation e;
    std::string code;
    std::getline(fields, e.file, '\t');
    std::getline(fields, code, '\t');
    std::getline(fields, e.substring);
    e.exit_code = std::stoi(code);
    out.push_back(e);
  }
  return out;
}

std::set<std::string> files_with(const std::string& dir, const std::string& ext) {
  std::set<std::string> names;
  for (const auto& f : std::filesystem::directory_iterator(kDir + dir)) {
    if (f.path().extension() == ext) names.insert(f.path().filename().string());
  }
  return names;
}

TEST(IsaBadInputs, ProgramsFailWithTheListedMessage) {
  const std::vector<Expectation> expect = read_expectations("prog");
  EXPECT_GE(expect.size(), 14u);
  std::set<std::string> listed;
  for (const Expectation& e : expect) {
    listed.insert(e.file);
    EXPECT_EQ(e.exit_code, 2) << e.file;
    const std::string path = kDir + "prog/" + e.file;
    const std::string what =
        testing::error_of([&] { check_program(load_program(path), testing::tile8x8()); });
    EXPECT_TRUE(testing::contains(what, e.substring)) << e.file << ": " << what;
    EXPECT_TRUE(testing::starts_with(what, path + ":")) << what;
  }
  EXPECT_EQ(listed, files_with("prog", ".cmd"));
}

// The simulator feeds these to a program expecting one u8 input of shape 16 per inference.
// Most are refused by the reader; the wrong shape and out-of-range values are well-formed
// files that the simulator refuses, with the message in expect.tsv.
TEST(IsaBadInputs, NpyFilesFailWithTheListedMessage) {
  const std::vector<Expectation> expect = read_expectations("npy");
  EXPECT_GE(expect.size(), 6u);
  std::set<std::string> listed = {"good.npy"};
  for (const Expectation& e : expect) {
    listed.insert(e.file);
    EXPECT_EQ(e.exit_code, 2) << e.file;
    const std::string path = kDir + "npy/" + e.file;
    if (e.substring == "shape" || e.substring == "out of range") {
      const NpyTensor t = read_npy_integers(path);
      const bool wrong_shape = t.shape.empty() || t.shape.back() != 16;
      const bool out_of_range =
          std::any_of(t.values.begin(), t.values.end(), [](int64_t v) { return v < 0 || v > 255; });
      EXPECT_EQ(wrong_shape, e.substring == "shape") << e.file;
      EXPECT_EQ(out_of_range, e.substring == "out of range") << e.file;
      continue;
    }
    const std::string what = testing::error_of<arch::InputError>([&] { read_npy_integers(path); });
    EXPECT_TRUE(testing::starts_with(what, path + ": ")) << what;
    EXPECT_TRUE(testing::contains(what, e.substring)) << e.file << ": " << what;
  }
  EXPECT_EQ(listed, files_with("npy", ".npy"));
  // The program the corpus is fed to is itself valid.
  EXPECT_NO_THROW(check_program(load_program(kDir + "npy/program.cmd"), testing::tile8x8()));
  EXPECT_EQ(read_npy_integers(kDir + "npy/good.npy").shape.back(), 16);
}

}  // namespace
}  // namespace imc::isa
