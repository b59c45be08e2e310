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
  int64_t n = 1;  // stops growing past numel(): the dims may be any int64
  for (int64_t d : c.dims) {
    if (d < 0) throw std::runtime_error("tensor '" + t.name() + "' has a negative dimension");
    n = d == 0 ? 0 : n > c.numel() / d ? c.numel() + 1 : n * d;
  }
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

ConstTensor transposed(const ConstTensor& x, std::vector<int64_t> perm) {
  const size_t rank = x.dims.size();
  if (perm.empty())
    for (size_t i = rank; i-- > 0;) perm.push_back(static_cast<int64_t>(i));
  std::vector<bool> seen(rank, false);
  for (int64_t a : perm) {
    if (perm.size() != rank || a < 0 || a >= static_cast<int64_t>(rank) || seen[a])
      throw std::runtime_error("perm is not a permutation of the " + std::to_string(rank) +
                               " axes");
    seen[a] = true;
  }
  ConstTensor out;
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t i = rank; i-- > 1;) in_stride[i - 1] = in_stride[i] * x.dims[i];
  for (int64_t a : perm) out.dims.push_back(x.dims[a]);
  out.data.resize(x.data.size());
  std::vector<int64_t> idx(rank, 0);  // the output index, odometer order
  for (size_t o = 0; o < out.data.size(); ++o) {
    int64_t src = 0;
    for (size_t i = 0; i < rank; ++i) src += idx[i] * in_stride[perm[i]];
    out.data[o] = x.data[src];
    for (size_t i = rank; i-- > 0;) {
      if (++idx[i] < out.dims[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

std::vector<double> broadcast_to(const ConstTensor& k, const std::vector<int64_t>& dims) {
  if (k.dims.size() > dims.size())
    throw std::runtime_error("shape " + dims_text(k.dims) + " does not broadcast to " +
                             dims_text(dims));
  const size_t lead = dims.size() - k.dims.size();
  std::vector<int64_t> stride(dims.size(), 0);  // k's stride along each axis of dims (0: broadcast)
  int64_t s = 1;
  for (size_t i = k.dims.size(); i-- > 0;) {
    if (k.dims[i] != 1 && k.dims[i] != dims[lead + i])
      throw std::runtime_error("shape " + dims_text(k.dims) + " does not broadcast to " +
                               dims_text(dims));
    stride[lead + i] = k.dims[i] == 1 ? 0 : s;
    s *= k.dims[i];
  }
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  std::vector<double> out(static_cast<size_t>(n));
  std::vector<int64_t> idx(dims.size(), 0);
  for (int64_t o = 0; o < n; ++o) {
    int64_t src = 0;
    for (size_t i = 0; i < dims.size(); ++i) src += idx[i] * stride[i];
    out[static_cast<size_t>(o)] = k.data[static_cast<size_t>(src)];
    for (size_t i = dims.size(); i-- > 0;) {
      if (++idx[i] < dims[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

}  // namespace imc::compiler::frontend
