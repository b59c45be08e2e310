// The arch file's keys: one row per key path. The unknown-key check, the --set path check
// and the typed reader all consult this one list, so a key cannot be known to one of them
// and not to the others.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imc::arch::schema {

enum class Kind {
  kSection,    // a map of further keys
  kText,       // a non-empty string
  kCount,      // a plain integer
  kReal,       // a plain number
  kChoice,     // one word of a fixed set
  kFrequency,  // "1GHz"
  kSize,       // "64KiB"
  kLatency,    // {value: "2ns" | "3cycles", source: "..."}
  kEnergy,     // {value: "42fJ", source: "..."}
  kPower,      // {value: "0.5mW", source: "..."}
  kTileList,   // a list of tile ids: [0, 5]
};

struct Key {
  std::string_view path;  // dotted, from the top of the file
  Kind kind;
  bool required;  // whenever its section is present
};

const std::vector<Key>& keys();
const Key* find(std::string_view path);  // nullptr for an unknown path

// A {value, source} map: every measured or assumed number carries where it comes from.
bool is_entry(Kind k);

// Names allowed directly inside `path` ("" for the top level), in file order.
std::vector<std::string> children(std::string_view path);

// The known name inside `path` closest to a misspelt `name`, or "" when none is close.
std::string closest(std::string_view path, std::string_view name);

std::string_view parent_of(std::string_view path);  // "" for a top-level key
std::string_view last_of(std::string_view path);    // the name after the last '.'

}  // namespace imc::arch::schema
