// YAML text -> the tree of one arch file, or an InputError at the line of a syntax error.
#pragma once

#include <string>

#include "hw/arch/tree.h"

namespace imc::arch {

Tree parse_arch_yaml(const std::string& text, const std::string& file_name);

}  // namespace imc::arch
