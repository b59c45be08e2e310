// MaxPool and GlobalMaxPool (on activations, or moved after the binarizer when it sits on the
// sums) and Flatten/Reshape to [N, -1].
#include "compiler/frontend/folder.h"

namespace imc::compiler::frontend {

void Folder::max_pool(const OpNode& n) {
  if (n.outputs.size() > 1 && !n.outputs[1].empty() && uses_.count(n.outputs[1]))
    fail(n, "the Indices output is not supported");
  if (attr_int(n, "ceil_mode", 0) != 0) fail(n, "ceil_mode must be 0");
  if (attr_int(n, "storage_order", 0) != 0) fail(n, "storage_order must be 0");
  for (int64_t d : attr_ints(n, "dilations", {1, 1}))
    if (d != 1) fail(n, "dilation must be 1");
  const std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "VALID") fail(n, "auto_pad " + auto_pad + " unsupported");
  std::vector<int64_t> k = attr_ints(n, "kernel_shape", {});
  if (n.op_type == "GlobalMaxPool") {  // a window as large as the map, one output pixel
    const std::vector<int64_t> shape =
        is_sums(n.inputs.at(0)) ? need_sums(n, 0).onnx_shape : need_act(n, 0).onnx_shape;
    if (shape.size() != 4) fail(n, "the input must be [N,C,H,W]");
    k = {shape[2], shape[3]};
  }
  const auto st = attr_ints(n, "strides", {1, 1});
  const auto pads = attr_ints(n, "pads", {0, 0, 0, 0});
  if (k.size() != 2 || st.size() != 2 || pads.size() != 4) fail(n, "only 2-D pooling");
  check_window(n, k, st, pads);
  if (pads[0] >= k[0] || pads[2] >= k[0] || pads[1] >= k[1] || pads[3] >= k[1])
    fail(n, "padding must be smaller than the window");

  PoolLayer p;
  p.name = n.name;
  p.kh = static_cast<int>(k[0]);
  p.kw = static_cast<int>(k[1]);
  p.stride_h = static_cast<int>(st[0]);
  p.stride_w = static_cast<int>(st[1]);
  p.pad_top = static_cast<int>(pads[0]);
  p.pad_left = static_cast<int>(pads[1]);
  p.pad_bottom = static_cast<int>(pads[2]);
  p.pad_right = static_cast<int>(pads[3]);
  const auto out_size = [&](int64_t size, int axis) {
    return (size + pads[axis] + pads[axis + 2] - k[axis]) / st[axis] + 1;
  };

  if (is_sums(n.inputs.at(0))) {
    Sums s = need_sums(n, 0);
    if (s.onnx_shape.size() != 4) fail(n, "the input must be [N,C,H,W]");
    if (s.has_pool) fail(n, "two MaxPools before one binarizer are not supported");
    if (s.residual >= 0) fail(n, "a MaxPool after a residual Add is not supported");
    s.has_pool = true;
    s.pool = p;
    s.pre_h = s.h;
    s.pre_w = s.w;
    s.h = out_size(s.pre_h, 0);
    s.w = out_size(s.pre_w, 1);
    if (s.h <= 0 || s.w <= 0) fail(n, "the window is larger than the padded input");
    s.onnx_shape = {batch_, s.c, s.h, s.w};
    set_sums(n, std::move(s));
    return;
  }
  const Act& x = need_act(n, 0);
  if (x.onnx_shape.size() != 4) fail(n, "the input must be [N,C,H,W]");
  const Value in = g_.values[x.value];
  const int64_t h = out_size(in.h, 0), w = out_size(in.w, 1);
  if (h <= 0 || w <= 0) fail(n, "the window is larger than the padded input");
  p.input = x.value;
  p.output = add_value(n.outputs[0], in.type, h, w, in.c);
  g_.layers.push_back(Layer{Layer::Kind::kPool, {}, p});
  set_act(n.outputs[0], Act{p.output, false, {batch_, in.c, h, w}, x.scale});
}

void Folder::flatten(const OpNode& n) {
  if (is_sums(n.inputs.at(0)))
    fail(n, "flattening integer sums is not supported (binarize before flattening)");
  const Act& x = need_act(n, 0);
  const int64_t features = g_.values[x.value].elements();
  if (n.op_type == "Flatten") {
    if (attr_int(n, "axis", 1) != 1) fail(n, "axis must be 1");
  } else {
    const ConstTensor& shape = need_const(n, 1, "the shape");
    const auto& d = shape.data;
    const bool first_ok = d.size() == 2 && (d[0] == 0 || d[0] == -1 || d[0] == batch_);
    const bool second_ok = d.size() == 2 && (d[1] == -1 || d[1] == features);
    if (!first_ok || !second_ok || (d[0] == -1 && d[1] == -1))
      fail(n,
           "only a reshape to [N, features] = [N, " + std::to_string(features) + "] is supported");
  }
  Value& v = g_.values[x.value];
  if (x.value == g_.input && isa::bits_per_element(v.type) < 8 && uses_[n.inputs[0]] == 1) {
    // A bipolar/ternary image only flattened: it is the vector ONNX sees, packed in ONNX
    // order in the global buffer (tiles could not hold it as a map of bit-packed NCHW planes).
    v.h = v.w = 1;
    v.c = features;
    set_act(n.outputs[0], Act{x.value, false, {batch_, features}, x.scale});
    return;
  }
  set_act(n.outputs[0],
          Act{x.value, x.onnx_shape.size() == 4 || x.flat, {batch_, features}, x.scale});
}

}  // namespace imc::compiler::frontend
