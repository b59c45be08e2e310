#include "hw/arch/parse.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cstdio>
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

size_t first_non_utf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    // The sequence's length and the range of its second byte (which rules out overlong
    // forms, surrogates and code points past U+10FFFF); later bytes are 0x80..0xBF.
    size_t n = 1;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    } else if (b >= 0x80) {
      return i;
    }
    if (i + n > text.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? c < lo || c > hi : c < 0x80 || c > 0xBF) return i;
    }
    i += n;
  }
  return std::string::npos;
}

std::string non_utf8_text(const std::string& text, size_t at) {
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
  return std::string("not UTF-8 text (byte ") + byte + ")";
}

void check_utf8(const std::string& text, const std::string& file) {
  const size_t at = first_non_utf8(text);
  if (at == std::string::npos) return;
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  throw InputError(file + ":" + std::to_string(line) + ": " + non_utf8_text(text, at) +
                   "; YAML files are UTF-8");
}

Tree parse_arch_yaml(const std::string& text, const std::string& file_name) {
  YAML::Node root;
  try {
    check_utf8(text, file_name);
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
