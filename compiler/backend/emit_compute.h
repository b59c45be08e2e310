// The per-inference compute of one layer on its tile: MVMs, ACCADD, THRESH for MatLayers,
// POOL for max pooling. Appended inside the batch loop (depth 0).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

// Output columns [lo, hi) of a part's rows (Edge::halves computes a row in two passes).
struct Columns {
  int64_t lo = 0, hi = INT64_MAX;
};

// Output rows part.oy0..part.oy1-1 only, columns `cols` of them.
void emit_mat_compute(const Plan& p, size_t layer, const Part& part, std::vector<isa::Command>& out,
                      Columns cols = {});
void emit_pool_compute(const Plan& p, size_t layer, const Part& part,
                       std::vector<isa::Command>& out, Columns cols = {});

}  // namespace imc::compiler
