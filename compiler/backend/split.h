// Splitting a MatLayer whose matrix does not fit one tile over several tiles
// (docs/compiler-backend.md, "Layers larger than a tile").
#pragma once

#include "compiler/backend/plan.h"

namespace imc::compiler {

// Fills MatPlan::col_blocks and MatPlan::groups of layer `i` (row blocks already cut) and
// LayerPlan::min_parts, using as few tiles as possible. Throws BackendError naming the layer
// and the numbers when no split fits the chip.
void split_matrix(Plan& p, size_t i);

}  // namespace imc::compiler
