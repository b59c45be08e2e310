// Lexical pieces of the .cmd text format shared by the assembler and the directive parser:
// integers, names and address expressions. Errors carry an offset into the scanned text so
// the caller can turn it into a column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hw/isa/program.h"

namespace imc::isa {

inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

enum class IntStatus { kOk, kBad, kOverflow };

// The whole of `s` as [+-]?(0x[0-9a-fA-F]+|[0-9]+), within int64.
IntStatus parse_integer(std::string_view s, int64_t* out);

// Names of data blocks and tensors: [A-Za-z_][A-Za-z0-9_.-]*.
bool is_name(std::string_view s);

struct ScanError {
  size_t offset;  // into the scanned text
  std::string what;
};

// The whole of `s` as `space[expr]`, expr = terms joined by + or -, a term being INT, INT*iD,
// iD, INT*(iD%K) or (iD%K) (at most one of these rotation terms, K >= 2). Terms on the same
// index add up. A term on iD with D >= loop_depth is refused.
std::optional<ScanError> parse_addr(std::string_view s, int loop_depth, Addr* out);

}  // namespace imc::isa
