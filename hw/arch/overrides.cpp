#include "hw/arch/overrides.h"

#include <cctype>

#include "hw/arch/parse.h"
#include "hw/arch/schema.h"

namespace imc::arch {
namespace {

std::string origin_of(const Override& o) {
  return "--set " + o.path + "=" + o.value;
}

[[noreturn]] void fail(const Override& o, const std::string& what) {
  throw InputError(origin_of(o) + ": key '" + o.path + "': " + what);
}

void check_syntax(const Override& o) {
  if (o.path.empty()) throw InputError(origin_of(o) + ": the key path before '=' is empty");
  // Values end up in the JSON of --stats and imcnas's database, which hold UTF-8 only.
  for (const std::string* text : {&o.path, &o.value})
    if (const size_t at = first_non_utf8(*text); at != std::string::npos)
      fail(o, non_utf8_text(*text, at));
  size_t start = 0;
  while (true) {
    size_t dot = o.path.find('.', start);
    if (dot == std::string::npos) dot = o.path.size();
    if (dot == start) fail(o, "empty part in the key path");
    for (size_t i = start; i < dot; ++i)
      if (!std::isalnum(static_cast<unsigned char>(o.path[i])) && o.path[i] != '_')
        fail(o, std::string("a key name holds letters, digits and '_', not '") + o.path[i] + "'");
    if (dot == o.path.size()) return;
    start = dot + 1;
  }
}

[[noreturn]] void fail_unknown(const Override& o) {
  // Suggest from the deepest known section on the way.
  std::string_view known = schema::parent_of(o.path);
  while (!known.empty() && !schema::find(known)) known = schema::parent_of(known);
  const std::string rest(std::string_view(o.path).substr(known.empty() ? 0 : known.size() + 1));
  const std::string name = rest.substr(0, rest.find('.'));
  const std::string near = schema::closest(known, name);
  if (near.empty()) fail(o, "unknown key");
  fail(o, "unknown key (did you mean '" + (known.empty() ? "" : std::string(known) + ".") + near +
              "'?)");
}

// The map at `path`, created (and attributed to `o`) where absent or empty.
YAML::Node map_at(Tree& tree, const std::string& path, const Override& o) {
  YAML::Node node = tree.root();
  std::string walked;
  size_t start = 0;
  while (start < path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    const std::string name = path.substr(start, dot - start);
    walked = path.substr(0, dot);
    YAML::Node child;
    if (!find_child(node, name, &child)) {
      node[name] = YAML::Node(YAML::NodeType::Map);
      find_child(node, name, &child);
      tree.note_origin(walked, origin_of(o));
    } else if (child.IsNull()) {
      child = YAML::Node(YAML::NodeType::Map);
      tree.note_origin(walked, origin_of(o));
    } else if (!child.IsMap()) {
      tree.fail(walked,
                "expected a map, got " + describe(child) + "; cannot apply " + origin_of(o));
    }
    node.reset(child);  // rebind; operator= would overwrite the node itself
    start = dot + 1;
  }
  return node;
}

void put(YAML::Node map, const std::string& name, const std::string& value) {
  YAML::Node child;
  if (find_child(map, name, &child))
    child = value;
  else
    map[name] = value;
}

void apply(Tree& tree, const Override& o) {
  check_syntax(o);
  const schema::Key* key = schema::find(o.path);
  const std::string parent(schema::parent_of(o.path));
  const std::string name(schema::last_of(o.path));
  if (!key) {
    const schema::Key* entry = schema::find(parent);
    const bool entry_part =
        entry && schema::is_entry(entry->kind) && (name == "value" || name == "source");
    if (!entry_part) fail_unknown(o);
  } else if (key->kind == schema::Kind::kSection) {
    std::string list;
    for (const std::string& c : schema::children(o.path)) list += (list.empty() ? "" : ", ") + c;
    fail(o, "is a section; set one of its keys (" + list + ")");
  }
  if (key && schema::is_entry(key->kind)) {
    // The shorthand replaces the number, so the file's source no longer applies to it.
    YAML::Node entry = map_at(tree, o.path, o);
    put(entry, "value", o.value);
    put(entry, "source", "command line: " + origin_of(o));
  } else {
    put(map_at(tree, parent, o), name, o.value);
  }
  tree.note_origin(o.path, origin_of(o));
}

}  // namespace

Override parse_override(const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError("--set " + assignment +
                     ": expected path=value, e.g. --set tile.crossbar.rows=128");
  auto trim = [](std::string s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return std::string();
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
  };
  Override o{trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1))};
  check_syntax(o);
  return o;
}

void apply_overrides(Tree& tree, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) apply(tree, o);
}

}  // namespace imc::arch
