// NSGA-II from pagmo2 over the integer genes. The problem's batch_fitness hands a whole
// generation to the CandidateRunner, which farms it out to the workers (pagmo's member_bfe);
// pagmo itself stays single-threaded and deterministic given its seed.
#include <cmath>

#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/batch_evaluators/member_bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

#include "hw/arch/load.h"
#include "nas/search/algorithms.h"
#include "nas/search/pareto.h"

namespace imc::nas {
namespace {

// Fitness of failed and infeasible candidates: worse than any real value, and infeasible
// ones ranked by how far outside the constraints they are, so the search can climb back.
constexpr double kPenaltyAccuracy = 2, kPenaltyLog = 40, kFailed = 1000;

// Minimised objectives in the scale NSGA-II works in: 1 - accuracy, log10 of the costs.
// (A monotone change does not alter dominance; it only spreads the crowding distance evenly
// over orders of magnitude.)
pagmo::vector_double fitness_of(const CandidateRunner& runner, const CandidateRecord& c) {
  const SearchSettings& s = runner.context().settings;
  const double v = c.ok() ? violation(s.constraints, c.metrics) : kFailed;
  pagmo::vector_double f;
  for (Metric o : s.objectives) {
    const bool accuracy = o == Metric::kAccuracy;
    if (v > 0) {
      f.push_back((accuracy ? kPenaltyAccuracy : kPenaltyLog) + v);
    } else {
      f.push_back(scaled(o, c.metrics));
    }
  }
  return f;
}

struct GenomeProblem {
  CandidateRunner* runner = nullptr;
  std::vector<size_t> free;  // genes with more than one value (pagmo refuses lb == ub)
  size_t nobj = 2;

  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return batch_fitness(x); }

  pagmo::vector_double batch_fitness(const pagmo::vector_double& dvs) const {
    const SearchSpace& space = runner->context().space;
    std::vector<Genome> batch;
    for (size_t at = 0; at < dvs.size(); at += free.size()) {
      std::vector<int64_t> genes(space.size(), 0);
      for (size_t k = 0; k < free.size(); ++k) genes[free[k]] = std::llround(dvs[at + k]);
      batch.push_back(space.decode(genes));
    }
    pagmo::vector_double out;
    for (const CandidateRecord& c : runner->evaluate(batch)) {
      const pagmo::vector_double f = fitness_of(*runner, c);
      out.insert(out.end(), f.begin(), f.end());
    }
    return out;
  }

  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    pagmo::vector_double lb(free.size(), 0), ub;
    for (size_t g : free) ub.push_back(double(runner->context().space.upper_bound(g)));
    return {lb, ub};
  }
  pagmo::vector_double::size_type get_nobj() const { return nobj; }
  pagmo::vector_double::size_type get_nix() const { return free.size(); }
  std::string get_name() const { return "imcnas genome"; }
};

}  // namespace

void run_nsga2(CandidateRunner& runner) {
  const SearchContext& ctx = runner.context();
  const SearchSettings& s = ctx.settings;
  GenomeProblem udp;
  udp.runner = &runner;
  udp.nobj = s.objectives.size();
  for (size_t g = 0; g < ctx.space.size(); ++g) {
    if (ctx.space.upper_bound(g) > 0) udp.free.push_back(g);
  }
  if (udp.free.empty()) throw arch::InputError(ctx.space.file + ": the space has one genome only");
  const pagmo::problem prob{udp};
  const pagmo::bfe bfe{pagmo::member_bfe{}};
  const auto seed = unsigned(s.seed);
  // Integer genes: two-point crossover and uniform re-draws (pagmo's integer operators);
  // one mutated gene per child on average.
  pagmo::nsga2 algo(1u, 0.9, 10., 1.0 / double(udp.free.size()), 50., seed);
  algo.set_bfe(bfe);
  pagmo::population pop(prob, bfe, pagmo::population::size_type(s.population), seed);
  while (runner.remaining() >= s.population) pop = algo.evolve(pop);
}

}  // namespace imc::nas
