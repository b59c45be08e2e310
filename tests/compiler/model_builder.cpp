#include "tests/compiler/model_builder.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace imc::compiler::testing {

namespace {

void set_shape(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& d) {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (size_t i = 0; i < d.size(); ++i) {
    auto* dim = t->mutable_shape()->add_dim();
    if (d[i] > 0) {
      dim->set_dim_value(d[i]);
    } else {
      dim->set_dim_param("N");
    }
  }
}

void attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void attr(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

// An INT64 initializer; no dims makes a scalar.
std::string int64_constant(onnx::GraphProto* g, const std::string& name,
                           const std::vector<int64_t>& dims, const std::vector<int64_t>& v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t->add_dims(d);
  for (int64_t x : v) t->add_int64_data(x);
  return name;
}

}  // namespace

Tensor random_input(const std::string& finn_type, const std::vector<int64_t>& shape,
                    uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Tensor t{shape, {}};
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  for (int64_t i = 0; i < n; ++i) {
    if (finn_type == "BIPOLAR") t.values.push_back(pick(0, 1) ? 1 : -1);
    if (finn_type == "TERNARY") t.values.push_back(pick(-1, 1));
    if (finn_type == "UINT8") t.values.push_back(pick(0, 255));
    if (finn_type == "INT8") t.values.push_back(pick(-128, 127));
  }
  if (static_cast<int64_t>(t.values.size()) != n)
    throw std::invalid_argument("random_input: no finn_datatype " + finn_type);
  return t;
}

NetBuilder::NetBuilder(const std::string& input_type, const std::vector<int64_t>& shape,
                       uint64_t seed)
    : rng_(seed), cur_("input"), shape_(shape) {
  if (shape.size() != 2 && shape.size() != 4) throw std::invalid_argument("shape [N,C,H,W]/[N,F]");
  batch_ = shape[0];
  shape_[0] = batch_ > 0 ? batch_ : 1;
  set_shape(model_.mutable_graph()->add_input(), cur_, shape);
  model_.mutable_graph()->set_name("net");
  if (!input_type.empty()) {
    auto* a = model_.mutable_graph()->add_quantization_annotation();
    a->set_tensor_name(cur_);
    auto* kv = a->add_quant_parameter_tensor_names();
    kv->set_key("finn_datatype");
    kv->set_value(input_type);
  }
  in_max_ = input_type == "UINT8" ? 255 : input_type == "INT8" ? 128 : 1;
}

std::string NetBuilder::constant(const std::string& node, const std::string& input,
                                 const std::vector<int64_t>& dims, const std::vector<float>& v) {
  const std::string n = node + "." + input;
  auto* t = model_.mutable_graph()->add_initializer();
  t->set_name(n);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  for (float x : v) t->add_float_data(x);
  inits_[n] = v;
  return n;
}

onnx::NodeProto& NetBuilder::node(const std::string& op, const std::string& node_name,
                                  const std::vector<std::string>& inputs,
                                  const std::string& domain) {
  onnx::NodeProto* n = model_.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(node_name);
  if (!domain.empty()) {
    n->set_domain(domain);
    uses_qonnx_ = true;
  }
  for (const auto& i : inputs) n->add_input(i);
  n->add_output(node_name + ".out");
  return *n;
}

std::string NetBuilder::weights(const std::string& node_name, const std::vector<int64_t>& dims,
                                WeightKind kind) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  std::vector<float> w(n);
  std::uniform_int_distribution<int> bit(0, 1), trit(-1, 1);
  std::uniform_real_distribution<float> latent(-1, 1);
  std::uniform_real_distribution<float> jitter(-0.4f, 0.4f);
  for (float& x : w) {
    if (kind == WeightKind::kLatentQuantTernary) {
      x = static_cast<float>(trit(rng_)) + jitter(rng_);  // scaled below
    } else if (kind == WeightKind::kBinary) {
      x = bit(rng_) ? 1.f : -1.f;
    } else if (kind == WeightKind::kTernary) {
      x = static_cast<float>(trit(rng_));
    } else {
      do x = latent(rng_);
      while (x == 0);
    }
  }
  if (kind == WeightKind::kLatentQuantTernary) {
    std::vector<float> scale(static_cast<size_t>(dims[0]));
    // 1, 2, 4: the BN decision points k + 0.5 (in units of the scaled sums) stay off the
    // integer sums, (2k + 1) / 2^(m+1)
    for (size_t o = 0; o < scale.size(); ++o) scale[o] = static_cast<float>(1 << (o % 3));
    for (int64_t i = 0; i < n; ++i) w[i] *= scale[static_cast<size_t>(i / (n / dims[0]))];
    const std::string c = constant(node_name, "W", dims, w);
    std::vector<int64_t> sdims(dims.size(), 1);
    sdims[0] = dims[0];
    const std::string q = node_name + "_wq";
    onnx::NodeProto& nd =
        node("Quant", q,
             {c, constant(q, "scale", sdims, scale), constant(q, "zeropt", {}, {0.f}),
              constant(q, "bitwidth", {}, {2.f})},
             qonnx_domain_);
    attr(nd, "signed", int64_t{1});
    attr(nd, "narrow", int64_t{1});
    attr(nd, "rounding_mode", std::string("ROUND"));
    return nd.output(0);
  }
  const std::string c = constant(node_name, "W", dims, w);
  if (kind == WeightKind::kLatentBipolarQuant) {
    const std::string s = constant(node_name + "_wq", "scale", {}, {1.f});
    return node("BipolarQuant", node_name + "_wq", {c, s}, qonnx_domain_).output(0);
  }
  if (kind == WeightKind::kLatentSign) return node("Sign", node_name + "_wsign", {c}).output(0);
  return c;
}

