// In-memory record of what the platform did over time (tile states, busy units, link
// activity), kept only when a waveform is asked for. Models record at the cycle an action
// starts, which under temporal decoupling can be ahead of the kernel's time; that is why
// waveforms are written from this record after the run rather than with sc_trace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imc::models {

class ActivityTrace {
 public:
  enum class Kind { kBusy, kValue };  // kBusy: 1 while any recorded interval covers it

  struct Signal {
    std::string scope;  // e.g. "tile3", "noc"
    std::string name;   // e.g. "state", "link_0_0_E"
    Kind kind;
    int width;  // bits (1 for kBusy)
  };
  struct Change {
    int64_t cycle;
    int signal;
    int64_t delta_or_value;  // kBusy: +1/-1; kValue: the new value
  };

  explicit ActivityTrace(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }

  int add_signal(std::string scope, std::string name, Kind kind, int width = 1);
  void busy(int signal, int64_t from, int64_t to) {
    if (!enabled_ || to <= from) return;
    changes_.push_back({from, signal, +1});
    changes_.push_back({to, signal, -1});
  }
  void value(int signal, int64_t cycle, int64_t v) {
    if (enabled_) changes_.push_back({cycle, signal, v});
  }

  const std::vector<Signal>& signals() const { return signals_; }
  const std::vector<Change>& changes() const { return changes_; }

 private:
  bool enabled_;
  std::vector<Signal> signals_;
  std::vector<Change> changes_;
};

}  // namespace imc::models
