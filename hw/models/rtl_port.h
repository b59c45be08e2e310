// How the tile hands a block's work to an RTL implementation of that block (arch file
// `impl: rtl`). hw/models only declares the interface; rtl/ implements it with Verilated
// models behind TLM<->pin transactors, and sim/ plugs the two together (docs/rtl.md). A build
// without Verilator never creates one: the arch file refuses `impl: rtl` there.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "hw/arch/params.h"
#include "hw/isa/dtype.h"
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

// Makes the RTL blocks of one tile; each member may be empty when that block has no RTL.
struct RtlFactory {
  std::function<std::unique_ptr<ThresholderRtl>(int tile, const arch::ChipParams& chip)>
      thresholder;
};

}  // namespace imc::models