std::string NetBuilder::conv(int64_t out_c, int k, int stride, int pad, WeightKind kind,
                             bool bias) {
  return conv_padded(out_c, k, stride, {pad, pad, pad, pad}, kind, bias);
}

std::string NetBuilder::conv_padded(int64_t out_c, int k, int stride, std::vector<int64_t> pads,
                                    WeightKind kind, bool bias) {
  ++layer_;
  const std::string nm = name("conv");
  const int64_t c = channels();
  std::vector<std::string> in{cur_, weights(nm, {out_c, c, k, k}, kind)};
  if (bias) {
    std::uniform_int_distribution<int> b(-2, 2);
    std::vector<float> v(out_c);
    for (float& x : v) x = static_cast<float>(b(rng_));
    in.push_back(constant(nm, "B", {out_c}, v));
  }
  onnx::NodeProto& n = node("Conv", nm, in);
  attr(n, "kernel_shape", std::vector<int64_t>{k, k});
  attr(n, "strides", std::vector<int64_t>{stride, stride});
  attr(n, "pads", pads);
  fan_in_ = c * k * k;
  max_in_ = in_max_;
  shape_ = {shape_[0], out_c, (shape_[2] + pads[0] + pads[2] - k) / stride + 1,
            (shape_[3] + pads[1] + pads[3] - k) / stride + 1};
  return cur_ = n.output(0);
}

std::string NetBuilder::gemm(int64_t out, bool trans_b, WeightKind kind, bool bias) {
  ++layer_;
  const std::string nm = name("gemm");
  const int64_t k = shape_.at(1);
  std::vector<std::string> in{
      cur_,
      weights(nm, trans_b ? std::vector<int64_t>{out, k} : std::vector<int64_t>{k, out}, kind)};
  if (bias) {
    std::uniform_int_distribution<int> b(-2, 2);
    std::vector<float> v(out);
    for (float& x : v) x = static_cast<float>(b(rng_));
    in.push_back(constant(nm, "C", {out}, v));
  }
  onnx::NodeProto& n = node("Gemm", nm, in);
  if (trans_b) attr(n, "transB", int64_t{1});
  fan_in_ = k;
  max_in_ = in_max_;
  shape_ = {shape_[0], out};
  return cur_ = n.output(0);
}

std::string NetBuilder::matmul(int64_t out, WeightKind kind) {
  ++layer_;
  const std::string nm = name("matmul");
  const int64_t k = shape_.at(1);
  onnx::NodeProto& n = node("MatMul", nm, {cur_, weights(nm, {k, out}, kind)});
  fan_in_ = k;
  max_in_ = in_max_;
  shape_ = {shape_[0], out};
  return cur_ = n.output(0);
}

std::vector<int64_t> NetBuilder::channel_dims() const {
  if (shape_.size() == 4) return {1, channels(), 1, 1};
  return {channels()};
}

std::string NetBuilder::add_bias() {
  std::uniform_int_distribution<int> b(-2, 2);
  std::vector<float> v(channels());
  for (float& x : v) x = static_cast<float>(b(rng_));
  const std::string nm = name("bias");
  return cur_ = node("Add", nm, {cur_, constant(nm, "B", channel_dims(), v)}).output(0);
}

std::string NetBuilder::arith(const std::string& op, const std::vector<float>& k,
                              bool constant_first) {
  const std::string nm = name(op == "Mul" ? "mul" : op == "Sub" ? "sub" : "div");
  const std::string c = constant(nm, "K", channel_dims(), k);
  return cur_ = node(op, nm,
                     constant_first ? std::vector<std::string>{c, cur_}
                                    : std::vector<std::string>{cur_, c})
                    .output(0);
}

