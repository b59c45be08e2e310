// An MVM as the crossbar's datapath runs it: read steps, one per (input bit plane, group of
// rows_per_step rows) the input touches, each giving one partial sum per column, which the
// accumulator's shift-and-add weighs by the plane and adds up. CrossbarArray::mvm computes
// the same in one call; co-simulation (docs/rtl.md) needs the steps one by one, to feed the
// RTL column and accumulator and to check them. No SystemC.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/models/crossbar_array.h"

namespace imc::models {

struct MvmStep {
  int plane = 0;       // input bit plane, LSB first
  int32_t weight = 1;  // the plane's weight: 2^plane, -128 for the i8 sign plane
  int group_row0 = 0;  // first row of the step's group of rows_per_step rows
  int row_lo = 0;      // the rows it reads: the group clipped to the input's row range
  int row_hi = 0;
};

// The read steps of an MVM over `in` on a crossbar with `p`, plane by plane, groups in row
// order: as many as CrossbarArray::mvm_cycles counts (an empty input still takes one step
// per plane, reading no row).
std::vector<MvmStep> mvm_steps(const InputVector& in, const arch::CrossbarParams& p);

// The TLM model's partial sums: sums[s * ncols + j] = what column col0 + j reads out in step
// s (the same readout, ADC and variation included, as in CrossbarArray::mvm).
void mvm_step_sums(const CrossbarArray& xb, const InputVector& in,
                   const std::vector<MvmStep>& steps, int col0, int ncols,
                   std::vector<int32_t>& sums);

// The shift-and-add over the steps: out[j] = (accumulate ? old[j] : 0) +
// 2^shift * sum over s of weight_s * sums[s * ncols + j], modulo 2^32 (CrossbarArray::mvm's
// result).
void compose_mvm(const std::vector<MvmStep>& steps, const int32_t* sums, int ncols, int shift,
                 bool accumulate, const int32_t* old, int32_t* out);

}  // namespace imc::models
