// Evaluating one candidate end to end (the "full" evaluator): train it with libtorch, export
// ONNX, compile with imcc for the arch file plus the genome's overrides, run imcsim on the
// held-out test images (Monte-Carlo over variation seeds when the chip has variation), and
// measure accuracy on the simulated chip, cycles and energy per image, crossbars and tiles.
#pragma once
#include <stdexcept>
#include "nas/eval/candidate.h"

namespace imc::nas {

// A problem with the job itself (missing data set, unreadable arch file): not the
// candidate's fault, so the search should stop instead of failing every candidate.
class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Candidate-specific failures (does not fit, unsupported, diverged, imcsim failed) come back
// as EvalResult{ok = false, failure = reason}. Throws SetupError for setup problems.
EvalResult evaluate_full(const EvalJob& job);

}  // namespace imc::nas
