// How the tile hands a block's work to an RTL implementation of that block (arch file
// `impl: rtl`). hw/models only declares the interface; rtl/ implements it with Verilated
// models behind TLM<->pin transactors, and sim/ plugs the two together (docs/rtl.md). A build
// without Verilator never creates one: the arch file refuses `impl: rtl` there.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hw/arch/params.h"
#include "hw/isa/dtype.h"
#include "hw/models/crossbar_array.h"
#include "hw/models/mvm_steps.h"
#include "hw/models/thresholder.h"

namespace imc::models {

// One THRESH for the thresholder block: element i requantizes acc[i] with entries[i].
struct ThresholdJob {
  const int32_t* acc = nullptr;
  const ThresholdEntry* entries = nullptr;
  int64_t count = 0;
  isa::DType type = isa::DType::kB1;
  int64_t start_cycle = 0;  // the cycle the block starts at, to place the RTL's waveform
};

// Runs from the tile's sequencer thread: it may wait() (in delta cycles; no time passes).
class ThresholderRtl {
 public:
  virtual ~ThresholderRtl() = default;
  // Writes element i's value (-1/0/+1, or the sum for i32) to out[i] and returns the cycles
  // the block took: from the rising edge that accepts the first element to the one that
  // registers the last result, inclusive.
  virtual int64_t run(const ThresholdJob& job, int32_t* out) = 0;
};

// One MVM's read steps for the digital datapath of a crossbar's columns: columns
// col0..col0+ncols-1 of `xbar`, the input `input`, the steps of mvm_steps().
struct ColumnJob {
  const CrossbarArray* xbar = nullptr;
  const InputVector* input = nullptr;
  const MvmStep* steps = nullptr;
  int64_t nsteps = 0;
  int col0 = 0;
  int ncols = 0;
  int64_t start_cycle = 0;  // the cycle the first step starts at, to place the waveform
};

class XbarColumnRtl {
 public:
  virtual ~XbarColumnRtl() = default;
  // Writes column col0 + j's partial sum of step s to sums[s * ncols + j] and returns the
  // cycles the columns took: from the rising edge that accepts the first step to the one
  // that takes the last sum (every column in parallel).
  virtual int64_t run(const ColumnJob& job, int32_t* sums) = 0;
};

// Work for the accumulator: the shift-and-add of one MVM's read steps (one element per
// column), or the residual add of one ACCADD.
struct AccumulateJob {
  bool residual = false;
  int64_t count = 0;             // elements
  const int32_t* old = nullptr;  // the accumulator entries before the command
  // MVM: element j = (accumulate ? old[j] : 0) + 2^shift * sum_s steps[s].weight * sums[s*count+j]
  const MvmStep* steps = nullptr;
  int64_t nsteps = 0;
  const int32_t* sums = nullptr;
  int shift = 0;
  bool accumulate = false;
  // ACCADD: element i = old[i] + scale * src[i]
  const int32_t* src = nullptr;
  int32_t scale = 1;
  int64_t start_cycle = 0;  // the cycle its first beat arrives at, to place the waveform
};

class AccumulatorRtl {
 public:
  virtual ~AccumulatorRtl() = default;
  // Writes element i's result to out[i] and returns the cycles: for ACCADD from the rising
  // edge that accepts the first element to the one that registers the last result
  // (inclusive); for an MVM from the edge that accepts a column's last step to the one that
  // registers its sum (inclusive), every column in parallel.
  virtual int64_t run(const AccumulateJob& job, int32_t* out) = 0;
};

// Makes the RTL blocks of one tile; each member may be empty when that block has no RTL.
// `name` is the instance's module name inside the tile (a tile has several accumulators and
// crossbars).
struct RtlFactory {
  std::function<std::unique_ptr<ThresholderRtl>(int tile, const arch::ChipParams& chip)>
      thresholder;
  std::function<std::unique_ptr<AccumulatorRtl>(int tile, const std::string& name,
                                                const arch::ChipParams& chip)>
      accumulator;
  std::function<std::unique_ptr<XbarColumnRtl>(int tile, const std::string& name,
                                               const arch::ChipParams& chip)>
      xbar_column;
};

}  // namespace imc::models
