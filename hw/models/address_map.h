// The chip's physical address map as seen on the NoC (docs/platform.md, "Address map"):
//   [0, gb capacity)                       global buffer
//   kTileBase + t * kTileStride + ...      tile t: input buffer at 0, output buffer at
//                                          kObufOffset, semaphore s at kSemOffset + 4 s
#pragma once

#include <cstdint>

#include "hw/isa/program.h"

namespace imc::models {

constexpr uint64_t kTileBase = 1ull << 40;
constexpr uint64_t kTileStride = 1ull << 32;
constexpr uint64_t kObufOffset = 1ull << 28;
constexpr uint64_t kSemOffset = 2ull << 28;

inline uint64_t tile_address(int tile, isa::Space space, uint64_t offset) {
  const uint64_t base = kTileBase + static_cast<uint64_t>(tile) * kTileStride;
  return base + (space == isa::Space::kObuf ? kObufOffset : 0) + offset;
}
inline uint64_t semaphore_address(int tile, int sem) {
  return kTileBase + static_cast<uint64_t>(tile) * kTileStride + kSemOffset + 4ull * sem;
}

struct Decoded {
  bool global_buffer = false;
  int tile = -1;
  uint64_t offset = 0;  // inside the global buffer, or inside the tile's window
};
inline Decoded decode_address(uint64_t a) {
  if (a < kTileBase) return {true, -1, a};
  return {false, static_cast<int>((a - kTileBase) / kTileStride), (a - kTileBase) % kTileStride};
}

}  // namespace imc::models
