// The tests' one naive evaluator of a folded Graph: plain integer loops over unpacked values,
// one loop per term of the compiler/ir.h formula, nothing shared with compiler/reference/ or
// the backend. Used by the frontend, reference-executor and backend tests.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"
#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

// Every value of the graph for one inference, channel-last [h][w][c]; `input` is the network
// input in that order. Values never computed stay empty.
std::vector<std::vector<int32_t>> evaluate(const Graph& g, const std::vector<int32_t>& input);

// Every inference of `input` (ONNX layout, batch first: NCHW or [N, F], like
// run_reference) through `g`; one tensor per Graph::outputs entry, in ONNX layout.
std::vector<Tensor> naive_run(const Graph& g, const Tensor& input);

}  // namespace imc::compiler::testing
