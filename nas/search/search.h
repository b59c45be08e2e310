// One search from start to end: finds (or creates) its row in the database, runs the
// algorithm through a CandidateRunner, marks it done. Rerunning the same command resumes or,
// with a larger --budget, extends it; a command that would give other results (another
// space, arch file, algorithm, objectives, constraints, fidelity, seed, evaluator, data set,
// population or batch size) starts a new search in the same database (docs/nas.md).
#pragma once
#include <ostream>

#include "nas/genome/space.h"
#include "nas/search/pool.h"
#include "nas/search/settings.h"
#include "nas/store/store.h"

namespace imc::nas {

struct SearchSummary {
  SearchRecord search;
  int64_t proposals = 0, failed = 0, evaluated = 0, reused = 0;
};

// Checks the settings against the space and each other; throws arch::InputError.
void check_settings(const SearchSettings& s, const SearchSpace& space);

// The search's identity (SearchRecord::key) and settings (SearchRecord::config).
SearchRecord search_record(const SearchSettings& s, const SearchSpace& space);

// log: progress lines (null: quiet).
SearchSummary run_search(const SearchSettings& s, const SearchSpace& space, Store& store,
                         WorkerPool& pool, std::ostream* log);

}  // namespace imc::nas
