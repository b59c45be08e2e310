// The chain of work and hand-overs that decided when the run ended: from the tile that
// finished last, backwards through the semaphore tokens that released its blocking WAITs,
// to the start. Each step is either a tile working (issuing and computing from the WAIT that
// let it go until the command that sent the next token on the chain) or a token in flight
// (from the sending command's start until the WAIT it released passed). Shortening anything
// off the chain does not shorten the run. It needs only each tile's blocking WAITs, so it is
// cheap to record over long runs. Plain C++, no kernel.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "hw/models/command_record.h"

namespace imc::models {

struct TileWaits {
  int tile = -1;
  const std::vector<WaitRecord>* waits = nullptr;  // in program order
  int64_t done = 0;                                // cycle the tile finished
  int halt_line = 0;
};

struct PathSegment {
  enum class Kind { kTile, kToken };
  Kind kind = Kind::kTile;
  int64_t begin = 0, end = 0;  // cycles
  int tile = -1;               // kTile: the tile working; kToken: the tile receiving
  int from_tile = -1;          // kToken: the tile that sent it
  int line = 0;  // kTile: the command ending the segment; kToken: the command that sent it
  isa::Opcode op = isa::Opcode::kHalt;  // that command's
};

// In time order; empty when no tile ran.
std::vector<PathSegment> critical_path(const std::vector<TileWaits>& tiles);

// Cycles of the path per tile (working) and in tokens, per (sender, receiver).
struct PathShares {
  int64_t cycles = 0;
  std::map<int, int64_t> tiles;
  std::map<std::pair<int, int>, int64_t> tokens;
  int64_t token_cycles = 0;
  // (tile, cycles), the most cycles first (ties: the lower tile id).
  std::vector<std::pair<int, int64_t>> tiles_most_first() const;
};
PathShares path_shares(const std::vector<PathSegment>& path);

}  // namespace imc::models
