// Whole-file reads with the project's message for unreadable inputs.
#pragma once

#include <string>

namespace imc::isa {

// The bytes of `path`; throws arch::InputError "PATH: cannot read: reason".
std::string read_file_bytes(const std::string& path);

}  // namespace imc::isa
