// Runs a program of this build (imcsim, later imcc) as a user would, from the source tree,
// and captures its exit status, stdout and stderr.
#pragma once

#include <string>

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
