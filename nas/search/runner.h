// Turns the algorithms' proposals into stored candidates: each proposal is looked up in the
// database by (search, genome, fidelity, seed) first, so a resumed search replays what is
// there and evaluates only the rest; repeats within a batch are evaluated once; genomes that
// cannot be built (check_net) or overrides the arch file refuses fail at once without a
// child; the rest go to the worker pool and are stored as each finishes.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nas/genome/space.h"
#include "nas/search/pool.h"
#include "nas/search/progress.h"
#include "nas/search/settings.h"
#include "nas/store/store.h"

namespace imc::nas {

struct SearchContext {
  SearchSettings settings;
  const SearchSpace& space;
  Fidelity fidelity;
  Store& store;
  SearchRecord search;
  WorkerPool& pool;
  Progress& progress;
  std::string work_root;  // scratch directories of this search's candidates
};

class CandidateRunner {
 public:
  explicit CandidateRunner(const SearchContext& ctx) : ctx_(ctx) {}

  // One record per proposal, in order.
  std::vector<CandidateRecord> evaluate(const std::vector<Genome>& batch);

  int64_t proposed() const { return proposed_; }
  int64_t remaining() const { return ctx_.settings.budget - proposed_; }
  const SearchContext& context() const { return ctx_; }

  // Ok and inside the constraints.
  bool feasible(const CandidateRecord& c) const;

 private:
  std::string precheck(const Genome& g);  // why it cannot be evaluated, or ""
  EvalJob job_for(const Genome& g, const CandidateRecord& c) const;

  const SearchContext& ctx_;
  int64_t proposed_ = 0;
  std::map<std::string, std::string> arch_checks_;  // overrides -> what the arch file says
};

}  // namespace imc::nas
