#include "hw/models/link_calendar.h"

#include <algorithm>
#include <iterator>

namespace imc::models {

int64_t LinkCalendar::reserve(int64_t earliest, int64_t cycles) {
  int64_t start = earliest;
  auto it = busy_.upper_bound(earliest);
  if (it != busy_.begin()) start = std::max(start, std::prev(it)->second);
  for (; it != busy_.end() && it->first < start + cycles; ++it) start = std::max(start, it->second);
  if (cycles <= 0) return start;
  // Insert [start, end), merged with the intervals it touches.
  int64_t begin = start, end = start + cycles;
  auto next = busy_.lower_bound(begin);
  if (next != busy_.begin() && std::prev(next)->second == begin) {
    begin = std::prev(next)->first;
    busy_.erase(std::prev(next));
  }
  if (next != busy_.end() && next->first == end) {
    end = next->second;
    busy_.erase(next);
  }
  busy_.emplace(begin, end);
  return start;
}

void LinkCalendar::forget_until(int64_t cycle) {
  while (!busy_.empty() && busy_.begin()->second <= cycle) busy_.erase(busy_.begin());
}

}  // namespace imc::models
