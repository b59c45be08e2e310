// Well-formedness of a Program built in memory: everything the assembler enforces while
// parsing (names, references, values that fit their types, operand ranges and spaces, loop
// structure), checked again for programs that did not come from text. A well-formed program
// survives disassemble/assemble and encode/decode unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hw/isa/program.h"

namespace imc::isa {

// Element counts above this are refused everywhere, keeping packed sizes far from overflow.
constexpr int64_t kMaxElements = int64_t{1} << 56;

struct Problem {
  int line;  // of the command or tensor at fault; 0 when unknown
  std::string what;
};

std::optional<Problem> find_structure_problem(const Program& p);

// Throws std::invalid_argument("`who`: what is wrong") for a program that is not well-formed.
void require_well_formed(const Program& p, const char* who);

}  // namespace imc::isa
