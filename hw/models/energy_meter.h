// Energy accounting: every action charges picojoules to a component class and a tile, over the
// cycles it spans, so totals, per-tile figures and the power trace come from one ledger.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace imc::models {

enum class EnergyClass : int {
  kCrossbar,  // cell reads and writes, wordline drivers
  kReadout,   // ADC conversions or digital popcounts
  kAccumulator,
  kThresholder,
  kPooling,
  kBuffer,  // tile input/output buffers
  kGlobalBuffer,
  kNoc,      // flits over links
  kControl,  // command issue
  kLeakage,
  kCount
};
constexpr int kEnergyClasses = static_cast<int>(EnergyClass::kCount);
const char* to_string(EnergyClass c);

// Bins of the power trace at most: a longer run doubles the bin width until it fits (2^20
// bins of 100 cycles hold 10^8 cycles, about 90 times the demo's 10000 images).
constexpr int64_t kMaxPowerBins = int64_t{1} << 20;

class EnergyMeter {
 public:
  // `tiles` ledgers; the power trace groups time into bins of `bin_cycles`
  // (doubled as the run grows past kMaxPowerBins bins).
  EnergyMeter(int tiles, int64_t bin_cycles);

  // Charges `pj` spread evenly over cycles [from, to) (a point in time when to <= from).
  // `tile` < 0 charges no tile (global buffer, NoC).
  void charge(EnergyClass c, int tile, double pj, int64_t from, int64_t to);

  // Adds leakage of every tile for cycles [0, end): called once when the run is over.
  void finish(int64_t end_cycles, double leakage_pj_per_tile_cycle);

  double total() const;
  double by_class(EnergyClass c) const { return by_class_[static_cast<int>(c)]; }
  double by_tile(int tile) const { return by_tile_[tile]; }
  int64_t bin_cycles() const { return bin_cycles_; }
  // Energy per bin per class, pJ; the last bin may be partial (ends at end_cycles).
  const std::vector<std::array<double, kEnergyClasses>>& bins() const { return bins_; }
  int64_t end_cycles() const { return end_; }

 private:
  void add_to_bins(int cls, double pj, int64_t from, int64_t to);
  void coarsen_to_fit(int64_t cycle);  // widens the bins until `cycle` falls in one

  int64_t bin_cycles_;
  int64_t end_ = 0;
  std::array<double, kEnergyClasses> by_class_{};
  std::vector<double> by_tile_;
  std::vector<std::array<double, kEnergyClasses>> bins_;
};

}  // namespace imc::models
