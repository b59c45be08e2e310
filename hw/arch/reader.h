// Typed reads from the arch file's tree: each read names its key's dotted path, checks it
// against the schema, and turns any problem into an InputError at that key. Defaults of
// optional keys are written back into the tree so that the dumped configuration shows them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "hw/arch/schema.h"
#include "hw/arch/tree.h"

namespace imc::arch {

class Reader {
 public:
  explicit Reader(Tree& tree) : tree_(tree) {}

  bool has(const std::string& path) const { return tree_.get(path).has_value(); }

  std::string text(const std::string& path);  // non-empty
  int64_t count(const std::string& path, int64_t lo, int64_t hi);
  int64_t count_or(const std::string& path, int64_t lo, int64_t hi, int64_t fallback);
  double real_or(const std::string& path, double fallback);
  std::string choice(const std::string& path, std::initializer_list<const char*> words);
  std::string choice_or(const std::string& path, std::initializer_list<const char*> words,
                        const std::string& fallback);
  double frequency_hz(const std::string& path);
  int64_t size_bits(const std::string& path);
  int64_t latency_cycles(const std::string& path, double clock_hz);  // >= 1
  double energy_pj(const std::string& path);                         // >= 0
  double power_w(const std::string& path);                           // >= 0
  // Distinct tile ids in 0..tiles-1, as a YAML list or, from --set, its flow text "[0,5]";
  // empty when the key is absent.
  std::vector<int> tile_list(const std::string& path, int64_t tiles);

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    tree_.fail(path, what);
  }

 private:
  YAML::Node required(const std::string& path, schema::Kind kind) const;
  std::optional<YAML::Node> optional(const std::string& path, schema::Kind kind) const;
  std::string scalar(const YAML::Node& n, const std::string& path, const char* expected) const;
  std::string entry_value(const std::string& path, schema::Kind kind) const;
  int64_t integer(const YAML::Node& n, const std::string& path, int64_t lo, int64_t hi) const;
  double real(const YAML::Node& n, const std::string& path) const;
  void put_default(const std::string& path, const std::string& value);
  void put_section(const std::string& path);  // an empty map, and its parents if missing

  Tree& tree_;
};

}  // namespace imc::arch
