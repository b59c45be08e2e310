// NumPy .npy files (format versions 1, 2 and 3): integer tensors in, int32 tensors out.
// Used for weights referenced by .cmd files, network inputs and simulated outputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imc::isa {

struct NpyTensor {
  std::vector<int64_t> shape;   // () for a scalar
  std::vector<int64_t> values;  // C order
};

// Reads a little-endian, C-order array of u1 i1 u2 i2 u4 i4 i8 u8 f4 f8 or b1 (bool); floats
// must hold integer values. Any problem throws arch::InputError "PATH: what is wrong".
NpyTensor read_npy_integers(const std::string& path);

// The same from the bytes of a file; `name` is used in messages.
NpyTensor parse_npy_integers(const std::string& bytes, const std::string& name);

// Writes '<i4' (version 1.0 header) to PATH.tmp, then renames it to PATH, so a failure never
// leaves a half-written PATH. Errors (including values.size() != product of shape) throw
// std::runtime_error naming the path.
void write_npy_i32(const std::string& path, const std::vector<int64_t>& shape,
                   const std::vector<int32_t>& values);

}  // namespace imc::isa
