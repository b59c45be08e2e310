// Timing of one tile: commands issue in order, each starts when its functional unit is free
// and the storage it touches is ready, and completes out of order. Plain C++, no kernel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace imc::models {

enum class Store : int { kIbuf, kObuf, kAcc, kCount };
constexpr uint32_t bit(Store s) {
  return 1u << static_cast<int>(s);
}

// The storage a command reads or writes: spans [lo, hi) of bytes (buffers) or entries (acc).
// Built from a bit mask of Stores it means those stores whole (the conservative default).
class Touch {
 public:
  struct Span {
    Store store;
    int64_t lo, hi;
  };
  Touch() = default;
  Touch(uint32_t stores);  // NOLINT: implicit on purpose, a mask means whole stores
  Touch& add(Store s, int64_t lo, int64_t hi);
  const Span* begin() const { return spans_.data(); }
  const Span* end() const { return spans_.data() + n_; }

 private:
  std::array<Span, 4> spans_{};
  int n_ = 0;
};

class Scoreboard {
 public:
  explicit Scoreboard(int units) : unit_free_(units, 0) {}

  // Earliest start of a command issued at `issue` on `unit` that reads `reads` and writes
  // `writes`. Reads wait for earlier writes of overlapping spans; writes wait for earlier
  // reads of overlapping spans and, except in the accumulator, for earlier writes: the
  // accumulator merges the partial sums of concurrent crossbars in whatever order they arrive.
  int64_t earliest_start(int unit, int64_t issue, const Touch& reads, const Touch& writes) const;

  // Records a command that occupies `unit` for [start, unit_until) and whose effects on
  // storage are complete at `end`.
  void commit(int unit, int64_t start, int64_t unit_until, int64_t end, const Touch& reads,
              const Touch& writes);

  int64_t unit_free(int unit) const { return unit_free_[unit]; }
  int64_t all_done() const;  // every unit idle and every effect complete

  // Busy time: cycles in which at least one unit works. `settle(t)` counts what ended by t;
  // call it with non-decreasing issue times.
  void settle(int64_t issue);
  int64_t busy_cycles() const { return busy_; }
  void finish() { settle(INT64_MAX / 4); }

 private:
  // Per store, when each address is free of earlier accesses: disjoint intervals
  // lo -> (hi, end). Intervals that ended by the current issue time can no longer delay
  // anything and are dropped from time to time, so the maps hold what is in flight.
  using Timeline = std::map<int64_t, std::pair<int64_t, int64_t>>;
  static int64_t latest(const Timeline& t, int64_t lo, int64_t hi);
  static void extend(Timeline& t, int64_t lo, int64_t hi, int64_t end);
  static void drop_before(Timeline& t, int64_t issue);

  std::vector<int64_t> unit_free_;
  std::array<Timeline, static_cast<int>(Store::kCount)> reads_, writes_;
  std::array<int64_t, static_cast<int>(Store::kCount)> write_done_{};
  std::array<int64_t, static_cast<int>(Store::kCount)> read_done_{};
  size_t pruned_size_ = 0;  // timeline entries after the last drop
  void add_busy(int64_t start, int64_t end);

  // Busy time not yet counted, as disjoint intervals start -> end. Back-to-back work on a
  // unit merges into one interval, so this stays small even when a unit falls far behind.
  std::map<int64_t, int64_t> open_;
  int64_t busy_ = 0;
};

}  // namespace imc::models
