#include "hw/isa/batch_layout.h"

#include <algorithm>
#include <vector>

namespace imc::isa {

namespace {

std::vector<const TensorDecl*> tensors_of(const Program& p) {
  std::vector<const TensorDecl*> t;
  for (const TensorDecl& d : p.inputs) t.push_back(&d);
  for (const TensorDecl& d : p.outputs) t.push_back(&d);
  return t;
}

}  // namespace

int64_t batch_end(const TensorDecl& d, int64_t n) {
  return d.gb_addr + (n - 1) * d.stride + d.bytes();
}

std::optional<TensorOverlap> first_overlap(const Program& p, int64_t n) {
  const std::vector<const TensorDecl*> t = tensors_of(p);
  for (size_t i = 0; i < t.size(); ++i) {
    for (size_t j = i + 1; j < t.size(); ++j) {
      if (t[i]->gb_addr >= batch_end(*t[j], n) || t[j]->gb_addr >= batch_end(*t[i], n)) continue;
      TensorOverlap o;
      o.low = t[i]->gb_addr <= t[j]->gb_addr ? t[i] : t[j];
      o.high = o.low == t[i] ? t[j] : t[i];
      const int64_t size = o.low->bytes();
      o.fit =
          o.low->stride > 0
              ? std::max<int64_t>(0, (o.high->gb_addr - o.low->gb_addr - size) / o.low->stride + 1)
              : 0;
      return o;
    }
  }
  return std::nullopt;
}

int64_t max_batch(const Program& p, int64_t capacity_bytes) {
  const std::vector<const TensorDecl*> t = tensors_of(p);
  auto fits = [&](int64_t n) {
    for (const TensorDecl* d : t)
      if (batch_end(*d, n) > capacity_bytes) return false;
    return !first_overlap(p, n);
  };
  // Both conditions only get worse with n: bisect.
  int64_t lo = 1, hi = int64_t(1) << 30;
  if (!fits(lo)) return 1;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

}  // namespace imc::isa
