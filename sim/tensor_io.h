// Network inputs and outputs: .npy files <-> the program's tensors in the global buffer.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hw/isa/program.h"

namespace imc::sim {

// One tensor's values for a whole batch, batch first: shape = [batch] + declared shape.
struct BatchTensor {
  std::vector<int64_t> shape;
  std::vector<int32_t> values;
};

// Reads the .npy given for `decl` and checks its shape ([N] + decl.shape) and that every
// value fits decl.type. Throws arch::InputError "PATH: what is wrong".
BatchTensor read_input(const std::string& path, const isa::TensorDecl& decl);

// Packs inference n of `t` the way the chip stores decl.type.
std::vector<uint8_t> pack_inference(const BatchTensor& t, const isa::TensorDecl& decl, int64_t n);
// One inference's decl.bytes() from the global buffer -> decl.elements() values in C order
// (the inverse of pack_inference: a kPixels tensor goes back from pixels to CHW).
void unpack_inference(const std::vector<uint8_t>& bytes, const isa::TensorDecl& decl,
                      int32_t* values);

// Assigns the --input arguments ("path" or "name=path") to the program's inputs.
// Throws arch::InputError when one is missing, unknown or given twice.
std::map<std::string, std::string> bind_tensor_files(const std::vector<isa::TensorDecl>& decls,
                                                     const std::vector<std::string>& args,
                                                     const char* option);

}  // namespace imc::sim
