// The test's own evaluator of a Graph: plain loops on unpacked ints, exactly ir.h's semantics,
// independent of the backend and of the reference executor.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"

namespace imc::test {

// Every value of the graph for one inference, channel-last [h][w][c]; `input` is the network
// input in that order.
std::vector<std::vector<int32_t>> evaluate(const compiler::Graph& g,
                                           const std::vector<int32_t>& input);

}  // namespace imc::test
