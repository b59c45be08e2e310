// One PoolLayer on one inference: max over each window; padded positions never win.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"

namespace imc::compiler::reference {

// Checks the layer against the graph; throws std::invalid_argument naming the layer.
void check_pool_layer(const Graph& g, const PoolLayer& p);

// `input` is the [h][w][c] map of p.input; returns the map of p.output.
std::vector<int32_t> run_pool_layer(const Graph& g, const PoolLayer& p,
                                    const std::vector<int32_t>& input);

}  // namespace imc::compiler::reference
