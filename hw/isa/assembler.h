// .cmd text <-> Program <-> binary image. Text -> binary -> text is exact on the canonical
// text that disassemble() prints.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw/isa/program.h"

namespace imc::isa {

// A malformed program; what() reads "file:line:column: what is wrong".
class SyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses .cmd text. `file_name` is used in messages and to resolve `file="x.npy"` data
// references relative to the program's folder.
Program assemble(const std::string& text, const std::string& file_name);
Program assemble_file(const std::string& path);

// Canonical text: every operand a command uses, in a fixed order, data blocks inline.
std::string disassemble(const Program& program);
// One command in canonical form without indentation, e.g. for messages.
std::string format_command(const Command& command, const Program& program);

std::vector<uint8_t> encode(const Program& program);
Program decode(const std::vector<uint8_t>& image, const std::string& file_name);

// Reads a program from a .cmd text file or a binary image (recognised by its magic).
Program load_program(const std::string& path);

}  // namespace imc::isa
