#include "hw/models/scoreboard.h"

#include <algorithm>

namespace imc::models {

namespace {
constexpr int kStores = static_cast<int>(Store::kCount);
constexpr int kAcc = static_cast<int>(Store::kAcc);
}  // namespace

int64_t Scoreboard::earliest_start(int unit, int64_t issue, uint32_t reads, uint32_t writes) const {
  int64_t t = std::max(issue, unit_free_[unit]);
  for (int s = 0; s < kStores; ++s) {
    if (reads & (1u << s)) t = std::max(t, write_done_[s]);
    if (writes & (1u << s)) {
      t = std::max(t, read_done_[s]);
      if (s != kAcc) t = std::max(t, write_done_[s]);
    }
  }
  return t;
}

void Scoreboard::commit(int unit, int64_t start, int64_t unit_until, int64_t end, uint32_t reads,
                        uint32_t writes) {
  unit_free_[unit] = std::max(unit_free_[unit], unit_until);
  for (int s = 0; s < kStores; ++s) {
    if (reads & (1u << s)) read_done_[s] = std::max(read_done_[s], end);
    if (writes & (1u << s)) write_done_[s] = std::max(write_done_[s], end);
  }
  add_busy(start, end);
}

int64_t Scoreboard::all_done() const {
  int64_t t = 0;
  for (int64_t u : unit_free_) t = std::max(t, u);
  for (int s = 0; s < kStores; ++s) t = std::max({t, write_done_[s], read_done_[s]});
  return t;
}

void Scoreboard::add_busy(int64_t start, int64_t end) {
  if (end <= start) return;
  auto it = open_.upper_bound(start);
  if (it != open_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= start) {  // overlaps or touches the interval before: merge
      start = prev->first;
      end = std::max(end, prev->second);
      it = open_.erase(prev);
    }
  }
  while (it != open_.end() && it->first <= end) {
    end = std::max(end, it->second);
    it = open_.erase(it);
  }
  open_.emplace(start, end);
}

void Scoreboard::settle(int64_t issue) {
  // Intervals that ended by `issue` can no longer grow: count them and let them go.
  while (!open_.empty() && open_.begin()->second <= issue) {
    busy_ += open_.begin()->second - open_.begin()->first;
    open_.erase(open_.begin());
  }
}

}  // namespace imc::models
