// Reading arch files: YAML -> ChipParams, with units, overrides and validation.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "hw/arch/params.h"

namespace imc::arch {

// A problem with an input file; what() reads "file:line: what is wrong".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One `--set path.to.key=value` override, applied to the YAML tree before it is typed.
struct Override {
  std::string path;   // dotted path, e.g. "tile.crossbar.rows"
  std::string value;  // scalar text as it would appear in YAML, e.g. "128" or "2ns"
};

// Parses `text` (the content of `file_name`), applies `overrides` in order (last wins) and
// validates. Throws InputError naming file, line and key on any problem.
ChipParams load_chip_from_string(const std::string& text, const std::string& file_name,
                                 const std::vector<Override>& overrides = {});
ChipParams load_chip(const std::string& path, const std::vector<Override>& overrides = {});

// The effective arch file (after overrides) as YAML text, sources and comments kept where
// yaml-cpp can keep them.
std::string dump_effective_config(const std::string& path, const std::vector<Override>& overrides);

// True when this build holds the Verilated RTL blocks (CMake option IMCSIM_RTL), so that an
// arch file may select `impl: rtl`.
bool rtl_available();

// Parses "a.b.c=value" as given on the command line.
Override parse_override(const std::string& assignment);

}  // namespace imc::arch
