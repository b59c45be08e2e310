// Located reads from the YAML files of imcnas (net files, search spaces): every error is an
// arch::InputError "FILE:LINE: key 'a.b': what is wrong", and keys a map does not know are
// errors too (a typo never silently falls back to a default).
#pragma once
#include <yaml-cpp/yaml.h>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace imc::nas {

// Parses one YAML document; syntax errors name the file and line.
YAML::Node parse_yaml(const std::string& text, const std::string& file);

// The entries of one YAML map at dotted path `path` ("" for the root).
class Fields {
 public:
  Fields(const YAML::Node& map, std::string path, std::string file);

  bool has(const std::string& key) const;
  YAML::Node required(const std::string& key);
  std::optional<YAML::Node> optional(const std::string& key);

  int integer(const std::string& key, int lo, int hi, std::optional<int> fallback = {});
  double real(const std::string& key, double lo, double hi, std::optional<double> fallback = {});
  std::string word(const std::string& key, const std::vector<std::string>& choices,
                   std::optional<std::string> fallback = {});
  std::vector<int> integers(const std::string& key, int lo, int hi);  // non-empty list
  std::vector<std::string> strings(const std::string& key);           // list, may be empty

  // A sub-map (Fields of `key`), or of an element of a list.
  Fields map(const std::string& key);
  Fields element(const YAML::Node& item, const std::string& key, size_t index);

  // Every key read? Unknown keys are errors, reported at their own line.
  void done() const;

  std::string path_of(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& what) const;
  const std::string& file() const { return file_; }

  // Typed conversions with located errors (also for list items).
  int as_int(const YAML::Node& n, const std::string& key, int lo, int hi) const;
  double as_real(const YAML::Node& n, const std::string& key, double lo, double hi) const;
  std::string as_word(const YAML::Node& n, const std::string& key) const;

 private:
  YAML::Node map_;
  std::string path_, file_;
  std::set<std::string> read_;
};

}  // namespace imc::nas
