// Pass "import": an ONNX ModelProto as an op-level view — the network input with its shape
// and element type, constants (initializers and Constant nodes), and the remaining nodes in
// graph order with their attributes. No folding yet.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/frontend/tensor.h"
#include "hw/isa/dtype.h"

namespace imc::compiler::frontend {

struct OpNode {
  std::string name;  // the node's name, or "OpType#index" when the model leaves it empty
  std::string op_type;
  std::string domain;
  std::vector<std::string> inputs;  // "" for an omitted optional input
  std::vector<std::string> outputs;
  onnx::NodeProto proto;  // for attributes
};

struct OpView {
  std::string model;  // the name used in messages (file path or given name)
  std::string input;
  std::vector<int64_t> input_shape;  // as declared; a symbolic or unknown batch is 1
  isa::DType input_type = isa::DType::kU8;
  std::vector<std::string> outputs;
  std::map<std::string, ConstTensor> constants;
  std::vector<OpNode> nodes;
};

// input_type: "" = the graph's quantization_annotation `finn_datatype` of the input; else
// UINT8, INT8, BIPOLAR or TERNARY, or u8, i8, b1, t2 (overrides the annotation). Throws
// CompileError.
OpView make_op_view(const onnx::ModelProto& model, const std::string& name,
                    const std::string& input_type);

std::string dump(const OpView& v);

// Attribute helpers; `fallback` when absent.
const onnx::AttributeProto* find_attr(const OpNode& n, const std::string& name);
int64_t attr_int(const OpNode& n, const std::string& name, int64_t fallback);
double attr_float(const OpNode& n, const std::string& name, double fallback);
std::string attr_string(const OpNode& n, const std::string& name, const std::string& fallback);
std::vector<int64_t> attr_ints(const OpNode& n, const std::string& name,
                               const std::vector<int64_t>& fallback);

}  // namespace imc::compiler::frontend
