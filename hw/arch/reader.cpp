#include "hw/arch/reader.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "hw/arch/units.h"

namespace imc::arch {
namespace {

const char* entry_what(schema::Kind kind) {
  switch (kind) {
    case schema::Kind::kLatency:
      return "latency";
    case schema::Kind::kEnergy:
      return "energy";
    default:
      return "power";
  }
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

YAML::Node Reader::required(const std::string& path, schema::Kind kind) const {
  if (auto n = optional(path, kind)) return *n;
  tree_.fail_missing(path);
}

std::optional<YAML::Node> Reader::optional(const std::string& path, schema::Kind kind) const {
  const schema::Key* key = schema::find(path);
  // A read the schema does not list is a bug in this library, not in the user's file.
  if (!key || key->kind != kind)
    throw std::logic_error("arch reader: '" + path + "' not in schema");
  return tree_.get(path);
}

std::string Reader::scalar(const YAML::Node& n, const std::string& path,
                           const char* expected) const {
  if (n.IsNull()) tree_.fail(path, std::string("has no value, expected ") + expected);
  if (!n.IsScalar()) tree_.fail(path, std::string("expected ") + expected + ", got " + describe(n));
  return n.Scalar();
}

int64_t Reader::integer(const YAML::Node& n, const std::string& path, int64_t lo,
                        int64_t hi) const {
  const std::string s = scalar(n, path, "an integer");
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  const size_t digits = s.size() - i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (digits == 0 || i != s.size()) {
    const bool has_unit = !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]));
    tree_.fail(path, "expected an integer, got '" + s + "'" +
                         (has_unit ? " (a count takes no unit and no fraction)" : ""));
  }
  // More than 15 digits is out of every range here; strtoll would saturate anyway.
  const int64_t v =
      digits > 15 ? (s[0] == '-' ? INT64_MIN : INT64_MAX) : std::strtoll(s.c_str(), nullptr, 10);
  if (v < lo) tree_.fail(path, "must be at least " + std::to_string(lo) + ", got " + s);
  if (v > hi) tree_.fail(path, "must be at most " + std::to_string(hi) + ", got " + s);
  return v;
}

