// Cycles <-> kernel time. The kernel runs at femtosecond resolution so that within one clock
// cycle each tile acts at its own offset (tile t at t + 1 fs): requests that meet in the same
// cycle are then served in tile order, whatever the quantum or the kernel's process order.
#pragma once

#include <cstdint>

#include <systemc>

namespace imc::models {

class Clock {
 public:
  explicit Clock(int64_t period_ps)
      : period_(sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(period_ps) *
                                             ticks_per_ps())) {}

  // The kernel's resolution can only be set before the first non-zero sc_time exists (even
  // asking for the resolution makes one): try once, early; a process that made times before
  // keeps its resolution, and tiles then act at offsets of that resolution instead.
  static void use_femtoseconds() {
    static bool tried = false;
    if (tried) return;
    tried = true;
    try {
      sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
    } catch (const sc_core::sc_report&) {
    }
  }

  int64_t cycle_of(const sc_core::sc_time& t) const {
    return static_cast<int64_t>(t.value() / period_.value());
  }
  int64_t now() const { return cycle_of(sc_core::sc_time_stamp()); }
  sc_core::sc_time at(int64_t cycle, int64_t offset_ticks = 0) const {
    return sc_core::sc_time::from_value(period_.value() * static_cast<uint64_t>(cycle) +
                                        static_cast<uint64_t>(offset_ticks));
  }
  // From the kernel's present to `cycle` (plus an offset); `cycle` must not lie in the past.
  sc_core::sc_time until(int64_t cycle, int64_t offset_ticks = 0) const {
    return at(cycle, offset_ticks) - sc_core::sc_time_stamp();
  }
  const sc_core::sc_time& period() const { return period_; }
  uint64_t ticks_per_cycle() const { return period_.value(); }

 private:
  static uint64_t ticks_per_ps() {
    return static_cast<uint64_t>(sc_core::sc_time(1, sc_core::SC_PS).value());
  }
  sc_core::sc_time period_;
};

}  // namespace imc::models
