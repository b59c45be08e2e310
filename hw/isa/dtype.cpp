#include "hw/isa/dtype.h"

#include <cstring>
#include <limits>

namespace imc::isa {

int bits_per_element(DType t) {
  switch (t) {
    case DType::kB1:
      return 1;
    case DType::kT2:
      return 2;
    case DType::kU8:
    case DType::kI8:
      return 8;
    case DType::kI32:
      return 32;
  }
  return 0;
}

int64_t packed_bytes(DType t, int64_t elements) {
  return (elements * bits_per_element(t) + 7) / 8;
}

const char* to_string(DType t) {
  switch (t) {
    case DType::kB1:
      return "b1";
    case DType::kT2:
      return "t2";
    case DType::kU8:
      return "u8";
    case DType::kI8:
      return "i8";
    case DType::kI32:
      return "i32";
  }
  return "?";
}

std::optional<DType> parse_dtype(const std::string& s) {
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}) {
    if (s == to_string(t)) return t;
  }
  return std::nullopt;
}

bool value_fits(DType t, int64_t v) {
  switch (t) {
    case DType::kB1:
      return v == 1 || v == -1;
    case DType::kT2:
      return v >= -1 && v <= 1;
    case DType::kU8:
      return v >= 0 && v <= 255;
    case DType::kI8:
      return v >= -128 && v <= 127;
    case DType::kI32:
      return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
  }
  return false;
}

namespace {

// Sub-byte codes. Values that do not fit the type are the caller's mistake; they are mapped
// the way binarised networks map them (b1: v >= 0 -> +1, as QONNX BipolarQuant and Larq do;
// t2: the sign) so that nothing outside the element's bits is ever touched.
uint8_t code_of(DType t, int32_t v) {
  if (t == DType::kB1) return v >= 0 ? 1 : 0;
  return v > 0 ? 0b01 : (v < 0 ? 0b11 : 0b00);
}

int32_t value_of(DType t, uint8_t code) {
  if (t == DType::kB1) return code ? 1 : -1;
  return code == 0b01 ? 1 : (code == 0b11 ? -1 : 0);  // 10 is never written: reads as 0
}

}  // namespace

void pack(DType t, const int32_t* values, int64_t n, uint8_t* bytes) {
  switch (t) {
    case DType::kB1:
    case DType::kT2: {
      const int bits = bits_per_element(t);
      const uint8_t mask = static_cast<uint8_t>((1u << bits) - 1);
      // Read-modify-write per element: a vector ending mid-byte leaves its neighbours intact.
      for (int64_t i = 0; i < n; ++i) {
        const int64_t bit = i * bits;
        const int shift = static_cast<int>(bit & 7);
        uint8_t& b = bytes[bit >> 3];
        b = static_cast<uint8_t>((b & ~(mask << shift)) | (code_of(t, values[i]) << shift));
      }
      return;
    }
    case DType::kU8:
    case DType::kI8:
      for (int64_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(values[i]);
      return;
    case DType::kI32:
      for (int64_t i = 0; i < n; ++i) {
        const uint32_t u = static_cast<uint32_t>(values[i]);
        for (int k = 0; k < 4; ++k) bytes[4 * i + k] = static_cast<uint8_t>(u >> (8 * k));
      }
      return;
  }
}

void unpack(DType t, const uint8_t* bytes, int64_t n, int32_t* values) {
  switch (t) {
    case DType::kB1:
    case DType::kT2: {
      const int bits = bits_per_element(t);
      const uint8_t mask = static_cast<uint8_t>((1u << bits) - 1);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t bit = i * bits;
        values[i] = value_of(t, (bytes[bit >> 3] >> (bit & 7)) & mask);
      }
      return;
    }
    case DType::kU8:
      for (int64_t i = 0; i < n; ++i) values[i] = bytes[i];
      return;
    case DType::kI8:
      for (int64_t i = 0; i < n; ++i) values[i] = static_cast<int8_t>(bytes[i]);
      return;
    case DType::kI32:
      for (int64_t i = 0; i < n; ++i) {
        uint32_t u = 0;
        for (int k = 0; k < 4; ++k) u |= static_cast<uint32_t>(bytes[4 * i + k]) << (8 * k);
        values[i] = static_cast<int32_t>(u);
      }
      return;
  }
}

std::vector<uint8_t> pack(DType t, const std::vector<int32_t>& values) {
  const int64_t n = static_cast<int64_t>(values.size());
  std::vector<uint8_t> bytes(static_cast<size_t>(packed_bytes(t, n)), 0);
  pack(t, values.data(), n, bytes.data());
  return bytes;
}

}  // namespace imc::isa
