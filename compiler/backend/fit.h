// How many row ranges a layer needs so that every part's maps and partial sums fit its tile's
// buffers (docs/compiler-backend.md, "Layout"): the whole maps when they fit (as a layer on
// one tile keeps them), else windows, each part holding only the rows it reads or writes.
#pragma once

#include <string>
#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

struct RowFit {
  int parts = 0;          // fewest row ranges; 0: none fits
  bool windowed = false;  // LayerPlan::windowed
  std::string problem;    // why none fits
};

// Layer i with partial sums of `row_groups` row groups (the most of any column group) of
// `partial_channels` channels each (the most of a column group with several row groups; 0:
// no partial sums); `slice`: the bytes of a sliced input vector each part holds (vector_slice),
// -1 for the whole input.
RowFit fit_rows(const Plan& p, size_t i, int row_groups, int64_t partial_channels,
                int64_t slice = -1);

// The most bytes of layer i's input vector a tile holds with `groups` (sliced_vector_input),
// or -1 when it holds the whole input.
int64_t vector_slice(const Plan& p, size_t i, const MatPlan& m, const std::vector<Group>& groups);

// Whether layer i fits in n row ranges with its layout (LayerPlan::windowed) and groups.
bool rows_fit(const Plan& p, size_t i, int n);

// Throws BackendError naming the layer, the map and the numbers when the maps of a single
// output row (the largest window) do not fit the tile buffers, partial sums aside.
void check_one_row_fits(const Plan& p, size_t i);

}  // namespace imc::compiler
