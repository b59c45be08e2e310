#include "hw/arch/parse.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

#include "hw/arch/load.h"

namespace imc::arch {
namespace {

std::string at(const std::string& file, const YAML::Mark& mark) {
  return mark.line < 0 ? file : file + ":" + std::to_string(mark.line + 1);
}

// Records the first node event of a document and whether it was all there was.
class FirstEvent : public YAML::EventHandler {
 public:
  void reset() { seen_ = 0, lone_null_ = false; }
  bool lone_null() const { return seen_ == 1 && lone_null_; }
  const YAML::Mark& mark() const { return mark_; }
  int seen() const { return seen_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m, true); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m, false); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    note(m, false);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(m, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(m, false);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& m, bool null) {
    if (seen_++ == 0) mark_ = m, lone_null_ = null;
  }
  int seen_ = 0;
  bool lone_null_ = false;
  YAML::Mark mark_;
};

// yaml-cpp 0.7 does not reject a stray ',' outside brackets: its parser then reports an
// endless run of empty documents without moving on (LoadAll() allocates until the process
// dies; jbeder/yaml-cpp#1040, fixed upstream by PR #1319). So look at two documents at most
// with the event parser first, and only then build the tree.
}  // namespace

void check_single_document(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  FirstEvent first, second;
  if (!parser.HandleNextDocument(first)) return;  // empty: reported by the caller
  if (!parser.HandleNextDocument(second)) return;
  if (first.lone_null())
    throw InputError(at(file, first.mark()) +
                     ": YAML syntax error: unexpected character (a stray ',' or bracket?)");
  throw InputError(at(file, second.seen() ? second.mark() : first.mark()) +
                   ": unexpected content after the first YAML document (a stray ',' or a "
                   "second document); the file must hold one");
}

Tree parse_arch_yaml(const std::string& text, const std::string& file_name) {
  YAML::Node root;
  try {
    check_single_document(text, file_name);
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(at(file_name, e.mark) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull())
    throw InputError(file_name + ":1: the arch file is empty; see docs/arch-file.md");
  if (!root.IsMap())
    throw InputError(at(file_name, root.Mark()) +
                     ": expected a map of keys (name, clock, mesh, tile, ...), got " +
                     describe(root));
  return Tree(root, file_name);
}

}  // namespace imc::arch
