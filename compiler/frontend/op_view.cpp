#include "compiler/frontend/op_view.h"

#include <sstream>

#include "compiler/frontend/compile_error.h"

namespace imc::compiler::frontend {

namespace {

[[noreturn]] void fail(const std::string& model, const std::string& reason) {
  throw CompileError(model + ": " + reason);
}

// FINN's names for the input precisions the hardware reads; on the command line the ISA's
// names (u8, i8, b1, t2) too.
isa::DType parse_finn_type(const std::string& model, const std::string& t) {
  if (t == "UINT8" || t == "u8") return isa::DType::kU8;
  if (t == "INT8" || t == "i8") return isa::DType::kI8;
  if (t == "BIPOLAR" || t == "b1") return isa::DType::kB1;
  if (t == "TERNARY" || t == "t2") return isa::DType::kT2;
  if (t == "BINARY")
    fail(model, "input type BINARY ({0,1}) is not supported: use BIPOLAR ({-1,+1}) or UINT8");
  fail(model, "input type '" + t +
                  "' is not supported (UINT8, INT8, BIPOLAR or TERNARY; or u8, i8, b1, t2)");
}

std::string annotated_type(const onnx::GraphProto& g, const std::string& input) {
  for (const auto& a : g.quantization_annotation()) {
    if (a.tensor_name() != input) continue;
    for (const auto& kv : a.quant_parameter_tensor_names())
      if (kv.key() == "finn_datatype") return kv.value();
  }
  return "";
}

void add_constant(OpView& v, const std::string& name, const onnx::TensorProto& t,
                  const std::string& where) {
  try {
    v.constants[name] = to_const(t);
  } catch (const std::runtime_error& e) {
    fail(v.model, where + e.what());
  }
}

}  // namespace

OpView make_op_view(const onnx::ModelProto& model, const std::string& name,
                    const std::string& input_type) {
  OpView v;
  v.model = name;
  if (!model.has_graph()) fail(name, "the model has no graph");
  const onnx::GraphProto& g = model.graph();
  for (const auto& t : g.initializer()) add_constant(v, t.name(), t, "");

  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& in : g.input())
    if (!v.constants.count(in.name())) inputs.push_back(&in);
  if (inputs.size() != 1)
    fail(name, "expected one network input, found " + std::to_string(inputs.size()));
  const onnx::ValueInfoProto& in = *inputs[0];
  v.input = in.name();
  if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape())
    fail(name, "input '" + v.input + "' has no tensor shape");
  const auto& dims = in.type().tensor_type().shape().dim();
  for (int i = 0; i < dims.size(); ++i) {
    const bool known = dims[i].has_dim_value() && dims[i].dim_value() > 0;
    if (!known && i > 0)
      fail(name, "input '" + v.input + "' has an unknown dimension " + std::to_string(i));
    v.input_shape.push_back(known ? dims[i].dim_value() : 1);
  }
  if (v.input_shape.size() != 2 && v.input_shape.size() != 4)
    fail(name, "input '" + v.input + "' must be [N,C,H,W] or [N,F]");
  // 2^31 elements an inference: far more than a chip's global buffer, and far from overflow.
  int64_t elements = 1;
  for (size_t i = 1; i < v.input_shape.size(); ++i) {
    if (v.input_shape[i] > (int64_t{1} << 31) ||
        (elements *= v.input_shape[i]) > (int64_t{1} << 31))
      fail(name, "input '" + v.input + "' is larger than 2^31 elements an inference");
  }

  std::string type = input_type.empty() ? annotated_type(g, v.input) : input_type;
  if (type.empty())
    fail(name, "input '" + v.input +
                   "' has no finn_datatype annotation: give the input type with "
                   "--input-type (u8, i8, b1, t2 or UINT8, INT8, BIPOLAR, TERNARY)");
  v.input_type = parse_finn_type(name, type);

  for (const auto& o : g.output()) v.outputs.push_back(o.name());
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& p = g.node(i);
    OpNode n;
    n.name = p.name().empty() ? p.op_type() + "#" + std::to_string(i) : p.name();
    n.op_type = p.op_type();
    n.domain = p.domain();
    n.inputs.assign(p.input().begin(), p.input().end());
    n.outputs.assign(p.output().begin(), p.output().end());
    n.proto = p;
    if (n.op_type == "Constant" && n.domain.empty()) {
      const onnx::AttributeProto* value = find_attr(n, "value");
      if (!value || !value->has_t() || n.outputs.size() != 1)
        fail(name, "node '" + n.name + "' (Constant): only a tensor `value` is supported");
      add_constant(v, n.outputs[0], value->t(), "node '" + n.name + "' (Constant): ");
      continue;
    }
    v.nodes.push_back(std::move(n));
  }
  return v;
}

std::string dump(const OpView& v) {
  std::ostringstream s;
  s << "input " << v.input << " " << isa::to_string(v.input_type) << dims_text(v.input_shape)
    << "\n";
  for (const auto& [name, c] : v.constants) s << "const " << name << dims_text(c.dims) << "\n";
  for (const OpNode& n : v.nodes) {
    s << "node " << n.name << " " << (n.domain.empty() ? "" : n.domain + ".") << n.op_type << " (";
    for (size_t i = 0; i < n.inputs.size(); ++i) s << (i ? ", " : "") << n.inputs[i];
    s << ") -> (";
    for (size_t i = 0; i < n.outputs.size(); ++i) s << (i ? ", " : "") << n.outputs[i];
    s << ")\n";
  }
  s << "outputs";
  for (const auto& o : v.outputs) s << " " << o;
  s << "\n";
  return s.str();
}

const onnx::AttributeProto* find_attr(const OpNode& n, const std::string& name) {
  for (const auto& a : n.proto.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t attr_int(const OpNode& n, const std::string& name, int64_t fallback) {
  const auto* a = find_attr(n, name);
  return a ? a->i() : fallback;
}

double attr_float(const OpNode& n, const std::string& name, double fallback) {
  const auto* a = find_attr(n, name);
  return a ? a->f() : fallback;
}

std::string attr_string(const OpNode& n, const std::string& name, const std::string& fallback) {
  const auto* a = find_attr(n, name);
  return a ? a->s() : fallback;
}

std::vector<int64_t> attr_ints(const OpNode& n, const std::string& name,
                               const std::vector<int64_t>& fallback) {
  const auto* a = find_attr(n, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

}  // namespace imc::compiler::frontend
