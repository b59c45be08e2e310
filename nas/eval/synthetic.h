// The synthetic evaluator: a deterministic analytic stand-in for train -> imcc -> imcsim,
// so the search machinery (algorithms, workers, database, resume, MPI) is tested in seconds.
#pragma once
#include "nas/eval/candidate.h"

namespace imc::nas {
EvalResult evaluate_synthetic(const EvalJob& job);
}  // namespace imc::nas
