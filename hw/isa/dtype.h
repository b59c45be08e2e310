// Element types of activations, weights and sums, and how they are packed into bytes.
// Packing is little-endian and LSB-first inside a byte:
//   b1  1 bit  per element: 1 -> +1, 0 -> -1
//   t2  2 bits per element: bit0 = nonzero, bit1 = negative (00 -> 0, 01 -> +1, 11 -> -1;
//       10 is never written and reads as 0)
//   u8, i8  one byte per element; i32 four bytes, little-endian two's complement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imc::isa {

enum class DType : uint8_t { kB1, kT2, kU8, kI8, kI32 };

int bits_per_element(DType t);
int64_t packed_bytes(DType t, int64_t elements);  // rounded up to whole bytes
const char* to_string(DType t);
std::optional<DType> parse_dtype(const std::string& s);
bool value_fits(DType t, int64_t v);  // b1: ±1; t2: -1,0,1; u8: 0..255; ...

// Writes/reads `n` elements starting at byte `bytes` (element 0 at bit 0 of bytes[0]).
void pack(DType t, const int32_t* values, int64_t n, uint8_t* bytes);
void unpack(DType t, const uint8_t* bytes, int64_t n, int32_t* values);
std::vector<uint8_t> pack(DType t, const std::vector<int32_t>& values);

}  // namespace imc::isa
