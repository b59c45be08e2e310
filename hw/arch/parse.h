// YAML text -> the tree of one arch file, or an InputError at the line of a syntax error.
#pragma once

#include <string>

#include "hw/arch/tree.h"

namespace imc::arch {

Tree parse_arch_yaml(const std::string& text, const std::string& file_name);

// Throws InputError unless `text` is at most one YAML document. Call it before YAML::Load:
// yaml-cpp 0.7 loops forever on a stray ',' outside brackets (see parse.cpp).
void check_single_document(const std::string& text, const std::string& file);

// Throws InputError at the first byte that is not UTF-8 (YAML text is UTF-8; yaml-cpp passes
// such bytes through, and the JSON the tools write from those strings would refuse them).
void check_utf8(const std::string& text, const std::string& file);
// The index of the first byte of `text` that is not UTF-8, or npos; and "not UTF-8 text
// (byte 0xB2)" for it.
size_t first_non_utf8(const std::string& text);
std::string non_utf8_text(const std::string& text, size_t at);

}  // namespace imc::arch
