// What follows a matmul's integer sums: bias Add, BatchNormalization, a residual Add and the
// binarizer (Sign, BipolarQuant, MultiThreshold), folded into thresholds (requant.h).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "compiler/frontend/folder.h"

namespace imc::compiler::frontend {

namespace {

std::vector<double> channels(const Folder& f, const OpNode& n, size_t i, const std::string& what,
                             const Sums& s) {
  const ConstTensor& k = f.need_const(n, i, what);
  try {
    return per_channel(k, s.onnx_shape);
  } catch (const std::runtime_error& e) {
    f.fail(n, what + " " + e.what());
  }
}

void check_chain(const Folder& f, const OpNode& n, const Sums& s) {
  if (s.residual >= 0) f.fail(n, "nothing but the binarizer may follow the residual Add");
}

// BatchNormalization's parameters are 1-D, one value per channel.
std::vector<double> bn_param(const Folder& f, const OpNode& n, size_t i, const std::string& what,
                             const Sums& s) {
  const ConstTensor& k = f.need_const(n, i, what);
  if (k.numel() != s.c)
    f.fail(n, what + " has " + std::to_string(k.numel()) + " values for " + std::to_string(s.c) +
                  " channels");
  return k.data;
}

// One residual scale for the layer when every channel has the same, else one per channel.
void set_residual_scales(MatLayer& m, const std::vector<int>& scales) {
  m.residual_scale = scales.empty() ? 1 : scales[0];
  m.residual_scales.clear();
  if (std::any_of(scales.begin(), scales.end(), [&](int v) { return v != scales[0]; }))
    m.residual_scales = scales;
}

}  // namespace

void Folder::batch_norm(const OpNode& n) {
  Sums s = need_sums(n, 0);
  check_chain(*this, n, s);
  if (attr_int(n, "training_mode", 0) != 0) fail(n, "training_mode must be 0");
  const double eps = attr_float(n, "epsilon", 1e-5);
  const auto gamma = bn_param(*this, n, 1, "scale", s), beta = bn_param(*this, n, 2, "B", s);
  const auto mean = bn_param(*this, n, 3, "mean", s), var = bn_param(*this, n, 4, "var", s);
  for (int64_t c = 0; c < s.c; ++c) {
    if (var[c] + eps <= 0) fail(n, "var + epsilon must be positive");
    s.f[c].batch_norm(gamma[c], beta[c], mean[c], std::sqrt(var[c] + eps));
  }
  set_sums(n, std::move(s));
}

void Folder::add(const OpNode& n) {
  if (n.inputs.size() != 2) fail(n, "expects two inputs");
  const int si = is_sums(n.inputs[0]) ? 0 : is_sums(n.inputs[1]) ? 1 : -1;
  if (si < 0) fail(n, "one input must be the integer sums of a Conv, Gemm or MatMul");
  Sums s = need_sums(n, si);
  const std::string& other = n.inputs[1 - si];
  if (constant(other)) {  // a bias
    check_chain(*this, n, s);
    const auto b = channels(*this, n, 1 - si, "the added constant", s);
    for (int64_t c = 0; c < s.c; ++c) s.f[c].add(b[c]);
    set_sums(n, std::move(s));
    return;
  }
  const Act& r = need_act(n, 1 - si);  // a residual
  const Value& rv = g_.values[r.value];
  if (s.residual >= 0) fail(n, "only one residual Add per layer is supported");
  if (s.has_pool) fail(n, "a residual Add after a MaxPool on the sums is not supported");
  if (rv.type != isa::DType::kB1)
    fail(n, "the residual '" + other + "' must be a binary activation (" + isa::to_string(rv.type) +
                " residuals are not supported yet)");
  if (r.onnx_shape != s.onnx_shape || rv.elements() != s.h * s.w * s.c)
    fail(n, "the residual " + dims_text(r.onnx_shape) + " does not match the sums " +
                dims_text(s.onnx_shape));
  s.residual = r.value;
  set_sums(n, std::move(s));
}

void Folder::binarize(const OpNode& n) {
  Sums s = need_sums(n, 0);
  if (n.op_type == "BipolarQuant") {
    for (double v : need_const(n, 1, "the scale").data)
      if (v != 1) fail(n, "the scale must be 1 (found " + std::to_string(v) + ")");
  }
  std::vector<Threshold> th;
  if (s.residual < 0) {
    for (const Affine& f : s.f) th.push_back(binary_threshold(f, 0));
    set_act(n.outputs[0], emit(n, std::move(s), isa::DType::kB1, th, n.outputs[0]));
    return;
  }
  std::vector<int> scales;
  for (int64_t c = 0; c < s.c; ++c) {
    const auto r = residual_threshold(s.f[c], 0);
    if (!r) fail(n, "channel " + std::to_string(c) + " has BatchNorm scale 0 before a residual");
    scales.push_back(r->residual_scale);
    th.push_back(r->threshold);
  }
  set_residual_scales(s.mat, scales);
  s.mat.sum_shift = 1;
  set_act(n.outputs[0], emit(n, std::move(s), isa::DType::kB1, th, n.outputs[0]));
}

void Folder::multi_threshold(const OpNode& n) {
  Sums s = need_sums(n, 0);
  const ConstTensor& t = need_const(n, 1, "the thresholds");
  const double scale = attr_float(n, "out_scale", 1), bias = attr_float(n, "out_bias", 0);
  const std::string layout = attr_string(n, "data_layout", "NCHW");
  if (s.onnx_shape.size() == 4 && layout != "NCHW") fail(n, "data_layout must be NCHW");
  if (t.dims.size() != 2 || (t.dims[0] != s.c && t.dims[0] != 1))
    fail(n, "the thresholds " + dims_text(t.dims) +
                " must be [C][n] or [1][n] with C = " + std::to_string(s.c));
  const int64_t steps = t.dims[1];
  const bool binary = steps == 1 && scale == 2 && bias == -1;
  const bool ternary = steps == 2 && scale == 1 && bias == -1;
  if (!binary && !ternary)
    fail(n, std::to_string(steps) + " thresholds with out_scale " + std::to_string(scale) +
                " and out_bias " + std::to_string(bias) +
                " are neither binary (1, 2, -1) nor ternary (2, 1, -1)");
  if (ternary && s.residual >= 0) fail(n, "ternary residuals are not supported yet");
  std::vector<Threshold> th;
  std::vector<int> scales;
  for (int64_t c = 0; c < s.c; ++c) {
    const double* row = &t.data[(t.dims[0] == 1 ? 0 : c) * steps];
    if (binary && s.residual < 0) {
      th.push_back(binary_threshold(s.f[c], row[0]));
    } else if (binary) {
      const auto r = residual_threshold(s.f[c], row[0]);
      if (!r) fail(n, "channel " + std::to_string(c) + " has scale 0 before a residual");
      scales.push_back(r->residual_scale);
      s.mat.sum_shift = 1;
      th.push_back(r->threshold);
    } else {
      th.push_back(ternary_threshold(s.f[c], std::min(row[0], row[1]), std::max(row[0], row[1])));
    }
  }
  if (!scales.empty()) set_residual_scales(s.mat, scales);
  const isa::DType type = binary ? isa::DType::kB1 : isa::DType::kT2;
  set_act(n.outputs[0], emit(n, std::move(s), type, th, n.outputs[0]));
}

}  // namespace imc::compiler::frontend
