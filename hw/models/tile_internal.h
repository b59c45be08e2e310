// Helpers shared by the tile's source files (tile.cpp, tile_compute.cpp, tile_transfer.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "hw/isa/program.h"
#include "hw/models/scoreboard.h"

namespace imc::models::tile_internal {

// Thrown inside the sequencer to unwind to Tile::run(), which reports it.
struct TileFault {};

inline int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// "[lo..lo+n)" for a fault message: lo is an evaluated address (|lo| <= 2^62, Tile::addr) and
// n a byte or entry count from the program (up to 2^63 - 1), so the end may not fit an int64.
inline std::string range_text(int64_t lo, int64_t n) {
  const std::string end = lo >= 0
                              ? std::to_string(static_cast<uint64_t>(lo) + static_cast<uint64_t>(n))
                              : std::to_string(lo + n);
  return "[" + std::to_string(lo) + ".." + end + ")";
}

inline Store store_of(isa::Space s) {
  switch (s) {
    case isa::Space::kIbuf:
      return Store::kIbuf;
    case isa::Space::kObuf:
      return Store::kObuf;
    default:
      return Store::kAcc;
  }
}

inline const char* space_name(isa::Space s) {
  switch (s) {
    case isa::Space::kIbuf:
      return "input buffer";
    case isa::Space::kObuf:
      return "output buffer";
    case isa::Space::kAcc:
      return "accumulator";
    case isa::Space::kGb:
      return "global buffer";
  }
  return "?";
}

}  // namespace imc::models::tile_internal
