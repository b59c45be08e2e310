// Multicast (a NoC with `noc.multicast: tree`, docs/isa.md `mcast`): rows of a map that one
// part sends to several others leave it as packets, each run of rows read by the same parts one
// SEND to all of them: a row of a 3x3 conv's input, read by three output rows, leaves its
// producer once instead of three times.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

// The rows a part is to receive.
struct Wanted {
  const Part* part;
  std::vector<Rows> rows;
};

// One SEND of `rows` to the parts `to`: to[0] has the lowest tile, the others are within its
// mask (at most 32 tiles above it).
struct Packet {
  Rows rows;
  std::vector<const Part*> to;
};

// The packets that deliver every part its rows, row by row in order: consecutive rows read by
// the same parts are one packet; parts too far apart for one mask get packets of their own.
std::vector<Packet> multicast_packets(const std::vector<Wanted>& wanted);

// The SEND's `mcast` operand for packet k: bit j is tile to[0] + 1 + j.
uint32_t mcast_mask(const Packet& k);

}  // namespace imc::compiler
