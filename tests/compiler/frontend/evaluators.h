// Test-only evaluators: the ONNX subset the model builder writes, in double (ONNX semantics,
// except Sign(0) = +1 as the frontend's documented convention), and the folded IR Graph in
// integers. Comparing the two on random inputs checks a fold end to end.
#pragma once

#include <cstdint>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/ir.h"

namespace imc::compiler::testing {

// input: NCHW (or N,F) with batch 1; returns the first graph output, flattened row-major.
std::vector<double> eval_onnx(const onnx::ModelProto& m, const std::vector<double>& input);

// input: the same NCHW tensor; returns graph output 0 reordered to ONNX's NCHW order.
std::vector<double> eval_ir(const Graph& g, const std::vector<double>& input);

}  // namespace imc::compiler::testing
