// The network input read by several tiles (pipelined): neighbouring row ranges overlap by the
// kernel's halo, and column or row groups of a split matrix read the same rows. Instead of
// each tile LOADing all it reads (the global buffer's one link would carry the overlaps
// again and again), every row is LOADed by one of its readers and SENT to the others.
#pragma once

#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

// Fills Edge::own of the network input's edges whose readers overlap (pipelined schedule).
void assign_input_rows(Plan& p);

// Rows of gb-fed edge e that consumer part `from` sends to part `to` (empty when none).
struct HaloRows {
  const Part* part;
  std::vector<Rows> rows;
};
std::vector<HaloRows> halo_to(const Plan& p, int e, const Part& from);  // what `from` sends
std::vector<HaloRows> halo_from(const Plan& p, int e, const Part& to);  // what `to` receives

}  // namespace imc::compiler
