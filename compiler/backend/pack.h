// Packing matrix blocks into the crossbars of one tile: first fit, biggest block first.
// Blocks on disjoint rows or columns share a crossbar (undriven rows add nothing, unread
// columns are ignored), so 600x300 on 256x256 crossbars needs 6 blocks and fits 4 crossbars.
#pragma once

#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

struct BlockSize {
  int rows = 0, cols = 0;
};

// `copies` copies of all blocks; copy u of block k lands in out[u * blocks.size() + k]. False
// when they do not fit. Each block tries the crossbars in order of the rows already programmed
// on them when `spread` (blocks on different crossbars are programmed and read at once), else
// first fit from a crossbar of its own per copy (packs tightest).
bool pack_blocks(const arch::TileParams& t, const std::vector<BlockSize>& blocks, int copies,
                 std::vector<Region>& out, bool spread = false);

// `positions` neighbouring output positions per loop iteration, position u's MVM of block k on
// the region out[u * blocks.size() + k], when whole copies for all of them do not fit: each
// (u, k) goes to the crossbar that computes fewest MVMs per iteration so far, on a copy of k
// there or a new one where it fits (the same region for several positions when it does not,
// their MVMs taking turns). Nine 64-row blocks on eight 64x64 crossbars with room for two
// each: one copy leaves a crossbar two MVMs per position; eight positions spread block 8's
// copies over every crossbar, 9 MVMs per crossbar per 8 positions. False when a block does
// not fit at all.
bool pack_partial_copies(const arch::TileParams& t, const std::vector<BlockSize>& blocks,
                         int positions, std::vector<Region>& out);

// MVMs per iteration on the busiest crossbar of `regions` (Group::regions of `positions`).
int busiest_crossbar(const std::vector<Region>& regions);

// The blocks of row blocks r0..r1-1 times column blocks c0..c1-1, row-major (the order of
// Group::regions).
std::vector<BlockSize> block_sizes(const MatPlan& m, size_t r0, size_t r1, size_t c0, size_t c1);

}  // namespace imc::compiler
