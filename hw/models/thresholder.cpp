// Requantisation: BatchNorm + sign folded into integer thresholds (docs: TOOLCHAIN.md,
// "Binary-network numerics"). Ties go up (acc == t0 -> +1), matching QONNX/Larq sign(0) = +1.
#include "hw/models/thresholder.h"

namespace imc::models {

int32_t requantize(int32_t acc, const ThresholdEntry& e, isa::DType out) {
  int32_t v;
  switch (out) {
    case isa::DType::kB1:
      v = acc >= e.t0 ? 1 : -1;
      break;
    case isa::DType::kT2:
      v = static_cast<int32_t>(acc >= e.t0) + static_cast<int32_t>(acc >= e.t1) - 1;
      break;
    default:
      // i32 passes sums through untouched (e.g. the last layer's logits). u8/i8 are not
      // THRESH outputs; the checker rejects them, and they are passed through likewise.
      return acc;
  }
  // A negative BatchNorm gamma flips the comparison: the compiler keeps an invert bit.
  return e.invert ? -v : v;
}

}  // namespace imc::models
