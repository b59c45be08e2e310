// Hand-written ModelProtos for the oracle's tests: one input "x", float constants, nodes with
// attributes, named outputs.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace imc::compiler::testing {

class TinyModel {
 public:
  explicit TinyModel(const std::vector<int64_t>& input_shape) {
    model_.set_ir_version(8);
    model_.add_opset_import()->set_version(13);
    auto* in = model_.mutable_graph()->add_input();
    in->set_name("x");
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : input_shape) t->mutable_shape()->add_dim()->set_dim_value(d);
  }

  void constant(const std::string& name, const std::vector<int64_t>& dims,
                const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
  }

  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::string& output, const std::string& domain = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(output + "_node");
    n->set_domain(domain);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(output);
    return *n;
  }

  void output(const std::string& name) { model_.mutable_graph()->add_output()->set_name(name); }
  const onnx::ModelProto& model() const { return model_; }

 private:
  onnx::ModelProto model_;
};

inline void set_ints(onnx::NodeProto& n, const std::string& name, std::vector<int64_t> v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
inline void set_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
inline void set_float(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
inline void set_string(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

}  // namespace imc::compiler::testing
