// Runs a program of this build (imcsim, later imcc) as a user would, from the source tree,
// and captures its exit status, stdout and stderr.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace imc::test {

struct ToolRun {
  int status = -1;
  std::string out;
  std::string err;
};

// `args` is appended to the binary's path as shell words; runs with the repository root as
// the working directory.
ToolRun run_tool(const std::string& binary, const std::string& args);
std::string read_text(const std::string& path);
std::string temp_dir();  // a fresh directory for one test's files

// One line of a bad-input corpus' expect.tsv: FILE<TAB>exit status<TAB>substrings...
struct BadInputCase {
  std::string kind;  // the corpus folder: tests/bad_inputs/<kind>/
  std::string file;
  int status = 0;
  std::vector<std::string> needles;  // every one must appear in the message
};
std::vector<BadInputCase> read_bad_input_cases(const std::string& kind);
// How GoogleTest names a case in its output.
inline void PrintTo(const BadInputCase& c, std::ostream* os) {
  *os << c.kind << "/" << c.file;
}

// A temp_dir() removed when the test is done.
struct Scratch {
  Scratch() : dir(temp_dir()) {}
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string path(const std::string& name) const { return dir + "/" + name; }
  std::string file(const std::string& name, const std::string& text) const;  // writes it
  std::string dir;
};

}  // namespace imc::test
