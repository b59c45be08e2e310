// The ADC transfer function: a signed uniform quantiser that saturates at full scale.
#include <algorithm>
#include <cmath>

#include "hw/models/crossbar_array.h"

namespace imc::models {

int adc_delta(const arch::AdcParams& adc) {
  // A signed converter of `bits` bits has 2^(bits-1) - 1 positive levels. Fewer than two
  // bits cannot express a level, so it is given one (validation rejects such files anyway).
  const int b = std::min(adc.bits, 31);
  const int64_t levels = b >= 2 ? (int64_t{1} << (b - 1)) - 1 : 1;
  const int64_t fs = std::max(adc.full_scale, 0);
  return static_cast<int>(std::max<int64_t>(1, (fs + levels - 1) / levels));
}

int32_t adc_quantize(double sum, const arch::AdcParams& adc) {
  const double delta = adc_delta(adc);
  const double fs = std::max(adc.full_scale, 0);
  const double q = delta * std::round(sum / delta);  // std::round: half away from zero
  return static_cast<int32_t>(std::clamp(q, -fs, fs));
}

bool adc_is_exact(const arch::CrossbarParams& p) {
  if (p.variation_sigma > 0) return false;
  if (p.readout == arch::Readout::kDigital) return true;
  // One read step sums at most rows_per_step products of magnitude <= 1.
  const int step_rows = p.rows_per_step > 0 ? std::min(p.rows_per_step, p.rows) : p.rows;
  return adc_delta(p.adc) == 1 && p.adc.full_scale >= step_rows;
}

}  // namespace imc::models
