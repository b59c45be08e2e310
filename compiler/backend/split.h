// Splitting a MatLayer whose matrix does not fit one tile over several tiles
// (docs/compiler-backend.md, "Layers larger than a tile").
#pragma once

#include "compiler/backend/plan.h"

namespace imc::compiler {

// Fills MatPlan::col_blocks and MatPlan::groups of layer `i` (row blocks already cut) and
// LayerPlan::min_parts, using as few tiles as possible. Throws BackendError naming the layer
// and the numbers when no split fits the chip.
void split_matrix(Plan& p, size_t i);

// For speed (place, pipelined): every column group of layer i cut into k row groups, evened-out
// runs of its row blocks, so each tile runs fewer MVMs and receives fewer input rows. False,
// and the groups unchanged, when a column group has fewer than k row blocks, a run does not
// fit a tile or the owner's partial-sum slots do not fit its buffers.
bool split_rows_further(Plan& p, size_t i, int k);

}  // namespace imc::compiler
