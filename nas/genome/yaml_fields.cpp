#include "nas/genome/yaml_fields.h"

#include <cmath>
#include <sstream>
#include <utility>

#include "hw/arch/load.h"
#include "hw/arch/parse.h"

namespace imc::nas {
namespace {

std::string where(const std::string& file, const YAML::Node& at) {
  const YAML::Mark m = at.Mark();
  return m.line >= 0 ? file + ":" + std::to_string(m.line + 1) : file;
}

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += (s.empty() ? "" : ", ") + w;
  return s;
}

}  // namespace

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    arch::check_utf8(text, file);
    arch::check_single_document(text, file);
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      throw arch::InputError(file + ":1: expected a YAML map at the top level");
    }
    return root;
  } catch (const YAML::Exception& e) {
    throw arch::InputError(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Fields::Fields(const YAML::Node& map, std::string path, std::string file)
    : map_(map), path_(std::move(path)), file_(std::move(file)) {
  if (!map_.IsMap()) {
    throw arch::InputError(where(file_, map_) + ": key '" + path_ + "': expected a map");
  }
  std::set<std::string> seen;  // yaml-cpp keeps one of two equal keys without a word
  for (const auto& entry : map_) {
    if (!seen.insert(entry.first.Scalar()).second) {
      fail(entry.first, entry.first.Scalar(), "given twice");
    }
  }
}

bool Fields::has(const std::string& key) const {
  return bool(map_[key]);
}

void Fields::fail(const YAML::Node& at, const std::string& key, const std::string& what) const {
  throw arch::InputError(where(file_, at.IsDefined() ? at : map_) + ": key '" + path_of(key) +
                         "': " + what);
}

YAML::Node Fields::required(const std::string& key) {
  read_.insert(key);
  YAML::Node n = map_[key];
  if (!n || n.IsNull()) fail(map_, key, "missing");
  return n;
}

std::optional<YAML::Node> Fields::optional(const std::string& key) {
  read_.insert(key);
  YAML::Node n = map_[key];
  if (!n || n.IsNull()) return std::nullopt;
  return n;
}

int Fields::as_int(const YAML::Node& n, const std::string& key, int lo, int hi) const {
  if (!n.IsScalar()) fail(n, key, "expected an integer");
  long long v = 0;
  std::istringstream in(n.Scalar());
  if (!(in >> v) || !in.eof()) fail(n, key, "'" + n.Scalar() + "' is not an integer");
  if (v < lo || v > hi) {
    fail(n, key,
         std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) +
             "]");
  }
  return int(v);
}

double Fields::as_real(const YAML::Node& n, const std::string& key, double lo, double hi) const {
  if (!n.IsScalar()) fail(n, key, "expected a number");
  double v = 0;
  std::istringstream in(n.Scalar());
  if (!(in >> v) || !in.eof() || !std::isfinite(v)) {
    fail(n, key, "'" + n.Scalar() + "' is not a number");
  }
  if (v < lo || v > hi) {
    std::ostringstream range;
    range << "[" << lo << ", " << hi << "]";
    fail(n, key, n.Scalar() + " is out of range " + range.str());
  }
  return v;
}

std::string Fields::as_word(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar() || n.Scalar().empty()) fail(n, key, "expected a word");
  return n.Scalar();
}

int Fields::integer(const std::string& key, int lo, int hi, std::optional<int> fallback) {
  const std::optional<YAML::Node> n = fallback ? optional(key) : std::optional(required(key));
  return n ? as_int(*n, key, lo, hi) : *fallback;
}

double Fields::real(const std::string& key, double lo, double hi, std::optional<double> fallback) {
  const std::optional<YAML::Node> n = fallback ? optional(key) : std::optional(required(key));
  return n ? as_real(*n, key, lo, hi) : *fallback;
}

std::string Fields::word(const std::string& key, const std::vector<std::string>& choices,
                         std::optional<std::string> fallback) {
  const std::optional<YAML::Node> n = fallback ? optional(key) : std::optional(required(key));
  if (!n) return *fallback;
  const std::string w = as_word(*n, key);
  for (const std::string& c : choices) {
    if (w == c) return w;
  }
  fail(*n, key, "'" + w + "': expected one of " + join(choices));
}

std::vector<int> Fields::integers(const std::string& key, int lo, int hi) {
  const YAML::Node n = required(key);
  if (!n.IsSequence() || n.size() == 0) fail(n, key, "expected a non-empty list of integers");
  std::vector<int> out;
  for (const YAML::Node& item : n) out.push_back(as_int(item, key, lo, hi));
  return out;
}

std::vector<std::string> Fields::strings(const std::string& key) {
  std::vector<std::string> out;
  const std::optional<YAML::Node> n = optional(key);
  if (!n) return out;
  if (!n->IsSequence()) fail(*n, key, "expected a list");
  for (const YAML::Node& item : *n) out.push_back(as_word(item, key));
  return out;
}

Fields Fields::map(const std::string& key) {
  return Fields(required(key), path_of(key), file_);
}

Fields Fields::element(const YAML::Node& item, const std::string& key, size_t index) {
  return Fields(item, path_of(key) + "[" + std::to_string(index) + "]", file_);
}

void Fields::done() const {
  for (const auto& entry : map_) {
    const std::string key = entry.first.Scalar();
    if (!read_.count(key)) fail(entry.first, key, "unknown key");
  }
}

}  // namespace imc::nas
