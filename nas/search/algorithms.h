// The search algorithms. Each proposes genomes in batches through a CandidateRunner until
// the budget of proposals is spent; each is deterministic given the seed and the results it
// sees, so a resumed search re-proposes exactly what the interrupted one did.
#pragma once
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "nas/search/runner.h"

namespace imc::nas {

void run_random(CandidateRunner& runner);  // uniform over the gene vectors, no repeats
void run_nsga2(CandidateRunner& runner);   // pagmo::nsga2, one generation per batch
void run_tpe(CandidateRunner& runner);     // tree-structured Parzen estimator (tpe.h)

// Uniform gene vector.
std::vector<int64_t> random_genes(const SearchSpace& space, std::mt19937_64& rng);

// The scalar fitness of TPE (higher is better): accuracy, accuracy/latency or accuracy/energy
// from --objectives accuracy[,latency|energy]; -infinity when the candidate failed or breaks
// a constraint. Throws arch::InputError for other objective lists.
double scalar_fitness(const std::vector<Metric>& objectives,
                      const std::vector<Constraint>& constraints, const CandidateRecord& c);
void check_scalar_objectives(const std::vector<Metric>& objectives);

}  // namespace imc::nas
