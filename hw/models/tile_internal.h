// Helpers shared by the tile's source files (tile.cpp, tile_compute.cpp, tile_transfer.cpp).
#pragma once

#include <cstdint>

#include "hw/isa/program.h"
#include "hw/models/scoreboard.h"

namespace imc::models::tile_internal {

// Thrown inside the sequencer to unwind to Tile::run(), which reports it.
struct TileFault {};

inline int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
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
