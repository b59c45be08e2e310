// How a batch of inferences lays out in the global buffer: inference n of a tensor lives at
// gb_addr + n * stride. imcsim refuses a batch whose tensors leave the buffer or overlap (an
// output running over a later input would silently compute on garbage); imcnas sizes its
// imcsim runs with the same rule.
#pragma once

#include <cstdint>
#include <optional>

#include "hw/isa/program.h"

namespace imc::isa {

// One past the last byte tensor d uses for a batch of n inferences.
int64_t batch_end(const TensorDecl& d, int64_t n);

// The first two tensors (inputs, then outputs, in declaration order) whose batch spans
// overlap: `low` starts first; `fit` is how many inferences of `low` fit below `high`.
struct TensorOverlap {
  const TensorDecl* low = nullptr;
  const TensorDecl* high = nullptr;
  int64_t fit = 0;
};
std::optional<TensorOverlap> first_overlap(const Program& p, int64_t n);

// The largest batch (at least 1) whose tensors fit `capacity_bytes` without overlapping.
int64_t max_batch(const Program& p, int64_t capacity_bytes);

}  // namespace imc::isa
