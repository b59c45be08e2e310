// Requantization of accumulated sums back to binary/ternary activations. No SystemC.
#pragma once

#include <cstdint>

#include "hw/isa/dtype.h"

namespace imc::models {

// One channel's thresholds. Binary uses t0 only; ternary needs t0 <= t1.
struct ThresholdEntry {
  int32_t t0 = 0;
  int32_t t1 = 0;
  bool invert = false;
};

// b1: acc >= t0 ? +1 : -1.   t2: count(acc >= t0) + count(acc >= t1) - 1 (FINN
// MultiThreshold with scale 1, bias -1).   i32: acc unchanged. `invert` negates b1/t2.
int32_t requantize(int32_t acc, const ThresholdEntry& e, isa::DType out);

}  // namespace imc::models
