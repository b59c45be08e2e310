#include "compiler/frontend/fold.h"

#include <cmath>
#include <map>

#include "compiler/frontend/compile_error.h"
#include "compiler/frontend/folder.h"

namespace imc::compiler::frontend {

namespace {

bool standard(const OpNode& n) {
  return n.domain.empty() || n.domain == "ai.onnx";
}

bool qonnx(const OpNode& n) {
  return n.domain == "qonnx.custom_op.general" || n.domain == "onnx.brevitas" ||
         n.domain == "finn.custom_op.general";
}

}  // namespace

Folder::Folder(const OpView& v) : v_(v), consts_(v.constants) {
  for (const OpNode& n : v.nodes)
    for (const std::string& in : n.inputs)
      if (!in.empty()) ++uses_[in];
  batch_ = v.input_shape[0];
}

void Folder::fail(const OpNode& n, const std::string& why) const {
  throw CompileError(v_.model + ": node '" + n.name + "' (" + n.op_type + "): " + why);
}

const ConstTensor* Folder::constant(const std::string& name) const {
  auto it = consts_.find(name);
  return it == consts_.end() ? nullptr : &it->second;
}

const ConstTensor& Folder::need_const(const OpNode& n, size_t i, const std::string& what) const {
  const ConstTensor* c = i < n.inputs.size() ? constant(n.inputs[i]) : nullptr;
  if (!c) fail(n, what + " must be a constant (an initializer)");
  return *c;
}

const Act& Folder::need_act(const OpNode& n, size_t i) const {
  if (i >= n.inputs.size() || n.inputs[i].empty()) fail(n, "missing input " + std::to_string(i));
  auto it = syms_.find(n.inputs[i]);
  if (it == syms_.end()) fail(n, "input '" + n.inputs[i] + "' is not computed by a supported op");
  if (it->second.is_sums)
    fail(n, "input '" + n.inputs[i] +
                "' is integer sums of a matmul: only bias Add, BatchNormalization, a residual "
                "Add, MaxPool and a binarizer may follow it");
  return it->second.act;
}

Sums Folder::need_sums(const OpNode& n, size_t i) const {
  if (i >= n.inputs.size() || n.inputs[i].empty()) fail(n, "missing input " + std::to_string(i));
  auto it = syms_.find(n.inputs[i]);
  if (it != syms_.end() && !it->second.is_sums) return identity_sums(n, it->second.act);
  if (it == syms_.end() || !it->second.is_sums)
    fail(n, "must follow a Conv, Gemm or MatMul (its input '" + n.inputs[i] +
                "' is not the integer sums of one)");
  return it->second.sums;
}

void Folder::check_window(const OpNode& n, const std::vector<int64_t>& kernel,
                          const std::vector<int64_t>& strides,
                          const std::vector<int64_t>& pads) const {
  const std::string most = std::to_string(kMaxWindow);
  for (int64_t k : kernel)
    if (k < 1 || k > kMaxWindow)
      fail(n, "the kernel must be 1.." + most + " wide, not " + std::to_string(k));
  for (int64_t s : strides)
    if (s < 1 || s > kMaxWindow)
      fail(n, "strides must be 1.." + most + ", not " + std::to_string(s));
  for (int64_t p : pads)
    if (p < 0 || p > kMaxWindow) fail(n, "pads must be 0.." + most + ", not " + std::to_string(p));
}

// An activation requantized with no matmul before it (a FINN MultiThreshold or a BipolarQuant
// on the input image, a BatchNorm of a binary map): the identity matmul, a 1x1 convolution
// whose weights are the identity, so that each element reaches the thresholder as its own
// sum and the requantization folds as after any matmul. It costs a C x C block of crossbar
// cells (C: the channels of a map, the features of a vector).
Sums Folder::identity_sums(const OpNode& n, const Act& x) const {
  if (x.flat) fail(n, "requantizing a flattened map is not supported (requantize before Flatten)");
  const Value& in = g_.values[x.value];
  // 2^24 cells: more than the largest shipped chip holds (tile8x8: 64 x 4 x 256 x 256), and a
  // bound on the weights the frontend would allocate for a wide vector
  if (in.c > 4096)
    fail(n, "requantizing " + std::to_string(in.c) + " channels with no matmul before it needs a " +
                std::to_string(in.c) + "x" + std::to_string(in.c) +
                " identity matmul; only up to 4096 are supported");
  Sums s;
  s.mat.input = x.value;
  s.mat.weights.assign(static_cast<size_t>(in.c * in.c), 0);  // [out c][1][1][in c]
  for (int64_t c = 0; c < in.c; ++c) s.mat.weights[static_cast<size_t>(c * in.c + c)] = 1;
  s.h = in.h;
  s.w = in.w;
  s.c = in.c;
  s.f.assign(static_cast<size_t>(in.c), Affine{x.scale, 1, 0, 0});
  s.onnx_shape = x.onnx_shape;
  return s;
}

int Folder::data_input(const OpNode& n) const {
  if (n.inputs.size() != 2) fail(n, "expects two inputs");
  if (is_sums(n.inputs[0])) return 0;
  if (is_sums(n.inputs[1])) return 1;
  if (constant(n.inputs[1]) && !constant(n.inputs[0])) return 0;
  if (constant(n.inputs[0]) && !constant(n.inputs[1])) return 1;
  fail(n, "one input must be the integer sums of a Conv, Gemm or MatMul");
}

bool Folder::is_sums(const std::string& name) const {
  auto it = syms_.find(name);
  return it != syms_.end() && it->second.is_sums;
}

void Folder::set_sums(const OpNode& n, Sums s) {
  const std::string& out = n.outputs.at(0);
  auto u = uses_.find(out);
  if (u != uses_.end() && u->second > 1)
    fail(n, "its integer output '" + out + "' feeds " + std::to_string(u->second) +
                " nodes; the requantization must be a chain");
  if (!s.mat.name.empty() && s.mat.name != n.name) s.mat.name += "+" + n.name;
  if (s.mat.name.empty()) s.mat.name = n.name;
  syms_[out] = Sym{true, {}, std::move(s)};
}

int Folder::add_value(const std::string& name, isa::DType t, int64_t h, int64_t w, int64_t c) {
  g_.values.push_back(Value{name, t, h, w, c});
  return static_cast<int>(g_.values.size()) - 1;
}

Act Folder::emit(const OpNode& n, Sums s, isa::DType type, std::vector<Threshold> th,
                 const std::string& out) {
  MatLayer m = std::move(s.mat);
  if (n.op_type != "output") m.name += "+" + n.name;
  m.thresholds = std::move(th);
  m.residual = s.residual;
  Act a{-1, false, s.onnx_shape};
  if (!s.has_pool) {
    m.output = add_value(out, type, s.h, s.w, s.c);
    a.value = m.output;
    g_.layers.push_back(Layer{Layer::Kind::kMat, std::move(m), {}});
    return a;
  }
  for (size_t c = 0; c < s.f.size(); ++c)
    if (s.f[c].num < 0)
      fail(n, "the MaxPool '" + s.pool.name + "' before it cannot move after the binarizer: " +
                  "channel " + std::to_string(c) + " has a negative BatchNorm scale");
  if (type == isa::DType::kI32) fail(n, "a MaxPool on raw integer sums is not supported");
  m.output = add_value(out + ".prepool", type, s.pre_h, s.pre_w, s.c);
  PoolLayer p = s.pool;
  p.input = m.output;
  p.output = add_value(out, type, s.h, s.w, s.c);
  a.value = p.output;
  g_.layers.push_back(Layer{Layer::Kind::kMat, std::move(m), {}});
  g_.layers.push_back(Layer{Layer::Kind::kPool, {}, std::move(p)});
  return a;
}

void Folder::alias(const OpNode& n) {
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (!n.outputs[i].empty() && uses_.count(n.outputs[i]))
      fail(n, "its output '" + n.outputs[i] + "' is used; only the first output is supported");
  auto it = syms_.find(n.inputs.at(0));
  if (it == syms_.end()) fail(n, "input '" + n.inputs[0] + "' is not computed by a supported op");
  if (it->second.is_sums) {
    set_sums(n, it->second.sums);
  } else {
    set_act(n.outputs[0], it->second.act);
  }
}

// The shape arithmetic of `x.view(x.size(0), -1)` exports: Gather, Unsqueeze, Concat on
// 1-D integer constants.
bool Folder::shape_arithmetic(const OpNode& n, ConstTensor& x) const {
  if (!standard(n)) return false;
  if (n.op_type == "Gather") {
    if (attr_int(n, "axis", 0) != 0 || x.dims.size() != 1) fail(n, "only a 1-D Gather on axis 0");
    const ConstTensor& idx = need_const(n, 1, "the indices");
    ConstTensor out{idx.dims, {}};
    for (double i : idx.data) {
      const int64_t k = static_cast<int64_t>(i < 0 ? i + x.numel() : i);
      if (k < 0 || k >= x.numel()) fail(n, "index out of range");
      out.data.push_back(x.data[k]);
    }
    x = out;
    return true;
  }
  if (n.op_type == "Unsqueeze") {
    if (x.dims.size() > 1) fail(n, "only scalars and 1-D tensors");
    x.dims = {x.numel()};
    return true;
  }
  if (n.op_type == "Concat") {
    if (x.dims.size() != 1) fail(n, "only 1-D Concat");
    for (size_t i = 1; i < n.inputs.size(); ++i) {
      const ConstTensor& y = need_const(n, i, "every input");
      x.data.insert(x.data.end(), y.data.begin(), y.data.end());
    }
    x.dims = {x.numel()};
    return true;
  }
  return false;
}

// QONNX Quant on a constant (Brevitas's ternary weights: 2 bits, signed, narrow):
// scale * (clamp(round(x / scale + zeropt), lo, hi) - zeropt). The matmul then takes the
// result as -1/0/+1 times a magnitude per output channel (weights.h) or says why not.
void Folder::quant_constant(const OpNode& n, ConstTensor& x) const {
  const ConstTensor& bits = need_const(n, 3, "the bitwidth");
  if (bits.numel() != 1 || bits.data[0] < 1 || bits.data[0] > 8 ||
      bits.data[0] != std::floor(bits.data[0]))
    fail(n, "the bitwidth must be one integer in 1..8");
  const bool sign = attr_int(n, "signed", 1) != 0, narrow = attr_int(n, "narrow", 0) != 0;
  const double b = bits.data[0];
  const double lo = sign ? -std::pow(2, b - 1) + (narrow ? 1 : 0) : 0;
  const double hi = sign ? std::pow(2, b - 1) - 1 : std::pow(2, b) - 1 - (narrow ? 1 : 0);
  const std::string mode = attr_string(n, "rounding_mode", "ROUND");
  if (mode != "ROUND" && mode != "CEIL" && mode != "FLOOR")
    fail(n, "rounding_mode " + mode + " is not supported (ROUND, CEIL or FLOOR)");
  std::vector<double> scale, zero;
  try {
    scale = broadcast_to(need_const(n, 1, "the scale"), x.dims);
    zero = broadcast_to(need_const(n, 2, "the zero point"), x.dims);
  } catch (const std::runtime_error& e) {
    fail(n, e.what());
  }
  for (size_t i = 0; i < x.data.size(); ++i) {
    if (!(scale[i] > 0))
      fail(n, "the scale must be positive (found " + std::to_string(scale[i]) + ")");
    const double v = x.data[i] / scale[i] + zero[i];
    const double r = mode == "CEIL"    ? std::ceil(v)
                     : mode == "FLOOR" ? std::floor(v)
                                       : std::nearbyint(v);
    x.data[i] = scale[i] * (std::min(hi, std::max(lo, r)) - zero[i]);
  }
}

bool Folder::fold_constant(const OpNode& n) {
  for (const std::string& in : n.inputs)
    if (!in.empty() && !constant(in)) return false;
  if (n.inputs.empty() || n.inputs[0].empty() || n.outputs.size() != 1) return false;
  ConstTensor x = *constant(n.inputs[0]);
  if (n.op_type == "Identity" && standard(n)) {
  } else if (n.op_type == "Sign" && standard(n)) {
    for (double& v : x.data) {
      if (v == 0) fail(n, "a latent weight is exactly 0: Sign gives 0, not a binary weight");
      v = v > 0 ? 1 : -1;
    }
  } else if (n.op_type == "BipolarQuant" && qonnx(n)) {
    // scale * (x >= 0 ? +1 : -1): Brevitas's scaled binary weights, per tensor or per output
    // channel (the matmul takes one magnitude per output channel, weights.h)
    std::vector<double> scale;
    try {
      scale = broadcast_to(need_const(n, 1, "the scale"), x.dims);
    } catch (const std::runtime_error& e) {
      fail(n, std::string("the scale: ") + e.what());
    }
    for (size_t i = 0; i < x.data.size(); ++i) {
      if (!(scale[i] > 0))
        fail(n, "the scale must be positive (found " + std::to_string(scale[i]) + ")");
      x.data[i] = (x.data[i] >= 0 ? 1 : -1) * scale[i];
    }
  } else if (n.op_type == "Quant" && qonnx(n)) {
    quant_constant(n, x);
  } else if (n.op_type == "Transpose" && standard(n)) {  // PyTorch's F.linear(x, sign(w))
    try {
      x = transposed(x, attr_ints(n, "perm", {}));
    } catch (const std::runtime_error& e) {
      fail(n, e.what());
    }
  } else if (!shape_arithmetic(n, x)) {
    fail(n, "computing on constants is not supported for this op");
  }
  consts_[n.outputs[0]] = std::move(x);
  return true;
}

// The inputs an op needs at least (the optional ones after them may be missing).
size_t least_inputs(const std::string& op) {
  static const std::map<std::string, size_t> least = {{"Conv", 2},
                                                      {"Gemm", 2},
                                                      {"MatMul", 2},
                                                      {"BatchNormalization", 5},
                                                      {"Add", 2},
                                                      {"Mul", 2},
                                                      {"Sub", 2},
                                                      {"Div", 2},
                                                      {"Reshape", 2},
                                                      {"BipolarQuant", 2},
                                                      {"MultiThreshold", 2},
                                                      {"Quant", 4},
                                                      {"Gather", 2}};
  const auto it = least.find(op);
  return it == least.end() ? 1 : it->second;
}

void Folder::node(const OpNode& n) {
  if (n.outputs.empty() || n.outputs[0].empty()) fail(n, "has no output");
  if (n.inputs.size() < least_inputs(n.op_type))
    fail(n, "has " + std::to_string(n.inputs.size()) + " inputs, needs at least " +
                std::to_string(least_inputs(n.op_type)));
  if (fold_constant(n)) return;
  if (n.op_type == "Shape" && standard(n)) {  // the ONNX shape of an activation, batch 1
    const Act& x = need_act(n, 0);
    std::vector<double> d(x.onnx_shape.begin(), x.onnx_shape.end());
    consts_[n.outputs.at(0)] = ConstTensor{{static_cast<int64_t>(d.size())}, d};
    return;
  }
  const std::string& op = n.op_type;
  if (standard(n)) {
    if (op == "Conv") return conv(n);
    if (op == "Gemm") return dense(n, true);
    if (op == "MatMul") return dense(n, false);
    if (op == "BatchNormalization") return batch_norm(n);
    if (op == "Add") return add(n);
    if (op == "Mul" || op == "Sub" || op == "Div") return arith(n);
    if (op == "Sign") return binarize(n);
    if (op == "MaxPool" || op == "GlobalMaxPool") return max_pool(n);
    if (op == "Flatten" || op == "Reshape") return flatten(n);
    if (op == "Identity" || op == "Dropout") return alias(n);
  } else if (qonnx(n)) {
    if (op == "BipolarQuant") return binarize(n);
    if (op == "MultiThreshold") return multi_threshold(n);
    if (op == "Quant")
      fail(n,
           "Quant is folded on constant weights only; quantize activations with "
           "BipolarQuant or MultiThreshold");
  }
  fail(n, "unsupported op" + (n.domain.empty() ? std::string() : " in domain " + n.domain));
}

int Folder::output(const std::string& name, std::vector<int64_t>* onnx_shape) {
  auto it = syms_.find(name);
  if (it == syms_.end())
    throw CompileError(v_.model + ": output '" + name + "' is not computed by a supported op");
  if (!it->second.is_sums) {
    const Act& a = it->second.act;
    if (a.scale != 1)
      throw CompileError(v_.model + ": output '" + name + "' is a scaled binary activation (+-" +
                         std::to_string(a.scale) + ", not integers)");
    *onnx_shape = a.onnx_shape;
    return a.value;
  }
  // The last layer without a binarizer: its integer sums are the output.
  const Sums& s = it->second.sums;
  OpNode last;
  last.name = s.mat.name;
  last.op_type = "output";
  for (const Affine& f : s.f) {
    if (f.num != f.den || f.beta != 0)
      fail(last,
           "a raw integer output cannot follow a BatchNormalization, a Mul or Div, or scaled "
           "weights or activations (add a binarizer)");
    if (f.offset != 0)
      fail(last, "a bias on a raw integer output is not supported yet (the IR has no bias)");
  }
  *onnx_shape = s.onnx_shape;
  Act a = emit(last, s, isa::DType::kI32, {}, name);
  it->second = Sym{false, a, {}};
  return a.value;
}

Graph Folder::run() {
  const auto& d = v_.input_shape;
  const bool map = d.size() == 4;
  g_.input = add_value(v_.input, v_.input_type, map ? d[2] : 1, map ? d[3] : 1, d[1]);
  g_.onnx_input_shape = d;
  set_act(v_.input, Act{g_.input, false, d});
  for (const OpNode& n : v_.nodes) node(n);
  for (const std::string& o : v_.outputs) {
    std::vector<int64_t> shape;
    g_.outputs.push_back(output(o, &shape));
    g_.onnx_output_shapes.push_back(shape);
  }
  return std::move(g_);
}

std::vector<double> per_channel(const ConstTensor& k, const std::vector<int64_t>& shape) {
  const int64_t c = shape.at(1);
  if (k.numel() == 1) return std::vector<double>(c, k.data[0]);
  if (k.dims.size() > shape.size()) throw std::runtime_error("has too many dimensions");
  // right-align the constant's dims against the tensor's
  const size_t lead = shape.size() - k.dims.size();
  for (size_t i = 0; i < k.dims.size(); ++i) {
    const size_t axis = lead + i;
    const int64_t want = axis == 1 ? c : 1;
    if (k.dims[i] != want)
      throw std::runtime_error("has shape " + dims_text(k.dims) + ", not per-channel over " +
                               dims_text(shape));
  }
  if (lead > 1) throw std::runtime_error("does not reach the channel axis");
  return k.data;
}

Graph fold(const OpView& v) {
  return Folder(v).run();
}

}  // namespace imc::compiler::frontend
