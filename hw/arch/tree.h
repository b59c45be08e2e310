// The arch file's YAML tree together with where each key came from: a line of the file, or
// a --set override. Every error names that place and the key's dotted path, as
// "FILE:LINE: key 'tile.crossbar.rows': what is wrong".
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace imc::arch {

class Tree {
 public:
  Tree(YAML::Node root, std::string file_name);

  YAML::Node root() const { return root_; }
  const std::string& file_name() const { return file_; }

  // The node at dotted `path`, or nullopt when a key on the way is absent. Fails when a key
  // on the way holds something other than a map.
  std::optional<YAML::Node> get(std::string_view path) const;

  // Marks `path` and everything below it as written by `origin` ("--set a.b=c").
  void note_origin(const std::string& path, const std::string& origin);

  // "FILE:LINE" of the key at `path`, of its nearest present parent when it is absent, or
  // the --set that wrote it.
  std::string where(std::string_view path) const;

  [[noreturn]] void fail(std::string_view path, const std::string& what) const;
  // As fail(), at a given mark: for a key that occurs twice, where the path is ambiguous.
  [[noreturn]] void fail_at(const YAML::Mark& mark, std::string_view path,
                            const std::string& what) const;
  // Reports the first absent key on the way to `path` as missing.
  [[noreturn]] void fail_missing(std::string_view path) const;

 private:
  const std::string* origin_of(std::string_view path) const;
  std::string at_line(const YAML::Mark& mark) const;

  YAML::Node root_;
  std::string file_;
  std::map<std::string, std::string, std::less<>> origins_;
};

// Finds `name` in map `m` by iterating: operator[] on a non-const node would insert it.
// yaml-cpp nodes are references: `a = b` overwrites what `a` refers to, so walks rebind
// with reset() and only deliberate writes use operator=.
bool find_child(const YAML::Node& m, std::string_view name, YAML::Node* value,
                YAML::Mark* key_mark = nullptr);

// "a map", "a list", "nothing" or the scalar in quotes: what a node holds, for messages.
std::string describe(const YAML::Node& n);

}  // namespace imc::arch
