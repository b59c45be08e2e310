// The ONNX frontend of imcc: an ONNX binary/ternary network -> the folded IR Graph.
//
// Passes (frontend_pass_names()):
//   import  parse the ModelProto into an op-level view (input type and shape, constants,
//           nodes); errors for a model without a graph, input or input type
//   fold    fold each Conv/Gemm/MatMul with its bias, BatchNorm, residual, MaxPool and
//           binarizer into MatLayers with integer thresholds (-> Graph)
// See docs/compiler-frontend.md for what is accepted and the exact folding rules.
#pragma once

#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/frontend/compile_error.h"
#include "compiler/ir.h"

namespace imc::compiler {

struct ImportOptions {
  // "" = the graph's quantization_annotation finn_datatype of the input; else UINT8, INT8,
  // BIPOLAR or TERNARY, or u8, i8, b1, t2 (overrides the annotation).
  std::string input_type;
};

// Reads the file; a missing file, one that is not an ONNX protobuf or has no graph ->
// arch::InputError "PATH: what is wrong". Unsupported ops/patterns -> CompileError.
Graph import_onnx(const std::string& path, const ImportOptions& options);
// `name` is used in messages (e.g. the file name).
Graph import_onnx(const onnx::ModelProto& model, const std::string& name,
                  const ImportOptions& options);

// Reads an ONNX file (arch::InputError as above).
onnx::ModelProto read_onnx(const std::string& path);

// {"import", "fold"}
std::vector<std::string> frontend_pass_names();

// Runs the frontend up to and including `pass` and returns its dump: the op-level view after
// "import", dump(Graph) after "fold". std::invalid_argument for an unknown pass name.
std::string frontend_dump_after(const onnx::ModelProto& model, const std::string& name,
                                const ImportOptions& options, const std::string& pass);

}  // namespace imc::compiler
