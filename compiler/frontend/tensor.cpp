#include "compiler/frontend/tensor.h"

#include <cstring>
#include <stdexcept>

namespace imc::compiler::frontend {

namespace {

template <typename T>
std::vector<double> from_raw(const std::string& raw) {
  if (raw.size() % sizeof(T) != 0) throw std::runtime_error("raw_data size is not a multiple");
  std::vector<double> out(raw.size() / sizeof(T));
  for (size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // little-endian, as ONNX stores
    out[i] = static_cast<double>(v);
  }
  return out;
}

template <typename Field>
std::vector<double> from_field(const Field& f) {
  return std::vector<double>(f.begin(), f.end());
}

std::vector<double> read_data(const onnx::TensorProto& t) {
  using P = onnx::TensorProto;
  const bool raw = t.has_raw_data();
  const std::string& r = t.raw_data();
  switch (t.data_type()) {
    case P::FLOAT:
      return raw ? from_raw<float>(r) : from_field(t.float_data());
    case P::DOUBLE:
      return raw ? from_raw<double>(r) : from_field(t.double_data());
    case P::INT8:
      return raw ? from_raw<int8_t>(r) : from_field(t.int32_data());
    case P::UINT8:
      return raw ? from_raw<uint8_t>(r) : from_field(t.int32_data());
    case P::INT16:
      return raw ? from_raw<int16_t>(r) : from_field(t.int32_data());
    case P::INT32:
      return raw ? from_raw<int32_t>(r) : from_field(t.int32_data());
    case P::INT64:
      return raw ? from_raw<int64_t>(r) : from_field(t.int64_data());
    default:
      throw std::runtime_error("tensor '" + t.name() + "' has unsupported element type " +
                               std::to_string(t.data_type()));
  }
}

}  // namespace

ConstTensor to_const(const onnx::TensorProto& t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw std::runtime_error("tensor '" + t.name() + "' uses external data");
  ConstTensor c;
  c.dims.assign(t.dims().begin(), t.dims().end());
  c.data = read_data(t);
  int64_t n = 1;
  for (int64_t d : c.dims) n *= d;
  if (n != c.numel())
    throw std::runtime_error("tensor '" + t.name() + "' holds " + std::to_string(c.numel()) +
                             " values for dims " + dims_text(c.dims));
  return c;
}

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s + "]";
}

}  // namespace imc::compiler::frontend
