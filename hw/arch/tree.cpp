#include "hw/arch/tree.h"

#include "hw/arch/load.h"
#include "hw/arch/schema.h"

namespace imc::arch {
namespace {

// Splits "a.b.c" at each '.', calling f(prefix, name) for "a", "a.b", "a.b.c".
template <typename F>
void for_each_prefix(std::string_view path, F f) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    if (!f(path.substr(0, dot), path.substr(start, dot - start))) return;
    start = dot + 1;
  }
}

std::string section_keys(std::string_view path) {
  std::string list;
  for (const std::string& c : schema::children(path)) list += (list.empty() ? "" : ", ") + c;
  return list;
}

}  // namespace

Tree::Tree(YAML::Node root, std::string file_name) : root_(root), file_(std::move(file_name)) {}

bool find_child(const YAML::Node& m, std::string_view name, YAML::Node* value,
                YAML::Mark* key_mark) {
  if (!m.IsMap()) return false;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == name) {
      if (value) value->reset(it->second);  // rebind, never assign through
      if (key_mark) *key_mark = it->first.Mark();
      return true;
    }
  }
  return false;
}

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    default:
      return "nothing";
  }
}

std::optional<YAML::Node> Tree::get(std::string_view path) const {
  YAML::Node node = root_;
  std::string_view walked;  // the prefix `node` sits at
  bool present = true;
  for_each_prefix(path, [&](std::string_view prefix, std::string_view name) {
    if (!node.IsMap())
      fail(walked, "expected a map of keys (" + section_keys(walked) + "), got " + describe(node));
    YAML::Node child;
    if (!find_child(node, name, &child)) return present = false;
    node.reset(child);  // rebind; operator= would overwrite the node itself
    walked = prefix;
    return true;
  });
  if (!present) return std::nullopt;
  return node;
}

void Tree::note_origin(const std::string& path, const std::string& origin) {
  origins_[path] = origin;
}

const std::string* Tree::origin_of(std::string_view path) const {
  const std::string* found = nullptr;
  for_each_prefix(path, [&](std::string_view prefix, std::string_view) {
    if (auto it = origins_.find(prefix); it != origins_.end()) found = &it->second;
    return true;  // the longest (latest written) prefix wins
  });
  return found;
}

std::string Tree::at_line(const YAML::Mark& mark) const {
  if (mark.line < 0) return file_;
  return file_ + ":" + std::to_string(mark.line + 1);
}

std::string Tree::where(std::string_view path) const {
  if (const std::string* origin = origin_of(path)) return *origin;
  YAML::Node node = root_;
  YAML::Mark mark = root_.Mark();
  for_each_prefix(path, [&](std::string_view, std::string_view name) {
    YAML::Node child;
    YAML::Mark key_mark;
    if (!find_child(node, name, &child, &key_mark)) return false;
    if (key_mark.line >= 0) mark = key_mark;  // keys filled in by defaults have no mark
    node.reset(child);                        // rebind; operator= would overwrite the node itself
    return true;
  });
  return at_line(mark);
}

void Tree::fail(std::string_view path, const std::string& what) const {
  throw InputError(where(path) + ": key '" + std::string(path) + "': " + what);
}

void Tree::fail_at(const YAML::Mark& mark, std::string_view path, const std::string& what) const {
  const std::string* origin = origin_of(path);
  throw InputError((origin ? *origin : at_line(mark)) + ": key '" + std::string(path) +
                   "': " + what);
}

void Tree::fail_missing(std::string_view path) const {
  std::string_view missing = path;
  for_each_prefix(path, [&](std::string_view prefix, std::string_view) {
    if (get(prefix)) return true;
    missing = prefix;
    return false;
  });
  const schema::Key* key = schema::find(missing);
  const bool section = key && key->kind == schema::Kind::kSection;
  fail(missing, section ? "missing required section (with keys " + section_keys(missing) + ")"
                        : "missing required key");
}

}  // namespace imc::arch
