// The reference executor: the golden output of a folded Graph, computed on the host with
// bit-packed popcount arithmetic (`imcc --reference`). Semantics exactly as compiler/ir.h
// states them; docs/compiler-reference.md.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir.h"

namespace imc::compiler {

// A batch of integer tensors in ONNX layout, batch first (NCHW or [N, F]).
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<int32_t> values;
};

// Runs every inference of `input` through `g`. `input` has the layout of
// Graph::onnx_input_shape (any batch size N >= 1 in front) and holds values of the input
// Value's type (b1: ±1, t2: -1/0/1, u8: 0..255, i8: -128..127, i32). Returns one tensor per
// Graph::outputs entry, in ONNX layout [N] + onnx_output_shapes[i][1:].
// Throws arch::InputError on a bad input tensor and std::invalid_argument on a malformed graph.
std::vector<Tensor> run_reference(const Graph& g, const Tensor& input);

}  // namespace imc::compiler
