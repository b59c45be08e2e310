// Constant tensors (initializers, Constant nodes, folded weights) as doubles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace imc::compiler::frontend {

struct ConstTensor {
  std::vector<int64_t> dims;
  std::vector<double> data;  // row-major
  int64_t numel() const { return static_cast<int64_t>(data.size()); }
};

// Reads float, double and integer tensors (typed fields or raw_data). Throws
// std::runtime_error with a reason (the caller adds the node or model) for other types,
// external data or a size that does not match the dims.
ConstTensor to_const(const onnx::TensorProto& t);

// ONNX Transpose: output axis i is input axis perm[i] (empty perm: the axes reversed).
// Throws std::runtime_error for a perm that is not a permutation of the axes.
ConstTensor transposed(const ConstTensor& x, std::vector<int64_t> perm);

// k's values broadcast (ONNX/numpy rules, dims right-aligned) to a tensor of `dims`, one per
// element of it in row-major order. Throws std::runtime_error when k does not broadcast.
std::vector<double> broadcast_to(const ConstTensor& k, const std::vector<int64_t>& dims);

// "[2x3x4]"
std::string dims_text(const std::vector<int64_t>& dims);

}  // namespace imc::compiler::frontend
