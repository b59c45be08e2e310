// FoldedNet -> ONNX (opset 13 + QONNX MultiThreshold), in the patterns imcc accepts
// (docs/compiler-frontend.md), written with the ONNX protobuf API:
//   x [N,C,H,W] float, quantization annotation finn_datatype UINT8
//   Conv 3x3 pad 1 / Gemm transB=1 with -1/0/+1 float initializers
//   no residual: MultiThreshold on the sums (thresholds t - 0.5; binary out_scale 2,
//                out_bias -1; ternary out_scale 1, out_bias -1)
//   residual:    BatchNormalization(scale 1, B 0, mean, var, epsilon 0) -> Add(shortcut)
//                -> Sign (binary) or MultiThreshold [-delta, delta] (ternary)
//   MaxPool 2x2 stride 2, Flatten axis 1, last Gemm's sums = output "scores" [N, classes]
// The bytes depend only on the FoldedNet (deterministic serialization).
#pragma once
#include <string>

#include <onnx/onnx_pb.h>

#include "nas/train/folded.h"

namespace imc::nas {

onnx::ModelProto to_onnx(const FoldedNet& net);
// Serializes and writes atomically (hw/isa/file_io.h); std::runtime_error when it cannot.
void write_onnx(const FoldedNet& net, const std::string& path);

constexpr const char* kQonnxDomain = "qonnx.custom_op.general";

}  // namespace imc::nas
