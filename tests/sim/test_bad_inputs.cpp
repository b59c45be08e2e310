// The malformed-input corpus (tests/bad_inputs/<kind>/): every file there, run through
// imcsim, must end with the status in its folder's expect.tsv (2: bad input, 3: run-time
// failure) and print every listed substring, never crash or hang.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_tool.h"

namespace imc::test {
namespace {

using Case = BadInputCase;

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  for (const char* kind : {"arch", "prog", "npy", "runtime"}) {
    for (Case& c : read_bad_input_cases(kind)) cases.push_back(std::move(c));
  }
  return cases;
}

// How each kind of bad file is fed to imcsim; everything else in the command is valid.
std::string arguments(const Case& c) {
  const std::string path = "tests/bad_inputs/" + c.kind + "/" + c.file;
  if (c.kind == "arch")
    return "--arch " + path +
           " --prog tests/bad_inputs/npy/program.cmd --input tests/bad_inputs/npy/good.npy";
  if (c.kind == "npy")
    return "--arch configs/tile8x8.yaml --prog tests/bad_inputs/npy/program.cmd --input " + path;
  return "--arch configs/tile8x8.yaml --prog " + path;
}

std::string without_sanitizer_notes(const std::string& err) {
  std::stringstream in(err);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.rfind("==", 0) == 0 || line.rfind("False positive error reports", 0) == 0 ||
        line.rfind("For details see https://github.com/google/sanitizers", 0) == 0) {
      continue;
    }
    kept += line + "\n";
  }
  return kept;
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, FailsCleanlyWithAUsefulMessage) {
  const Case& c = GetParam();
  const ToolRun r = run_tool(IMCSIM_BINARY, arguments(c));
  EXPECT_EQ(r.status, c.status) << r.err;
  for (const std::string& needle : c.needles) {
    EXPECT_NE(r.err.find(needle), std::string::npos) << "expected '" << needle << "' in:\n"
                                                     << r.err;
  }
  // One line, prefixed with the program's name, and nothing on stdout. (Under ASan, the
  // sanitizer runtime adds its own notes about the kernel's coroutine stacks: not ours.)
  const std::string own = without_sanitizer_notes(r.err);
  EXPECT_EQ(own.rfind("imcsim: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(own.begin(), own.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.kind + "_" + info.param.file;
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(load_cases()), case_name);

TEST(BadInputCorpus, HoldsAtLeastThirtyCases) {
  EXPECT_GE(load_cases().size(), 30u);
}

}  // namespace
}  // namespace imc::test
