// Longest processing time first: the MVMs of one loop iteration, the costliest first, each onto
// the copy whose crossbar has the fewest busy cycles so far (ties: the copy the position goes
// round to, so that a balanced layout keeps its program). Kept only when it lowers the busiest
// crossbar's cycles.
#include "compiler/backend/copy_choice.h"

#include <algorithm>
#include <map>

namespace imc::compiler {

namespace {

struct Mvm {
  int bank, copy;
  size_t r, c;
};

double cycles_of(const Group& g, const std::vector<double>& cycles, const Mvm& m) {
  return cycles[(m.r - g.r0) * (g.c1 - g.c0) + m.c - g.c0];
}

std::vector<Mvm> iteration(const Group& g) {
  std::vector<Mvm> v;
  for (int b = 0; b < g.banks; ++b)
    for (int k = 0; k < g.replicas; ++k)
      for (size_t c = g.c0; c < g.c1; ++c)
        for (size_t r = g.r0; r < g.r1; ++r) v.push_back({b, k, r, c});
  return v;
}

}  // namespace

CopyChoice::CopyChoice(const Group& g, const std::vector<double>& cycles)
    : r0_(g.r0), c0_(g.c0), rows_(g.r1 - g.r0), cols_(g.c1 - g.c0), copies_(g.replicas) {
  if (g.replicas < 2) return;
  std::vector<Mvm> mvms = iteration(g);
  std::stable_sort(mvms.begin(), mvms.end(), [&](const Mvm& a, const Mvm& b) {
    return cycles_of(g, cycles, a) > cycles_of(g, cycles, b);
  });
  std::map<int, double> busy;  // crossbar -> cycles
  std::vector<int> chosen(static_cast<size_t>(g.banks) * copies_ * rows_ * cols_);
  for (const Mvm& m : mvms) {
    int best = m.copy;
    double best_busy = busy[g.region(m.copy, m.r, m.c).xb];
    for (int k = 0; k < g.replicas; ++k) {
      const double b = busy[g.region(k, m.r, m.c).xb];
      if (b < best_busy) best = k, best_busy = b;
    }
    busy[g.region(best, m.r, m.c).xb] += cycles_of(g, cycles, m);
    chosen[((static_cast<size_t>(m.bank) * copies_ + m.copy) * rows_ + m.r - r0_) * cols_ + m.c -
           c0_] = best;
  }
  CopyChoice balanced = *this;
  balanced.copy_ = std::move(chosen);
  if (busiest_crossbar_cycles(g, cycles, balanced) < busiest_crossbar_cycles(g, cycles, *this))
    *this = std::move(balanced);
}

int CopyChoice::of(int bank, int copy, size_t r, size_t c) const {
  if (copy_.empty()) return copy;
  return copy_[((static_cast<size_t>(bank) * copies_ + copy) * rows_ + r - r0_) * cols_ + c - c0_];
}

double busiest_crossbar_cycles(const Group& g, const std::vector<double>& cycles,
                               const CopyChoice& choice) {
  std::map<int, double> busy;
  double most = 0;
  for (const Mvm& m : iteration(g)) {
    double& b = busy[g.region(choice.of(m.bank, m.copy, m.r, m.c), m.r, m.c).xb];
    b += cycles_of(g, cycles, m);
    most = std::max(most, b);
  }
  return most;
}

}  // namespace imc::compiler
