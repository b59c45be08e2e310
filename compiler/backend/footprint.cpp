// The silicon a network's weights need, apart from how a schedule spreads them: the pipelined
// schedule copies the bottleneck onto every spare tile and crossbar, so the crossbars of its
// program follow the chip's size as much as the network's.
#include <set>

#include "compiler/backend/pack.h"
#include "compiler/backend/passes.h"

namespace imc::compiler {

int64_t weight_crossbars(const Graph& g, const arch::ChipParams& chip) {
  Plan plan;
  plan.g = &g;
  plan.chip = &chip;
  plan.schedule = Schedule::kSequential;
  plan.layers.resize(g.layers.size());
  check_graph(plan);
  partition(plan);
  int64_t crossbars = 0;
  for (const LayerPlan& lp : plan.layers) {
    for (const Group& group : lp.mat.groups) {
      std::vector<Region> regions;
      const std::vector<BlockSize> sizes =
          block_sizes(lp.mat, group.r0, group.r1, group.c0, group.c1);
      if (!pack_blocks(chip.tile, sizes, 1, regions))
        throw BackendError("a group of blocks does not pack into one tile");  // partition's job
      std::set<int> used;
      for (const Region& r : regions) used.insert(r.xb);
      // Each row range a layer needs to fit its buffers holds the whole matrix on its own tile.
      crossbars += static_cast<int64_t>(used.size()) * lp.min_parts;
    }
  }
  return crossbars;
}

}  // namespace imc::compiler