double Reader::real(const YAML::Node& n, const std::string& path) const {
  const std::string s = scalar(n, path, "a number");
  char* end = nullptr;
  const bool plain = s.find_first_not_of("0123456789+-.eE") == std::string::npos;
  const double v = plain && !s.empty() ? std::strtod(s.c_str(), &end) : 0;
  if (!plain || s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    tree_.fail(path, "expected a plain number, got '" + s + "'");
  return v;
}

void Reader::put_default(const std::string& path, const std::string& value) {
  const std::string parent(schema::parent_of(path));
  if (!parent.empty() && !tree_.get(parent)) put_section(parent);  // an optional section left out
  YAML::Node map = parent.empty() ? tree_.root() : *tree_.get(parent);
  map[std::string(schema::last_of(path))] = value;
}

void Reader::put_section(const std::string& path) {
  const std::string parent(schema::parent_of(path));
  if (!parent.empty() && !tree_.get(parent)) put_section(parent);
  YAML::Node map = parent.empty() ? tree_.root() : *tree_.get(parent);
  map[std::string(schema::last_of(path))] = YAML::Node(YAML::NodeType::Map);
}

std::string Reader::text(const std::string& path) {
  const std::string s = trimmed(scalar(required(path, schema::Kind::kText), path, "a string"));
  if (s.empty()) fail(path, "must not be empty");
  return s;
}

int64_t Reader::count(const std::string& path, int64_t lo, int64_t hi) {
  return integer(required(path, schema::Kind::kCount), path, lo, hi);
}

int64_t Reader::count_or(const std::string& path, int64_t lo, int64_t hi, int64_t fallback) {
  if (auto n = optional(path, schema::Kind::kCount)) return integer(*n, path, lo, hi);
  put_default(path, std::to_string(fallback));
  return fallback;
}

double Reader::real_or(const std::string& path, double fallback) {
  if (auto n = optional(path, schema::Kind::kReal)) return real(*n, path);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", fallback);
  put_default(path, buf);
  return fallback;
}

std::string Reader::choice(const std::string& path, std::initializer_list<const char*> words) {
  const std::string s = scalar(required(path, schema::Kind::kChoice), path, "a word");
  std::string list;
  for (const char* w : words) {
    if (s == w) return s;
    list += (list.empty() ? "" : ", ") + std::string(w);
  }
  fail(path, "must be one of " + list + "; got '" + s + "'");
}

std::string Reader::choice_or(const std::string& path, std::initializer_list<const char*> words,
                              const std::string& fallback) {
  if (!optional(path, schema::Kind::kChoice)) {
    put_default(path, fallback);
    return fallback;
  }
  return choice(path, words);
}

double Reader::frequency_hz(const std::string& path) {
  const std::string s = scalar(required(path, schema::Kind::kFrequency), path, "a frequency");
  try {
    return parse_frequency_hz(s);
  } catch (const UnitError& e) {
    fail(path, e.what());
  }
}

int64_t Reader::size_bits(const std::string& path) {
  const std::string s = scalar(required(path, schema::Kind::kSize), path, "a size");
  try {
    return parse_size_bits(s);
  } catch (const UnitError& e) {
    fail(path, e.what());
  }
}

std::string Reader::entry_value(const std::string& path, schema::Kind kind) const {
  const YAML::Node n = required(path, kind);
  const std::string what = entry_what(kind);
  if (!n.IsMap())
    tree_.fail(path, "expected {value: ..., source: ...}, got " + describe(n) + "; every " + what +
                         " names where its number comes from");
  const std::string source_path = path + ".source";
  YAML::Node source;
  if (!find_child(n, "source", &source))
    tree_.fail(source_path, "missing; say where this " + what +
                                " comes from (a paper, a tool, or \"assumed, ...\")");
  if (trimmed(scalar(source, source_path, "a string")).empty())
    tree_.fail(source_path, "must not be empty");
  YAML::Node value;
  if (!find_child(n, "value", &value)) tree_.fail_missing(path + ".value");
  return scalar(value, path + ".value", entry_what(kind));
}

int64_t Reader::latency_cycles(const std::string& path, double clock_hz) {
  const std::string s = entry_value(path, schema::Kind::kLatency);
  int64_t cycles = 0;
  try {
    cycles = parse_latency_cycles(s, clock_hz);
  } catch (const UnitError& e) {
    fail(path + ".value", e.what());
  }
  if (cycles < 1) {
    const bool in_cycles = s.find("cycle") != std::string::npos;
    fail(path + ".value", "'" + s + "'" +
                              (in_cycles ? ""
                                         : " is " + std::to_string(cycles) + " cycles at " +
                                               format_frequency(clock_hz)) +
                              "; a latency must be at least 1 cycle");
  }
  return cycles;
}

double Reader::energy_pj(const std::string& path) {
  const std::string s = entry_value(path, schema::Kind::kEnergy);
  double pj = 0;
  try {
    pj = parse_energy_pj(s);
  } catch (const UnitError& e) {
    fail(path + ".value", e.what());
  }
  if (pj < 0) fail(path + ".value", "must not be negative, got '" + s + "'");
  return pj;
}

double Reader::power_w(const std::string& path) {
  const std::string s = entry_value(path, schema::Kind::kPower);
  double w = 0;
  try {
    w = parse_power_w(s);
  } catch (const UnitError& e) {
    fail(path + ".value", e.what());
  }
  if (w < 0) fail(path + ".value", "must not be negative, got '" + s + "'");
  return w;
}

std::vector<int> Reader::tile_list(const std::string& path, int64_t tiles) {
  std::optional<YAML::Node> n = optional(path, schema::Kind::kTileList);
  if (!n) return {};
  const std::string expected = "expected a list of tile ids, e.g. [0, 5]";
  YAML::Node list = *n;
  // --set writes its value as text: read "[0,5]" as the flow list it spells.
  if (list.IsScalar() && !list.Scalar().empty() && list.Scalar()[0] == '[') {
    try {
      list = YAML::Load(list.Scalar());
    } catch (const YAML::Exception&) {
      fail(path, expected + ", got '" + n->Scalar() + "'");
    }
  }
  if (!list.IsSequence()) fail(path, expected + ", got " + describe(*n));
  if (list.size() == 0) fail(path, "names no tile; leave the key out to mean every tile");
  std::vector<int> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node e = list[i];
    const std::string s = e.IsScalar() ? e.Scalar() : "";
    const bool digits =
        !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
      fail(path, "element " + std::to_string(i) + ": expected a tile id (0.." +
                     std::to_string(tiles - 1) + "), got " + describe(e));
    const int id = std::atoi(s.c_str());
    if (id >= tiles)
      fail(path, "tile " + s + " is outside the mesh: its tiles are 0.." +
                     std::to_string(tiles - 1) + " (mesh.rows x mesh.cols)");
    for (int seen : ids)
      if (seen == id) fail(path, "tile " + s + " is listed twice");
    ids.push_back(id);
  }
  // Keep the list a list in the effective configuration (--dump-config).
  YAML::Node normal(YAML::NodeType::Sequence);
  normal.SetStyle(YAML::EmitterStyle::Flow);
  for (int id : ids) normal.push_back(id);
  const std::string parent(schema::parent_of(path));
  YAML::Node map = *tree_.get(parent);
  map[std::string(schema::last_of(path))] = normal;
  return ids;
}

}  // namespace imc::arch
