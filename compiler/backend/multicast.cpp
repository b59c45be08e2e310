#include "compiler/backend/multicast.h"

#include <algorithm>

namespace imc::compiler {

std::vector<Packet> multicast_packets(const std::vector<Wanted>& wanted) {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const Wanted& w : wanted)
    for (const Rows& r : w.rows)
      if (!r.empty()) lo = std::min(lo, r.lo), hi = std::max(hi, r.hi);
  std::vector<Packet> out;
  std::vector<size_t> open;  // packets that end at the previous row
  for (int64_t y = lo; y < hi; ++y) {
    std::vector<const Part*> readers;
    for (const Wanted& w : wanted)
      if (std::any_of(w.rows.begin(), w.rows.end(),
                      [&](const Rows& r) { return y >= r.lo && y < r.hi; }))
        readers.push_back(w.part);
    std::stable_sort(readers.begin(), readers.end(),
                     [](const Part* a, const Part* b) { return a->tile < b->tile; });
    std::vector<size_t> now;
    for (size_t k = 0; k < readers.size();) {
      std::vector<const Part*> group{readers[k++]};
      while (k < readers.size() && readers[k]->tile - group[0]->tile <= 32)
        group.push_back(readers[k++]);
      const auto same =
          std::find_if(open.begin(), open.end(), [&](size_t i) { return out[i].to == group; });
      if (same != open.end()) {
        ++out[*same].rows.hi;
        now.push_back(*same);
      } else {
        out.push_back({{y, y + 1}, group});
        now.push_back(out.size() - 1);
      }
    }
    open = now;
  }
  return out;
}

uint32_t mcast_mask(const Packet& k) {
  uint32_t mask = 0;
  for (size_t j = 1; j < k.to.size(); ++j) mask |= 1u << (k.to[j]->tile - k.to[0]->tile - 1);
  return mask;
}

}  // namespace imc::compiler
