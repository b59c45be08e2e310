#include "run_tool.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace imc::test {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_dir() {
  std::string pattern = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  pattern += "/imcsim-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::vector<BadInputCase> read_bad_input_cases(const std::string& kind) {
  std::vector<BadInputCase> cases;
  std::ifstream in(std::string(IMCSIM_SOURCE_DIR) + "/tests/bad_inputs/" + kind + "/expect.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream s(line);
    std::string col;
    while (std::getline(s, col, '\t')) cols.push_back(col);
    if (cols.size() < 2) continue;
    cases.push_back({kind, cols[0], std::stoi(cols[1]), {cols.begin() + 2, cols.end()}});
  }
  return cases;
}

Scratch::~Scratch() {
  std::system(("rm -rf '" + dir + "'").c_str());
}

std::string Scratch::file(const std::string& name, const std::string& text) const {
  const std::string p = path(name);
  std::ofstream(p) << text;
  return p;
}

ToolRun run_tool(const std::string& binary, const std::string& args) {
  const std::string dir = temp_dir();
  const std::string cmd = "cd '" IMCSIM_SOURCE_DIR "' && '" + binary + "' " + args + " >'" + dir +
                          "/out' 2>'" + dir + "/err' </dev/null";
  const int raw = std::system(cmd.c_str());
  ToolRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = read_text(dir + "/out");
  r.err = read_text(dir + "/err");
  std::system(("rm -rf '" + dir + "'").c_str());
  return r;
}

}  // namespace imc::test
