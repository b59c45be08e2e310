// What follows a matmul's integer sums: bias Add, BatchNormalization, a residual Add of a
// binary or ternary activation and the binarizer or ternarizer (Sign, BipolarQuant,
// MultiThreshold), folded into thresholds and residual scales (requant.h).
#include <algorithm>
#include <cmath>
#include <cstdlib>
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

// The largest |a| of each output channel's sums: its weights' |w| summed, times the largest
// magnitude of an input element.
std::vector<int64_t> reach(const MatLayer& m, isa::DType input, int64_t channels) {
  const int64_t big = input == isa::DType::kU8 ? 255 : input == isa::DType::kI8 ? 128 : 1;
  const size_t row = m.weights.size() / static_cast<size_t>(channels);
  std::vector<int64_t> r(static_cast<size_t>(channels), 0);
  for (size_t c = 0; c < r.size(); ++c)
    for (size_t j = 0; j < row; ++j) r[c] += std::abs(m.weights[c * row + j]) * big;
  return r;
}

// Thresholds and residual scales of a layer whose requantization has a residual, one level
// list per channel ({level} for a binarizer, {lo, hi} for a ternarizer). A b1 residual into
// a binarizer: the closed form at sum_shift 1 (residual_threshold). Otherwise (a t2 residual,
// or a ternarizer): the smallest sum_shift at which every channel has an exact integer form
// (residual_requant).
std::vector<Threshold> fold_residual(const Folder& f, const OpNode& n, Sums& s, isa::DType residual,
                                     isa::DType input,
                                     const std::vector<std::vector<double>>& levels) {
  std::vector<Threshold> th;
  std::vector<int> scales;
  for (int64_t c = 0; c < s.c; ++c)
    if (s.f[c].num == 0)
      f.fail(n, "channel " + std::to_string(c) + " has BatchNorm scale 0 before a residual");
  if (residual == isa::DType::kB1 && levels[0].size() == 1) {
    for (int64_t c = 0; c < s.c; ++c) {
      const auto r = residual_threshold(s.f[c], levels[c][0]);
      scales.push_back(r->residual_scale);
      th.push_back(r->threshold);
    }
    set_residual_scales(s.mat, scales);
    s.mat.sum_shift = 1;
    return th;
  }
  const std::vector<int> values =
      residual == isa::DType::kB1 ? std::vector<int>{-1, 1} : std::vector<int>{-1, 0, 1};
  const std::vector<int64_t> bound = reach(s.mat, input, s.c);
  // Each cut is ceil(tau_L - r*q) of one real point (tau_L, q = sigma/gamma); the integer
  // points (T/2^k, s/2^k) that give the same cuts form polygons with corners on
  // half-integers, holding points on quarter-integers: shift 2 always suffices. Beyond that only
  // inconsistent cuts (a decision point exactly on a tie, rounded differently per r) or int32
  // overflow fail.
  constexpr int kMaxShift = 8;
  int64_t worst = 0;
  for (int shift = 0; shift <= kMaxShift; ++shift) {
    th.clear();
    scales.clear();
    for (int64_t c = 0; c < s.c; ++c) {
      const auto r = residual_requant(s.f[c], levels[c], values, bound[c], shift);
      if (!r) {
        worst = c;
        break;
      }
      scales.push_back(r->residual_scale);
      th.push_back(r->threshold);
    }
    if (static_cast<int64_t>(th.size()) == s.c) {
      set_residual_scales(s.mat, scales);
      s.mat.sum_shift = shift;
      return th;
    }
  }
  f.fail(n, "channel " + std::to_string(worst) + ": no exact integer thresholds for the " +
                isa::to_string(residual) + " residual up to sum shift " +
                std::to_string(kMaxShift) +
                " (a decision point of its BatchNorm is an exact tie, or the shifted sums "
                "overflow int32)");
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

// Mul, Div and Sub of the sums and a per-channel constant (a scaling factor written out, a
// hand-written BatchNorm): one more step of the affine chain.
void Folder::arith(const OpNode& n) {
  const int si = data_input(n);
  if (!constant(n.inputs[1 - si])) fail(n, "the other input must be a constant (an initializer)");
  Sums s = need_sums(n, si);
  check_chain(*this, n, s);
  const auto k = channels(*this, n, 1 - si, "the constant", s);
  for (int64_t c = 0; c < s.c; ++c) {
    Affine& f = s.f[c];
    if (n.op_type == "Mul") {
      f.scale(k[c]);
    } else if (n.op_type == "Sub") {  // y - k, or k - y
      if (si == 1) f.scale(-1);
      f.add(si == 0 ? -k[c] : k[c]);
    } else {  // Div: y / k only
      if (si == 1) fail(n, "a constant divided by the sums is not affine");
      if (k[c] == 0 || !std::isfinite(k[c]))
        fail(n, "channel " + std::to_string(c) + " is divided by " + std::to_string(k[c]));
      f.divide(k[c]);
    }
  }
  set_sums(n, std::move(s));
}

void Folder::add(const OpNode& n) {
  const int si = data_input(n);
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
  if (r.scale != 1)
    fail(n, "the residual '" + other + "' is a scaled binary activation (scale " +
                std::to_string(r.scale) + "); residuals must be +-1 or -1/0/+1");
  const Value& rv = g_.values[r.value];
  if (s.residual >= 0) fail(n, "only one residual Add per layer is supported");
  if (s.has_pool) fail(n, "a residual Add after a MaxPool on the sums is not supported");
  if (rv.type != isa::DType::kB1 && rv.type != isa::DType::kT2)
    fail(n, "the residual '" + other + "' must be a binary or ternary activation (" +
                isa::to_string(rv.type) + " residuals are not supported)");
  if (r.onnx_shape != s.onnx_shape || rv.elements() != s.h * s.w * s.c)
    fail(n, "the residual " + dims_text(r.onnx_shape) + " does not match the sums " +
                dims_text(s.onnx_shape));
  s.residual = r.value;
  set_sums(n, std::move(s));
}

void Folder::binarize(const OpNode& n) {
  Sums s = need_sums(n, 0);
  double scale = 1;  // Brevitas's scaled binary activations: the next matmul's sums scale
  if (n.op_type == "BipolarQuant") {
    const ConstTensor& k = need_const(n, 1, "the scale");
    if (k.numel() != 1) fail(n, "on activations the scale must be one value (per tensor)");
    scale = k.data[0];
    if (!(scale > 0) || !std::isfinite(scale))
      fail(n, "the scale must be positive (found " + std::to_string(scale) + ")");
  }
  std::vector<Threshold> th;
  if (s.residual < 0) {
    for (const Affine& f : s.f) th.push_back(binary_threshold(f, 0));
  } else {
    th = fold_residual(*this, n, s, g_.values[s.residual].type, g_.values[s.mat.input].type,
                       std::vector<std::vector<double>>(s.c, {0.0}));
  }
  Act a = emit(n, std::move(s), isa::DType::kB1, th, n.outputs[0]);
  a.scale = scale;
  set_act(n.outputs[0], a);
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
  std::vector<std::vector<double>> levels;
  for (int64_t c = 0; c < s.c; ++c) {
    const double* row = &t.data[(t.dims[0] == 1 ? 0 : c) * steps];
    if (binary) {
      levels.push_back({row[0]});
    } else {
      levels.push_back({std::min(row[0], row[1]), std::max(row[0], row[1])});
    }
  }
  std::vector<Threshold> th;
  if (s.residual >= 0) {
    th =
        fold_residual(*this, n, s, g_.values[s.residual].type, g_.values[s.mat.input].type, levels);
  } else {
    for (int64_t c = 0; c < s.c; ++c)
      th.push_back(binary ? binary_threshold(s.f[c], levels[c][0])
                          : ternary_threshold(s.f[c], levels[c][0], levels[c][1]));
  }
  const isa::DType type = binary ? isa::DType::kB1 : isa::DType::kT2;
  set_act(n.outputs[0], emit(n, std::move(s), type, th, n.outputs[0]));
}

}  // namespace imc::compiler::frontend
