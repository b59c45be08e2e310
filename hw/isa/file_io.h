// Whole-file reads and writes with the project's messages.
#pragma once

#include <string>

namespace imc::isa {

// The bytes of `path`; throws arch::InputError "PATH: cannot read: reason".
std::string read_file_bytes(const std::string& path);

// Writes `bytes` to PATH.tmp, then renames it over PATH, so a failure never leaves a
// half-written file. Throws std::runtime_error "PATH: cannot write: reason".
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace imc::isa
