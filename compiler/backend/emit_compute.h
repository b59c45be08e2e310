// The per-inference compute of one layer on its tile: MVMs, ACCADD, THRESH for MatLayers,
// POOL for max pooling. Appended inside the batch loop (depth 0).
#pragma once

#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

// Output rows part.oy0..part.oy1-1 only.
void emit_mat_compute(const Plan& p, size_t layer, const Part& part,
                      std::vector<isa::Command>& out);
void emit_pool_compute(const Plan& p, size_t layer, const Part& part,
                       std::vector<isa::Command>& out);

}  // namespace imc::compiler
