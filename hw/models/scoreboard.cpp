#include "hw/models/scoreboard.h"

#include <algorithm>
#include <limits>

namespace imc::models {

namespace {
constexpr int kStores = static_cast<int>(Store::kCount);
constexpr int kAcc = static_cast<int>(Store::kAcc);
// A whole store: wider than any buffer or accumulator.
constexpr int64_t kWholeLo = std::numeric_limits<int64_t>::min() / 4;
constexpr int64_t kWholeHi = std::numeric_limits<int64_t>::max() / 4;
}  // namespace

Touch::Touch(uint32_t stores) {
  for (int s = 0; s < kStores; ++s)
    if (stores & (1u << s)) add(static_cast<Store>(s), kWholeLo, kWholeHi);
}

Touch& Touch::add(Store s, int64_t lo, int64_t hi) {
  if (hi <= lo) return *this;
  for (int k = 0; k < n_; ++k) {
    Span& x = spans_[k];
    if (x.store == s) {  // one span per store: the hull (never less than what is touched)
      x.lo = std::min(x.lo, lo);
      x.hi = std::max(x.hi, hi);
      return *this;
    }
  }
  spans_[n_++] = {s, lo, hi};
  return *this;
}

int64_t Scoreboard::latest(const Timeline& t, int64_t lo, int64_t hi) {
  int64_t m = 0;
  auto it = t.upper_bound(lo);
  if (it != t.begin()) --it;
  for (; it != t.end() && it->first < hi; ++it)
    if (it->second.first > lo) m = std::max(m, it->second.second);
  return m;
}

void Scoreboard::extend(Timeline& t, int64_t lo, int64_t hi, int64_t end) {
  // Split the intervals that straddle lo or hi, so that [lo, hi) is covered by whole ones.
  auto split = [&](int64_t at) {
    auto it = t.upper_bound(at);
    if (it == t.begin()) return;
    --it;
    if (it->first < at && it->second.first > at) {
      t.emplace(at, it->second);
      it->second.first = at;
    }
  };
  split(lo);
  split(hi);
  int64_t at = lo;
  for (auto it = t.lower_bound(lo); at < hi;) {
    if (it == t.end() || it->first > at) {  // a gap: a new interval up to the next one
      const int64_t to = it == t.end() ? hi : std::min(hi, it->first);
      t.emplace_hint(it, at, std::make_pair(to, end));
      at = to;
    } else {
      it->second.second = std::max(it->second.second, end);
      at = it->second.first;
      ++it;
    }
  }
}

void Scoreboard::drop_before(Timeline& t, int64_t issue) {
  for (auto it = t.begin(); it != t.end();) it = it->second.second <= issue ? t.erase(it) : ++it;
}

int64_t Scoreboard::earliest_start(int unit, int64_t issue, const Touch& reads,
                                   const Touch& writes) const {
  int64_t t = std::max(issue, unit_free_[unit]);
  for (const Touch::Span& r : reads) {
    const int s = static_cast<int>(r.store);
    t = std::max(t, latest(writes_[s], r.lo, r.hi));
  }
  for (const Touch::Span& w : writes) {
    const int s = static_cast<int>(w.store);
    t = std::max(t, latest(reads_[s], w.lo, w.hi));
    if (s != kAcc) t = std::max(t, latest(writes_[s], w.lo, w.hi));
  }
  return t;
}

void Scoreboard::commit(int unit, int64_t start, int64_t unit_until, int64_t end,
                        const Touch& reads, const Touch& writes) {
  unit_free_[unit] = std::max(unit_free_[unit], unit_until);
  for (const Touch::Span& r : reads) {
    const int s = static_cast<int>(r.store);
    extend(reads_[s], r.lo, r.hi, end);
    read_done_[s] = std::max(read_done_[s], end);
  }
  for (const Touch::Span& w : writes) {
    const int s = static_cast<int>(w.store);
    extend(writes_[s], w.lo, w.hi, end);
    write_done_[s] = std::max(write_done_[s], end);
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
  // Storage accesses that ended by `issue` can no longer delay a command issued from now on;
  // drop them when the timelines have doubled since the last time (amortised linear).
  size_t size = 0;
  for (int s = 0; s < kStores; ++s) size += reads_[s].size() + writes_[s].size();
  if (size > 2 * pruned_size_ + 16) {
    for (int s = 0; s < kStores; ++s) {
      drop_before(reads_[s], issue);
      drop_before(writes_[s], issue);
    }
    pruned_size_ = 0;
    for (int s = 0; s < kStores; ++s) pruned_size_ += reads_[s].size() + writes_[s].size();
  }
}

}  // namespace imc::models
