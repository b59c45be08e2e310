#include "nas/train/onnx_export.h"

#include <stdexcept>

#include "hw/isa/file_io.h"

namespace imc::nas {
namespace {

void set_shape(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims) {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  auto* batch = t->mutable_shape()->add_dim();
  batch->set_dim_param("N");
  for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
}

void attr(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void attr(onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void attr(onnx::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void attr(onnx::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

class Writer {
 public:
  explicit Writer(onnx::GraphProto* g) : g_(g) {}

  std::string init(const std::string& name, const std::vector<int64_t>& dims,
                   const std::vector<float>& v) {
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float x : v) t->add_float_data(x);
    return name;
  }

  onnx::NodeProto* node(const std::string& op, const std::string& name,
                        const std::vector<std::string>& inputs, const std::string& domain = "") {
    onnx::NodeProto* n = g_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    if (!domain.empty()) n->set_domain(domain);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(name + "_out");
    return n;
  }

 private:
  onnx::GraphProto* g_;
};

std::vector<float> floats(const std::vector<int8_t>& v) {
  return {v.begin(), v.end()};
}

// MultiThreshold: binary (1 threshold, out_scale 2, out_bias -1) or ternary (2, 1, -1).
std::string multi_threshold(Writer& w, const std::string& name, const std::string& in,
                            std::vector<int64_t> dims, const std::vector<float>& t, int levels) {
  onnx::NodeProto* n =
      w.node("MultiThreshold", name, {in, w.init(name + "_T", dims, t)}, kQonnxDomain);
  attr(n, "out_scale", levels == 1 ? 2.f : 1.f);
  attr(n, "out_bias", -1.f);
  attr(n, "data_layout", std::string("NCHW"));
  return n->output(0);
}

std::string requantize(Writer& w, const FoldedStage& f, const std::string& sums,
                       const std::vector<std::string>& values) {
  const Stage& s = f.stage;
  const int64_t c = s.out.c;
  if (s.residual < 0) {
    std::vector<float> t;
    for (int64_t x : f.thresholds) t.push_back(float(double(x) - 0.5));
    return multi_threshold(w, s.name + "_mt", sums, {c, f.levels}, t, f.levels);
  }
  const std::string bn = s.name + "_bn";
  onnx::NodeProto* n =
      w.node("BatchNormalization", bn,
             {sums, w.init(bn + "_scale", {c}, std::vector<float>(c, 1.f)),
              w.init(bn + "_B", {c}, std::vector<float>(c, 0.f)),
              w.init(bn + "_mean", {c}, f.res_mean), w.init(bn + "_var", {c}, f.res_var)});
  attr(n, "epsilon", 0.f);
  const std::string sum =
      w.node("Add", s.name + "_res", {n->output(0), values[s.residual]})->output(0);
  if (f.levels == 1) return w.node("Sign", s.name + "_sign", {sum})->output(0);
  const float d = float(f.res_delta);
  return multi_threshold(w, s.name + "_mt", sum, {1, 2}, {-d, d}, 2);
}

}  // namespace

onnx::ModelProto to_onnx(const FoldedNet& net) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("imcnas");
  m.set_producer_version("0.1.0");
  m.add_opset_import()->set_version(13);
  auto* q = m.add_opset_import();
  q->set_domain(kQonnxDomain);
  q->set_version(1);
  m.set_doc_string(describe(Genome{net.genome, {}}));
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("imcnas");
  Writer w(g);

  const NetGenome& n = net.genome;
  std::vector<std::string> values{"x"};
  set_shape(g->add_input(), "x", {n.input_channels, n.input_height, n.input_width});
  auto* a = g->add_quantization_annotation();
  a->set_tensor_name("x");
  auto* kv = a->add_quant_parameter_tensor_names();
  kv->set_key("finn_datatype");
  kv->set_value("UINT8");

  for (const FoldedStage& f : net.stages) {
    const Stage& s = f.stage;
    const std::string& in = values[size_t(s.input)];
    onnx::NodeProto* node = nullptr;
    switch (s.kind) {
      case Stage::Kind::kPool:
        node = w.node("MaxPool", s.name, {in});
        attr(node, "kernel_shape", std::vector<int64_t>{2, 2});
        attr(node, "strides", std::vector<int64_t>{2, 2});
        values.push_back(node->output(0));
        continue;
      case Stage::Kind::kFlatten:
        node = w.node("Flatten", s.name, {in});
        attr(node, "axis", int64_t{1});
        values.push_back(node->output(0));
        continue;
      case Stage::Kind::kConv:
        node = w.node("Conv", s.name,
                      {in, w.init(s.name + "_W", {s.out.c, s.in.c, 3, 3}, floats(f.weights))});
        attr(node, "kernel_shape", std::vector<int64_t>{3, 3});
        attr(node, "strides", std::vector<int64_t>{1, 1});
        attr(node, "pads", std::vector<int64_t>{1, 1, 1, 1});
        break;
      case Stage::Kind::kDense:
        node = w.node("Gemm", s.name,
                      {in, w.init(s.name + "_W", {s.out.c, s.in.c}, floats(f.weights))});
        attr(node, "transB", int64_t{1});
        break;
    }
    values.push_back(s.raw ? node->output(0) : requantize(w, f, node->output(0), values));
  }
  const Stage& last = net.stages.back().stage;
  // The graph output is named after its producer's output; rename to "scores".
  g->mutable_node(g->node_size() - 1)->set_output(0, "scores");
  set_shape(g->add_output(), "scores", {last.out.c});
  return m;
}

void write_onnx(const FoldedNet& net, const std::string& path) {
  std::string bytes;
  if (!to_onnx(net).SerializeToString(&bytes))
    throw std::runtime_error(path + ": cannot serialize the ONNX model");
  isa::write_file_atomically(path, bytes);
}

}  // namespace imc::nas
