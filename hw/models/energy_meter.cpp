#include "hw/models/energy_meter.h"

#include <algorithm>

namespace imc::models {

const char* to_string(EnergyClass c) {
  switch (c) {
    case EnergyClass::kCrossbar:
      return "crossbar";
    case EnergyClass::kReadout:
      return "readout";
    case EnergyClass::kAccumulator:
      return "accumulator";
    case EnergyClass::kThresholder:
      return "thresholder";
    case EnergyClass::kPooling:
      return "pooling";
    case EnergyClass::kBuffer:
      return "buffer";
    case EnergyClass::kGlobalBuffer:
      return "global_buffer";
    case EnergyClass::kNoc:
      return "noc";
    case EnergyClass::kControl:
      return "control";
    case EnergyClass::kLeakage:
      return "leakage";
    case EnergyClass::kCount:
      break;
  }
  return "?";
}

EnergyMeter::EnergyMeter(int tiles, int64_t bin_cycles)
    : bin_cycles_(std::max<int64_t>(1, bin_cycles)), by_tile_(tiles, 0.0) {}

void EnergyMeter::charge(EnergyClass c, int tile, double pj, int64_t from, int64_t to) {
  if (pj == 0) return;
  const int cls = static_cast<int>(c);
  by_class_[cls] += pj;
  if (tile >= 0) by_tile_[tile] += pj;
  add_to_bins(cls, pj, from, to);
  end_ = std::max(end_, std::max(from, to));
}

void EnergyMeter::coarsen_to_fit(int64_t cycle) {
  while (cycle / bin_cycles_ >= kMaxPowerBins) {
    for (size_t b = 0; b < bins_.size(); ++b)  // bins 2j and 2j + 1 into j (j <= 2j: read before)
      for (int k = 0; k < kEnergyClasses; ++k) {
        if (b % 2 == 0)
          bins_[b / 2][k] = bins_[b][k];
        else
          bins_[b / 2][k] += bins_[b][k];
      }
    bins_.resize((bins_.size() + 1) / 2);
    bin_cycles_ *= 2;
  }
}

void EnergyMeter::add_to_bins(int cls, double pj, int64_t from, int64_t to) {
  coarsen_to_fit(std::max(from, to - 1));
  const int64_t first = from / bin_cycles_;
  const int64_t last = to > from ? (to - 1) / bin_cycles_ : first;
  if (static_cast<int64_t>(bins_.size()) <= last) bins_.resize(last + 1);
  if (first == last) {
    bins_[first][cls] += pj;
    return;
  }
  const double per_cycle = pj / static_cast<double>(to - from);
  for (int64_t b = first; b <= last; ++b) {
    const int64_t lo = std::max(from, b * bin_cycles_);
    const int64_t hi = std::min(to, (b + 1) * bin_cycles_);
    bins_[b][cls] += per_cycle * static_cast<double>(hi - lo);
  }
}

void EnergyMeter::finish(int64_t end_cycles, double leakage_pj_per_tile_cycle) {
  end_ = std::max(end_, end_cycles);
  const int tiles = static_cast<int>(by_tile_.size());
  for (int t = 0; t < tiles; ++t) by_tile_[t] += leakage_pj_per_tile_cycle * end_;
  const double pj = leakage_pj_per_tile_cycle * tiles * end_;
  if (end_ > 0) {
    const int cls = static_cast<int>(EnergyClass::kLeakage);
    by_class_[cls] += pj;
    add_to_bins(cls, pj, 0, end_);
  }
  coarsen_to_fit(end_ - 1);
  const int64_t nbins = end_ > 0 ? (end_ - 1) / bin_cycles_ + 1 : 0;
  bins_.resize(std::max<int64_t>(nbins, static_cast<int64_t>(bins_.size())));
}

double EnergyMeter::total() const {
  double sum = 0;
  for (double e : by_class_) sum += e;
  return sum;
}

}  // namespace imc::models
