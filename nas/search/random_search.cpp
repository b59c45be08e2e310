// Random search: the baseline every other algorithm has to beat.
#include "nas/search/algorithms.h"

namespace imc::nas {

std::vector<int64_t> random_genes(const SearchSpace& space, std::mt19937_64& rng) {
  std::vector<int64_t> x(space.size());
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = std::uniform_int_distribution<int64_t>(0, space.upper_bound(i))(rng);
  return x;
}

void run_random(CandidateRunner& runner) {
  const SearchContext& ctx = runner.context();
  std::mt19937_64 rng(ctx.settings.seed);
  std::set<std::string> seen;  // genomes proposed so far: draw again rather than repeat
  while (runner.remaining() > 0) {
    std::vector<Genome> batch;
    const int64_t n = std::min<int64_t>(ctx.settings.batch, runner.remaining());
    while (int64_t(batch.size()) < n) {
      Genome g = ctx.space.decode(random_genes(ctx.space, rng));
      // A small space may be exhausted: after enough tries, a repeat (served from the
      // database) is better than looping forever.
      for (int tries = 0; tries < 100 && seen.count(genome_to_json(g)); ++tries)
        g = ctx.space.decode(random_genes(ctx.space, rng));
      seen.insert(genome_to_json(g));
      batch.push_back(std::move(g));
    }
    runner.evaluate(batch);
  }
}

}  // namespace imc::nas
