// An independent ONNX evaluator for tests: runs an onnx::ModelProto directly with ONNX
// semantics in double precision, without the compiler's IR or folding, so end-to-end tests
// can compare the reference executor and the simulator against "what ONNX says".
//
// Ops: Conv (pads, strides, dilations, group, bias, auto_pad), Gemm (alpha, beta, transA/B,
// bias C), MatMul, Add/Sub/Mul/Div (broadcasting), BatchNormalization (inference),
// Sign (Sign(0) = 0), Relu, Identity, Constant, MaxPool (pads, ceil_mode), GlobalMaxPool, Flatten,
// Reshape,
// Transpose, Shape, Gather, Unsqueeze, Concat (the shape arithmetic of torch's x.view(n, -1)),
// QONNX Quant (scale * (clamp(round(x / scale + zeropt), lo, hi) - zeropt), signed/narrow,
// rounding_mode ROUND = half to even, CEIL, FLOOR), QONNX BipolarQuant (x >= 0 -> +1 else
// -1, times scale; domains
// qonnx.custom_op.general, onnx.brevitas, finn.custom_op.general) and FINN MultiThreshold
// (out_scale * count(x >= T_i) + out_bias, thresholds [C or 1][n], data_layout NCHW/NHWC).
// Anything else throws std::runtime_error naming the op.
#pragma once

#include <onnx/onnx_pb.h>

#include <vector>

#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

// `input` feeds the model's single non-initializer input (NCHW or [N, F], batch first; its
// non-batch dimensions must match the declared ones). Returns the graph outputs in order,
// each checked to hold integers (std::runtime_error otherwise) and rounded to int32.
std::vector<Tensor> run_onnx(const onnx::ModelProto& model, const Tensor& input);

}  // namespace imc::compiler::testing
