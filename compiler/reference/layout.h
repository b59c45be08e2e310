// Tensors in ONNX layout (batch first, then channel-major: NCHW or [N, F]) <-> one [h][w][c]
// map per inference, as the Graph's Values hold them.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"
#include "compiler/reference/reference.h"

namespace imc::compiler::reference {

// The ONNX shape of a Value with `batch` in front: `onnx_shape` with its first dimension
// replaced, or [N, c, h, w] / [N, c] when `onnx_shape` is empty. Throws std::invalid_argument
// when `onnx_shape` does not hold v.elements() per inference.
std::vector<int64_t> batch_shape(const Value& v, const std::vector<int64_t>& onnx_shape,
                                 int64_t batch);

// Checks `input` against the graph input (shape and value range, arch::InputError) and
// returns one map per inference.
std::vector<std::vector<int32_t>> split_input(const Graph& g, const Tensor& input);

// The maps of Value `id`, one per inference, as an ONNX-layout tensor of `onnx_shape`.
Tensor join_output(const Graph& g, int id, const std::vector<int64_t>& onnx_shape,
                   const std::vector<std::vector<int32_t>>& maps);

}  // namespace imc::compiler::reference