std::vector<float> NetBuilder::channel_taus(int64_t c) {
  const int64_t b =
      std::max<int64_t>(1, static_cast<int64_t>(std::sqrt(static_cast<double>(fan_in_)) * max_in_));
  std::uniform_int_distribution<int64_t> k(-b, b - 1);
  std::vector<float> t(c);
  for (float& x : t) x = static_cast<float>(k(rng_)) + 0.5f;
  return t;
}

std::string NetBuilder::bn() {
  const int64_t c = channels();
  const std::vector<float> tau = channel_taus(c);
  std::uniform_real_distribution<float> var_d(0.5f, 2.f), mean_d(-2.f, 2.f);
  std::uniform_int_distribution<int> m_d(1, 3), sign_d(0, 1);
  const float eps = 1e-5f;
  std::vector<float> gamma(c), beta(c), mean(c), var(c);
  for (int64_t j = 0; j < c; ++j) {
    var[j] = var_d(rng_);
    mean[j] = mean_d(rng_);
    const double sigma = std::sqrt(static_cast<double>(var[j]) + static_cast<double>(eps));
    const bool neg =
        gamma_ == GammaSign::kNegative || (gamma_ == GammaSign::kMixed && sign_d(rng_));
    const int m = bn_ratio_ > 0 ? bn_ratio_ : m_d(rng_);
    gamma[j] = static_cast<float>((neg ? -sigma : sigma) / m);
    // tau = mean - beta * sigma / gamma  =>  beta = (mean - tau) * gamma / sigma
    beta[j] = static_cast<float>((mean[j] - tau[j]) * gamma[j] / sigma);
  }
  const std::string nm = name("bn");
  onnx::NodeProto& n = node("BatchNormalization", nm,
                            {cur_, constant(nm, "scale", {c}, gamma), constant(nm, "B", {c}, beta),
                             constant(nm, "mean", {c}, mean), constant(nm, "var", {c}, var)});
  attr(n, "epsilon", eps);
  return cur_ = n.output(0);
}

std::string NetBuilder::sign() {
  in_max_ = 1;
  return cur_ = node("Sign", name("sign"), {cur_}).output(0);
}

std::string NetBuilder::bipolar_quant() {
  const std::string nm = name("bq");
  in_max_ = 1;
  const std::string s = constant(nm, "scale", {}, {1.f});
  return cur_ = node("BipolarQuant", nm, {cur_, s}, qonnx_domain_).output(0);
}

std::string NetBuilder::multithreshold_binary() {
  const std::string nm = name("mt");
  const int64_t c = channels();
  onnx::NodeProto& n =
      node("MultiThreshold", nm, {cur_, constant(nm, "T", {c, 1}, channel_taus(c))}, qonnx_domain_);
  attr(n, "out_scale", 2.f);
  attr(n, "out_bias", -1.f);
  attr(n, "data_layout", std::string("NCHW"));
  in_max_ = 1;
  return cur_ = n.output(0);
}

std::string NetBuilder::multithreshold_ternary() {
  const std::string nm = name("mt");
  const int64_t c = channels();
  const std::vector<float> a = channel_taus(c), b = channel_taus(c);
  std::vector<float> t(2 * c);
  for (int64_t j = 0; j < c; ++j) {
    t[2 * j] = std::min(a[j], b[j]);
    t[2 * j + 1] = std::max(a[j], b[j]);
  }
  onnx::NodeProto& n =
      node("MultiThreshold", nm, {cur_, constant(nm, "T", {c, 2}, t)}, qonnx_domain_);
  attr(n, "out_scale", 1.f);
  attr(n, "out_bias", -1.f);
  attr(n, "data_layout", std::string("NCHW"));
  in_max_ = 1;
  return cur_ = n.output(0);
}

std::string NetBuilder::ternarize(float lo, float hi) {
  const std::string nm = name("tt");
  onnx::NodeProto& n =
      node("MultiThreshold", nm, {cur_, constant(nm, "T", {1, 2}, {lo, hi})}, qonnx_domain_);
  attr(n, "out_scale", 1.f);
  attr(n, "out_bias", -1.f);
  attr(n, "data_layout", std::string("NCHW"));
  in_max_ = 1;
  return cur_ = n.output(0);
}

