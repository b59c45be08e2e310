// The arch file's pipeline: parse YAML once, apply --set overrides, reject unknown keys,
// type every key, check the rules between keys. Each step lives in its own file.
#include "hw/arch/load.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hw/arch/check_keys.h"
#include "hw/arch/overrides.h"
#include "hw/arch/parse.h"
#include "hw/arch/read_chip.h"
#include "hw/arch/reader.h"
#include "hw/arch/tree.h"

namespace imc::arch {
namespace {

// Parses, overrides and types `text`; `tree` keeps the effective YAML (with defaults).
ChipParams load_tree(Tree& tree, const std::vector<Override>& overrides) {
  apply_overrides(tree, overrides);
  check_known_keys(tree);
  Reader reader(tree);
  ChipParams chip = read_chip(reader);
  chip.source_file = tree.file_name();
  check_chip(chip, reader);
  return chip;
}

std::string read_file(const std::string& path) {
  if (std::filesystem::is_directory(path))
    throw InputError(path + ": is a directory, expected an arch file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the arch file: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ChipParams load_chip_from_string(const std::string& text, const std::string& file_name,
                                 const std::vector<Override>& overrides) {
  Tree tree = parse_arch_yaml(text, file_name);
  return load_tree(tree, overrides);
}

ChipParams load_chip(const std::string& path, const std::vector<Override>& overrides) {
  return load_chip_from_string(read_file(path), path, overrides);
}

std::string dump_effective_config(const std::string& path, const std::vector<Override>& overrides) {
  Tree tree = parse_arch_yaml(read_file(path), path);
  load_tree(tree, overrides);  // dump only what would load
  YAML::Emitter out;
  std::string header = "effective arch file: " + path + ", defaults filled in";
  for (const Override& o : overrides) header += "\n  --set " + o.path + "=" + o.value;
  out << YAML::Comment(header) << YAML::Newline << tree.root();
  if (!out.good())
    throw InputError(path + ": cannot write the configuration: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace imc::arch
