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
  if (end > start) open_.emplace_back(start, end);
}

int64_t Scoreboard::all_done() const {
  int64_t t = 0;
  for (int64_t u : unit_free_) t = std::max(t, u);
  for (int s = 0; s < kStores; ++s) t = std::max({t, write_done_[s], read_done_[s]});
  return t;
}

void Scoreboard::settle(int64_t issue) {
  // Everything before `issue` is final: count the union of that part, keep the rest open.
  if (open_.empty()) return;
  auto& before = scratch_before_;
  auto& after = scratch_after_;
  before.clear();
  after.clear();
  for (const auto& [s, e] : open_) {
    if (s < issue) before.emplace_back(s, std::min(e, issue));
    if (e > issue) after.emplace_back(std::max(s, issue), e);
  }
  if (before.empty()) return;
  std::sort(before.begin(), before.end());
  int64_t covered_to = before.front().first;
  for (const auto& [s, e] : before) {
    const int64_t lo = std::max(s, covered_to);
    if (e > lo) busy_ += e - lo;
    covered_to = std::max(covered_to, e);
  }
  open_.swap(after);
}

}  // namespace imc::models
