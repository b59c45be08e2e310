// What one MVM costs its crossbar, for the backend's estimates and choices.
#pragma once

#include <cstdint>

#include "hw/arch/params.h"
#include "hw/isa/dtype.h"

namespace imc::compiler {

// Cycles one MVM keeps its crossbar busy (docs/platform.md): the input's buffer read, planes x
// read steps x (read + ADC conversions of `cols` columns), the accumulation; for a block of
// `rows` rows from row 0 of the crossbar, inputs of type `in`.
double mvm_busy_cycles(const arch::TileParams& t, int64_t rows, int64_t cols, isa::DType in);

}  // namespace imc::compiler
