// Conv, Gemm and MatMul: the crossbar layers. They start a Sums chain.
#include <stdexcept>

#include "compiler/frontend/folder.h"
#include "compiler/frontend/weights.h"

namespace imc::compiler::frontend {

namespace {

// The ternary weights; each output channel's magnitude becomes the scale of its sums
// (Sums::f), which the requantization after them folds into the thresholds.
std::vector<int8_t> weights_of(const Folder& f, const OpNode& n, const ConstTensor& w,
                               int64_t channels, int64_t inner, Sums& s) {
  try {
    ScaledWeights sw = scaled_ternary_values(w, channels, inner);
    s.f.clear();
    for (double m : sw.scale) s.f.push_back(Affine{m, 1, 0, 0});
    return std::move(sw.values);
  } catch (const std::runtime_error& e) {
    f.fail(n, e.what());
  }
}

void add_bias(const Folder& f, const OpNode& n, size_t i, Sums& s) {
  if (i >= n.inputs.size() || n.inputs[i].empty()) return;
  const ConstTensor& b = f.need_const(n, i, "the bias");
  if (b.numel() != s.c && b.numel() != 1)
    f.fail(n, "the bias has " + std::to_string(b.numel()) + " values for " + std::to_string(s.c) +
                  " channels");
  for (int64_t c = 0; c < s.c; ++c) s.f[c].add(b.data[b.numel() == 1 ? 0 : c]);
}

}  // namespace

void Folder::conv(const OpNode& n) {
  const Act& x = need_act(n, 0);
  if (x.onnx_shape.size() != 4) fail(n, "the input must be [N,C,H,W]");
  const ConstTensor& wt = need_const(n, 1, "the weight");
  const Value& in = g_.values[x.value];
  if (wt.dims.size() != 4) fail(n, "only 2-D convolutions are supported");
  if (attr_int(n, "group", 1) != 1) fail(n, "group must be 1");
  for (int64_t d : attr_ints(n, "dilations", {1, 1}))
    if (d != 1) fail(n, "dilation must be 1");
  const std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "VALID") fail(n, "auto_pad " + auto_pad + " unsupported");
  const int64_t m = wt.dims[0], kh = wt.dims[2], kw = wt.dims[3];
  if (wt.dims[1] != in.c)
    fail(n, "the weight " + dims_text(wt.dims) + " does not match " + std::to_string(in.c) +
                " input channels");
  const auto ks = attr_ints(n, "kernel_shape", {kh, kw});
  if (ks.size() != 2 || ks[0] != kh || ks[1] != kw) fail(n, "kernel_shape differs from the weight");
  const auto st = attr_ints(n, "strides", {1, 1});
  const auto pads = attr_ints(n, "pads", {0, 0, 0, 0});
  if (st.size() != 2 || pads.size() != 4) fail(n, "strides/pads must be 2-D");
  check_window(n, {kh, kw}, st, pads);

  Sums s;
  MatLayer& ml = s.mat;
  ml.input = x.value;
  ml.kh = static_cast<int>(kh);
  ml.kw = static_cast<int>(kw);
  ml.stride_h = static_cast<int>(st[0]);
  ml.stride_w = static_cast<int>(st[1]);
  ml.pad_top = static_cast<int>(pads[0]);
  ml.pad_left = static_cast<int>(pads[1]);
  ml.pad_bottom = static_cast<int>(pads[2]);
  ml.pad_right = static_cast<int>(pads[3]);
  ml.weights = conv_weights(weights_of(*this, n, wt, m, in.c * kh * kw, s), m, in.c, kh, kw);
  for (Affine& f : s.f) f.num *= x.scale;  // a scaled binary input scales every sum
  s.h = (in.h + pads[0] + pads[2] - kh) / st[0] + 1;
  s.w = (in.w + pads[1] + pads[3] - kw) / st[1] + 1;
  if (s.h <= 0 || s.w <= 0) fail(n, "the kernel is larger than the padded input");
  s.c = m;
  s.onnx_shape = {batch_, m, s.h, s.w};
  add_bias(*this, n, 2, s);
  set_sums(n, std::move(s));
}

void Folder::dense(const OpNode& n, bool gemm) {
  const Act& x = need_act(n, 0);
  if (x.onnx_shape.size() != 2) fail(n, "the input must be 2-D [N,F] (Flatten a map first)");
  const Value& in = g_.values[x.value];
  const ConstTensor& b = need_const(n, 1, "the weight B");
  if (b.dims.size() != 2) fail(n, "the weight B must be 2-D");
  bool trans_b = false;
  if (gemm) {
    if (attr_int(n, "transA", 0) != 0) fail(n, "transA must be 0");
    if (attr_float(n, "alpha", 1) != 1 || attr_float(n, "beta", 1) != 1)
      fail(n, "alpha and beta must be 1");
    trans_b = attr_int(n, "transB", 0) != 0;
  }
  const int64_t k = trans_b ? b.dims[1] : b.dims[0], out = trans_b ? b.dims[0] : b.dims[1];
  if (k != in.elements())
    fail(n, "the weight B " + dims_text(b.dims) + " does not match " +
                std::to_string(in.elements()) + " input features");
  Sums s;
  std::vector<int8_t> kn = weights_of(*this, n, b, out, trans_b ? k : 1, s);
  for (Affine& f : s.f) f.num *= x.scale;
  if (trans_b) kn = transpose(kn, out, k);
  s.mat.input = x.value;
  s.mat.kh = static_cast<int>(in.h);  // a flattened map: one window over the whole map
  s.mat.kw = static_cast<int>(in.w);
  s.mat.weights = dense_weights(kn, out, in.h, in.w, in.c);
  s.c = out;
  s.onnx_shape = {batch_, out};
  if (gemm) add_bias(*this, n, 2, s);
  set_sums(n, std::move(s));
}

}  // namespace imc::compiler::frontend
