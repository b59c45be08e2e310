// Turning the checked YAML tree into ChipParams. read_chip applies each key's own rule as it
// reads it; check_chip then applies the rules that relate keys to each other (a buffer must
// hold one crossbar input, the global buffer must sit inside the mesh, ...).
#pragma once

#include "hw/arch/params.h"
#include "hw/arch/reader.h"

namespace imc::arch {

ChipParams read_chip(Reader& r);
void check_chip(const ChipParams& c, const Reader& r);

// Host memory a chip's simulation may allocate (check_chip): a 16 GiB workstation's worth,
// 1000 times what tile8x8 needs; beyond it the arch file is refused rather than the run killed.
inline constexpr double kMaxHostBytes = 16.0 * double(int64_t{1} << 30);

// Sanity limits: far above any chip we model, low enough that products of them fit an int.
inline constexpr int kMaxMeshSide = 1024;
inline constexpr int kMaxCrossbars = 1024;
inline constexpr int kMaxCrossbarSide = 65536;
inline constexpr int kMaxCount = 1 << 24;  // entries, lanes, semaphores, full scale
// Deepest pipeline of the RTL thresholder (rtl/thresholder/imc_thresholder.sv).
inline constexpr int kMaxRtlThresholderLatency = 16;
// Deepest output pipeline of the RTL accumulator (rtl/accumulator/imc_accumulator.sv).
inline constexpr int kMaxRtlAccumulatorLatency = 16;
// The RTL crossbar column (rtl/xbar_column/imc_xbar_column.sv): rows its adder tree counts
// in one read step, and the longest read it times.
inline constexpr int kMaxRtlColumnRows = 256;
inline constexpr int kMaxRtlColumnReadCycles = 16;

}  // namespace imc::arch
