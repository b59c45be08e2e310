// A MatLayer's output stage: the sum of one output channel -> b1, t2 or i32 (compiler/ir.h).
#pragma once

#include <cstdint>

#include "compiler/ir.h"

namespace imc::compiler::reference {

inline int32_t requantize(int64_t acc, const Threshold& t, isa::DType type) {
  if (type == isa::DType::kI32) return static_cast<int32_t>(acc);
  int32_t q = type == isa::DType::kB1 ? (acc >= t.t0 ? 1 : -1)
                                      : static_cast<int32_t>(acc >= t.t0) + (acc >= t.t1) - 1;
  return t.invert ? -q : q;
}

}  // namespace imc::compiler::reference
