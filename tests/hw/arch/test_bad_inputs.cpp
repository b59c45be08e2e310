// The malformed arch files of tests/bad_inputs/arch/ each fail with the message listed in
// expect.tsv (FILE, exit code, substring). imcsim prints the same message and exits 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "arch_test_util.h"

namespace imc::arch {
namespace {

struct Expectation {
  std::string file;
  int exit_code = 0;
  std::string message;
};

std::vector<Expectation> expectations() {
  std::istringstream in(test::read_text(test::source_path("tests/bad_inputs/arch/expect.tsv")));
  std::vector<Expectation> all;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    EXPECT_NE(b, std::string::npos) << line;
    all.push_back(
        {line.substr(0, a), std::stoi(line.substr(a + 1, b - a - 1)), line.substr(b + 1)});
  }
  return all;
}

TEST(BadInputs, EachFileFailsWithItsListedMessage) {
  const std::string dir = test::source_path("tests/bad_inputs/arch/");
  const std::vector<Expectation> all = expectations();
  EXPECT_GE(all.size(), 12u);
  for (const Expectation& x : all) {
    EXPECT_EQ(x.exit_code, 2) << x.file;
    // Load by the bare file name, as a user in that folder would.
    const std::string text = test::read_text(dir + x.file);
    ASSERT_FALSE(text.empty()) << x.file;
    const std::string err = test::load_error(text, {}, x.file);
    EXPECT_NE(err.find(x.message), std::string::npos)
        << x.file << "\n  got:      " << err << "\n  expected: " << x.message;
    // And through load_chip, which names the path exactly as given.
    try {
      load_chip(dir + x.file);
      ADD_FAILURE() << x.file << " loaded";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(dir + x.file + ":", 0), 0u) << e.what();
    }
  }
}

TEST(BadInputs, EveryFileIsListed) {
  std::set<std::string> listed;
  for (const Expectation& x : expectations()) listed.insert(x.file);
  for (const auto& f :
       std::filesystem::directory_iterator(test::source_path("tests/bad_inputs/arch"))) {
    const std::string name = f.path().filename().string();
    if (name == "expect.tsv") continue;
    EXPECT_EQ(listed.count(name), 1u) << name << " not in expect.tsv";
  }
}

}  // namespace
}  // namespace imc::arch
