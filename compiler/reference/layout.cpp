#include "compiler/reference/layout.h"

#include <stdexcept>
#include <string>

#include "hw/arch/load.h"

namespace imc::compiler::reference {

namespace {

std::string shape_text(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

const char* range_text(isa::DType t) {
  switch (t) {
    case isa::DType::kB1:
      return "-1 or +1";
    case isa::DType::kT2:
      return "-1, 0 or +1";
    case isa::DType::kU8:
      return "0..255";
    case isa::DType::kI8:
      return "-128..127";
    case isa::DType::kI32:
      return "int32";
  }
  return "?";
}

// Element (y, x, c) of a map sits at c*h*w + y*w + x of its channel-major ONNX form.
int64_t onnx_index(const Value& v, int64_t map_index) {
  int64_t c = map_index % v.c, pixel = map_index / v.c;
  return c * v.h * v.w + pixel;
}

}  // namespace

std::vector<int64_t> batch_shape(const Value& v, const std::vector<int64_t>& onnx_shape,
                                 int64_t batch) {
  std::vector<int64_t> shape = onnx_shape;
  if (shape.empty()) {
    shape = v.h == 1 && v.w == 1 ? std::vector<int64_t>{0, v.c}
                                 : std::vector<int64_t>{0, v.c, v.h, v.w};
  }
  shape[0] = batch;
  int64_t per_inference = 1;
  for (size_t i = 1; i < shape.size(); ++i) per_inference *= shape[i];
  // A vector (h = w = 1) may have a 4-D ONNX shape: a flattened-only image, in ONNX order.
  bool nchw_ok = shape.size() != 4 || (v.h == 1 && v.w == 1) ||
                 (shape[1] == v.c && shape[2] == v.h && shape[3] == v.w);
  if (per_inference != v.elements() || !nchw_ok) {
    throw std::invalid_argument("reference: value '" + v.name + "' [" + std::to_string(v.h) + "x" +
                                std::to_string(v.w) + "x" + std::to_string(v.c) +
                                "] does not match its ONNX shape " + shape_text(onnx_shape));
  }
  return shape;
}

std::vector<std::vector<int32_t>> split_input(const Graph& g, const Tensor& input) {
  if (g.input < 0 || g.input >= static_cast<int>(g.values.size()))
    throw std::invalid_argument("reference: the graph has no input value");
  const Value& v = g.values[g.input];
  std::vector<int64_t> want = batch_shape(v, g.onnx_input_shape, 1);
  bool same = input.shape.size() == want.size() && !input.shape.empty() && input.shape[0] >= 0;
  for (size_t i = 1; same && i < want.size(); ++i) same = input.shape[i] == want[i];
  if (!same) {
    want[0] = -1;
    throw arch::InputError("input '" + v.name + "': shape " + shape_text(input.shape) +
                           ", expected " + shape_text(want) + " (N = any batch size)");
  }
  const int64_t batch = input.shape[0], n = v.elements();
  if (static_cast<int64_t>(input.values.size()) != batch * n) {
    throw arch::InputError("input '" + v.name + "': " + std::to_string(input.values.size()) +
                           " values for shape " + shape_text(input.shape));
  }
  std::vector<std::vector<int32_t>> maps(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b) {
    maps[b].resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      int64_t flat = b * n + onnx_index(v, i);
      int32_t x = input.values[flat];
      if (!isa::value_fits(v.type, x)) {
        throw arch::InputError("input '" + v.name + "': element " + std::to_string(flat) + " is " +
                               std::to_string(x) + ", not a " + isa::to_string(v.type) +
                               " value (" + range_text(v.type) + ")");
      }
      maps[b][i] = x;
    }
  }
  return maps;
}

Tensor join_output(const Graph& g, int id, const std::vector<int64_t>& onnx_shape,
                   const std::vector<std::vector<int32_t>>& maps) {
  const Value& v = g.values[id];
  Tensor t;
  t.shape = batch_shape(v, onnx_shape, static_cast<int64_t>(maps.size()));
  const int64_t n = v.elements();
  t.values.resize(maps.size() * static_cast<size_t>(n));
  for (size_t b = 0; b < maps.size(); ++b)
    for (int64_t i = 0; i < n; ++i) t.values[b * n + onnx_index(v, i)] = maps[b][i];
  return t;
}

}  // namespace imc::compiler::reference