std::string NetBuilder::bn_unit_scale() {
  const int64_t c = channels();
  const double b = std::max(1.0, std::sqrt(static_cast<double>(fan_in_)) * max_in_);
  std::uniform_real_distribution<float> mean_d(static_cast<float>(-b), static_cast<float>(b)),
      d_d(0.3f, 3.f);
  std::vector<float> mean(c), var(c);
  for (int64_t j = 0; j < c; ++j) {
    mean[j] = mean_d(rng_);
    const float d = d_d(rng_);
    var[j] = d * d;
  }
  const std::string nm = name("bn");
  onnx::NodeProto& n = node("BatchNormalization", nm,
                            {cur_, constant(nm, "scale", {c}, std::vector<float>(c, 1.f)),
                             constant(nm, "B", {c}, std::vector<float>(c, 0.f)),
                             constant(nm, "mean", {c}, mean), constant(nm, "var", {c}, var)});
  attr(n, "epsilon", 0.f);
  return cur_ = n.output(0);
}

std::string NetBuilder::residual_from(const std::string& tensor) {
  return cur_ = node("Add", name("res"), {cur_, tensor}).output(0);
}

std::string NetBuilder::maxpool(int k, int stride, int pad) {
  std::string nm = name("pool");
  while (inits_.count(nm + ".used")) nm += "_";
  inits_[nm + ".used"] = {};
  onnx::NodeProto& n = node("MaxPool", nm, {cur_});
  attr(n, "kernel_shape", std::vector<int64_t>{k, k});
  attr(n, "strides", std::vector<int64_t>{stride, stride});
  attr(n, "pads", std::vector<int64_t>{pad, pad, pad, pad});
  shape_ = {shape_[0], shape_[1], (shape_[2] + 2 * pad - k) / stride + 1,
            (shape_[3] + 2 * pad - k) / stride + 1};
  return cur_ = n.output(0);
}

std::string NetBuilder::global_maxpool() {
  onnx::NodeProto& n = node("GlobalMaxPool", name("gpool"), {cur_});
  shape_ = {shape_[0], shape_[1], 1, 1};
  return cur_ = n.output(0);
}

std::string NetBuilder::flatten() {
  onnx::NodeProto& n = node("Flatten", name("flatten"), {cur_});
  attr(n, "axis", int64_t{1});
  flatten_shape();
  return cur_ = n.output(0);
}

std::string NetBuilder::reshape_flat() {
  const std::string nm = name("reshape");
  const std::string shape = int64_constant(model_.mutable_graph(), nm + ".shape", {2}, {0, -1});
  onnx::NodeProto& n = node("Reshape", nm, {cur_, shape});
  flatten_shape();
  return cur_ = n.output(0);
}

std::string NetBuilder::reshape_dynamic() {
  const std::string nm = name("view");
  const std::string shape = node("Shape", nm + "_shape", {cur_}).output(0);
  onnx::GraphProto* g = model_.mutable_graph();
  const std::string zero = int64_constant(g, nm + ".zero", {}, {0});  // a scalar index
  const std::string batch = node("Gather", nm + "_gather", {shape, zero}).output(0);
  const std::string axes = int64_constant(g, nm + ".axes", {1}, {0});
  const std::string b1 = node("Unsqueeze", nm + "_unsqueeze", {batch, axes}).output(0);
  const std::string rest = int64_constant(g, nm + ".rest", {1}, {-1});
  onnx::NodeProto& cat = node("Concat", nm + "_concat", {b1, rest});
  attr(cat, "axis", int64_t{0});
  onnx::NodeProto& n = node("Reshape", nm, {cur_, cat.output(0)});
  flatten_shape();
  return cur_ = n.output(0);
}

void NetBuilder::flatten_shape() {
  int64_t f = 1;
  for (size_t i = 1; i < shape_.size(); ++i) f *= shape_[i];
  shape_ = {shape_[0], f};
}

void NetBuilder::output() {
  std::vector<int64_t> d = shape_;
  d[0] = batch_;
  set_shape(model_.mutable_graph()->add_output(), cur_, d);
}

std::vector<float> NetBuilder::init(const std::string& name) const {
  auto it = inits_.find(name);
  if (it == inits_.end()) throw std::out_of_range("no constant " + name);
  return it->second;
}

onnx::NodeProto& NetBuilder::last_node() {
  auto* g = model_.mutable_graph();
  return *g->mutable_node(g->node_size() - 1);
}

onnx::ModelProto NetBuilder::build() const {
  onnx::ModelProto m = model_;
  m.set_ir_version(8);
  m.set_producer_name("imcsim model_builder");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(13);
  if (uses_qonnx_) {
    auto* q = m.add_opset_import();
    q->set_domain(qonnx_domain_);
    q->set_version(1);
  }
  return m;
}

void NetBuilder::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  if (!out || !build().SerializeToOstream(&out)) throw std::runtime_error("cannot write " + path);
}

}  // namespace imc::compiler::testing
