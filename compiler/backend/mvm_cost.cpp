#include "compiler/backend/mvm_cost.h"

#include <cmath>

#include "compiler/ir.h"

namespace imc::compiler {

double mvm_busy_cycles(const arch::TileParams& t, int64_t rows, int64_t cols, isa::DType in) {
  const arch::CrossbarParams& x = t.crossbar;
  const double adc =
      x.readout == arch::Readout::kAdc
          ? std::ceil(double(cols) / double(x.adc.count)) * double(x.adc.conversion_cycles)
          : 0.0;
  const double steps = std::ceil(double(rows) / double(x.rows_per_step));
  return (bit_serial(in) ? 8.0 : 1.0) * steps * (double(x.read_cycles) + adc) +
         std::ceil(double(rows) * isa::bits_per_element(in) / double(t.input_buffer.width_bits)) +
         double(t.accumulate_cycles);
}

}  // namespace imc::compiler
