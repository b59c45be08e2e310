#include "hw/arch/check_keys.h"

#include <set>

#include "hw/arch/schema.h"

namespace imc::arch {
namespace {

std::string join(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

std::string unknown(const std::string& parent, const std::string& name) {
  const std::string near = schema::closest(parent, name);
  if (!near.empty()) return "unknown key (did you mean '" + near + "'?)";
  std::string list;
  for (const std::string& c : schema::children(parent)) list += (list.empty() ? "" : ", ") + c;
  return "unknown key; " + (parent.empty() ? std::string("the top level") : "'" + parent + "'") +
         " takes " + list;
}

void check_map(const Tree& tree, const YAML::Node& map, const std::string& path) {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar())
      tree.fail_at(it->first.Mark(), path,
                   "a key must be a plain name, got " + describe(it->first));
    const std::string name = it->first.Scalar();
    const std::string child = join(path, name);
    if (!seen.insert(name).second)
      tree.fail_at(it->first.Mark(), child, "given twice; one key holds one fact");
    const bool entry_part = [&] {
      const schema::Key* parent = schema::find(path);
      return parent && schema::is_entry(parent->kind) && (name == "value" || name == "source");
    }();
    if (entry_part) continue;
    const schema::Key* key = schema::find(child);
    if (!key) tree.fail_at(it->first.Mark(), child, unknown(path, name));
    const bool nested = key->kind == schema::Kind::kSection || schema::is_entry(key->kind);
    if (nested && it->second.IsMap()) check_map(tree, it->second, child);
  }
}

}  // namespace

void check_known_keys(const Tree& tree) {
  check_map(tree, tree.root(), "");
}

}  // namespace imc::arch
