#include "sim/tensor_io.h"

#include <sstream>

#include "hw/arch/load.h"
#include "hw/isa/npy.h"

namespace imc::sim {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

}  // namespace

BatchTensor read_input(const std::string& path, const isa::TensorDecl& decl) {
  const isa::NpyTensor npy = isa::read_npy_integers(path);
  std::vector<int64_t> want = decl.shape;
  const bool batched = npy.shape.size() == want.size() + 1 &&
                       std::equal(want.begin(), want.end(), npy.shape.begin() + 1);
  if (!batched || npy.shape[0] < 1) {
    throw arch::InputError(path + ": shape " + shape_text(npy.shape) + " does not fit input '" +
                           decl.name + "': expected [N" + (want.empty() ? "" : ", ") +
                           shape_text(want).substr(1) + " with N >= 1 inferences");
  }
  BatchTensor t{npy.shape, {}};
  t.values.reserve(npy.values.size());
  for (size_t i = 0; i < npy.values.size(); ++i) {
    const int64_t v = npy.values[i];
    if (!isa::value_fits(decl.type, v)) {
      std::ostringstream m;
      m << path << ": element " << i << " is " << v << ", out of range for input '" << decl.name
        << "' of type " << isa::to_string(decl.type);
      throw arch::InputError(m.str());
    }
    t.values.push_back(static_cast<int32_t>(v));
  }
  return t;
}

std::vector<uint8_t> pack_inference(const BatchTensor& t, const isa::TensorDecl& decl, int64_t n) {
  const int64_t per = decl.elements();
  std::vector<uint8_t> bytes(static_cast<size_t>(decl.bytes()), 0);
  const int32_t* x = t.values.data() + n * per;
  if (decl.layout == isa::Layout::kPacked) {
    isa::pack(decl.type, x, per, bytes.data());
    return bytes;
  }
  const int64_t c = decl.shape[0], pixels = decl.shape[1] * decl.shape[2];
  const int64_t pixel_bytes = isa::packed_bytes(decl.type, c);
  std::vector<int32_t> pixel(static_cast<size_t>(c));
  for (int64_t p = 0; p < pixels; ++p) {  // CHW -> one pixel's channels
    for (int64_t k = 0; k < c; ++k) pixel[k] = x[k * pixels + p];
    isa::pack(decl.type, pixel.data(), c, bytes.data() + p * pixel_bytes);
  }
  return bytes;
}

void unpack_inference(const std::vector<uint8_t>& bytes, const isa::TensorDecl& decl,
                      int32_t* values) {
  if (decl.layout == isa::Layout::kPacked) {
    isa::unpack(decl.type, bytes.data(), decl.elements(), values);
    return;
  }
  const int64_t c = decl.shape[0], pixels = decl.shape[1] * decl.shape[2];
  const int64_t pixel_bytes = isa::packed_bytes(decl.type, c);
  std::vector<int32_t> pixel(static_cast<size_t>(c));
  for (int64_t p = 0; p < pixels; ++p) {  // one pixel's channels -> CHW
    isa::unpack(decl.type, bytes.data() + p * pixel_bytes, c, pixel.data());
    for (int64_t k = 0; k < c; ++k) values[k * pixels + p] = pixel[k];
  }
}

std::map<std::string, std::string> bind_tensor_files(const std::vector<isa::TensorDecl>& decls,
                                                     const std::vector<std::string>& args,
                                                     const char* option) {
  std::map<std::string, std::string> bound;
  for (const std::string& a : args) {
    const size_t eq = a.find('=');
    std::string name, path;
    if (eq == std::string::npos) {
      if (decls.size() != 1) {
        throw arch::InputError(std::string(option) + " " + a + ": the program has " +
                               std::to_string(decls.size()) +
                               " such tensors; name them as NAME=PATH");
      }
      name = decls[0].name;
      path = a;
    } else {
      name = a.substr(0, eq);
      path = a.substr(eq + 1);
    }
    bool known = false;
    for (const auto& d : decls) known |= d.name == name;
    if (!known)
      throw arch::InputError(std::string(option) + " " + a + ": the program has no tensor '" +
                             name + "'");
    if (!bound.emplace(name, path).second) {
      throw arch::InputError(std::string(option) + " " + a + ": '" + name + "' given twice");
    }
  }
  return bound;
}

}  // namespace imc::sim
