// Timing of one tile: commands issue in order, each starts when its functional unit is free
// and the storage it touches is ready, and completes out of order. Plain C++, no kernel.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace imc::models {

enum class Store : int { kIbuf, kObuf, kAcc, kCount };
constexpr uint32_t bit(Store s) {
  return 1u << static_cast<int>(s);
}

class Scoreboard {
 public:
  explicit Scoreboard(int units) : unit_free_(units, 0) {}

  // Earliest start of a command issued at `issue` on `unit` that reads `reads` and writes
  // `writes` (bit masks of Store). Reads wait for earlier writes; writes wait for earlier
  // reads and, except in the accumulator, for earlier writes: the accumulator merges the
  // partial sums of concurrent crossbars in whatever order they arrive.
  int64_t earliest_start(int unit, int64_t issue, uint32_t reads, uint32_t writes) const;

  // Records a command that occupies `unit` for [start, unit_until) and whose effects on
  // storage are complete at `end`.
  void commit(int unit, int64_t start, int64_t unit_until, int64_t end, uint32_t reads,
              uint32_t writes);

  int64_t unit_free(int unit) const { return unit_free_[unit]; }
  int64_t all_done() const;  // every unit idle and every effect complete

  // Busy time: cycles in which at least one unit works. `settle(t)` counts what ended by t;
  // call it with non-decreasing issue times.
  void settle(int64_t issue);
  int64_t busy_cycles() const { return busy_; }
  void finish() { settle(INT64_MAX / 4); }

 private:
  std::vector<int64_t> unit_free_;
  std::array<int64_t, static_cast<int>(Store::kCount)> write_done_{};
  std::array<int64_t, static_cast<int>(Store::kCount)> read_done_{};
  void add_busy(int64_t start, int64_t end);

  // Busy time not yet counted, as disjoint intervals start -> end. Back-to-back work on a
  // unit merges into one interval, so this stays small even when a unit falls far behind.
  std::map<int64_t, int64_t> open_;
  int64_t busy_ = 0;
};

}  // namespace imc::models
