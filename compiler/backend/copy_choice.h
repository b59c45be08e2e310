// Which copy of each block a loop iteration's MVMs read. A tile holding several copies of a
// group's blocks gives each position of a loop iteration its own copy and accumulator range,
// so their MVMs overlap; but copies packed onto the crossbars a copy of other blocks left free
// share crossbars, and going round the copies equally then loads those crossbars more
// (rram4x4's bnn_cnn: 12 regions on 8 crossbars, four of them holding two). Any copy of a block
// computes the same sums, so each MVM may read whichever copy's crossbar is least busy.
#pragma once

#include <vector>

#include "compiler/backend/plan.h"

namespace imc::compiler {

class CopyChoice {
 public:
  // Copy `copy` everywhere: what position k of an iteration reads when choosing gains nothing.
  CopyChoice() = default;
  // `cycles[(r - g.r0) * (g.c1 - g.c0) + c - g.c0]`: how long an MVM of block (r, c) keeps its
  // crossbar busy.
  CopyChoice(const Group& g, const std::vector<double>& cycles);

  // The copy the MVM of block (r, c) reads for the position of bank `bank` that goes round
  // the copies as copy `copy`.
  int of(int bank, int copy, size_t r, size_t c) const;
  bool chosen() const { return !copy_.empty(); }

 private:
  size_t r0_ = 0, c0_ = 0, rows_ = 0, cols_ = 0;
  int copies_ = 1;
  std::vector<int> copy_;  // [((bank * copies + copy) * rows + r - r0) * cols + c - c0]
};

// The busiest crossbar's busy cycles per loop iteration (every bank's positions, one per
// copy) when the MVMs read the copies `choice` names.
double busiest_crossbar_cycles(const Group& g, const std::vector<double>& cycles,
                               const CopyChoice& choice);

}  // namespace imc::compiler
