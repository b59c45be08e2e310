// TPE on the seed paper's scalar fitness functions: accuracy, accuracy/latency or
// accuracy/energy.
#include <cmath>

#include "hw/arch/load.h"
#include "nas/search/algorithms.h"
#include "nas/search/tpe.h"

namespace imc::nas {

void check_scalar_objectives(const std::vector<Metric>& objectives) {
  const bool ok =
      !objectives.empty() && objectives[0] == Metric::kAccuracy &&
      (objectives.size() == 1 || (objectives.size() == 2 && (objectives[1] == Metric::kLatency ||
                                                             objectives[1] == Metric::kEnergy)));
  if (!ok)
    throw arch::InputError(
        "--algo tpe optimises accuracy, accuracy/latency or accuracy/energy: "
        "--objectives accuracy, accuracy,latency or accuracy,energy (got " +
        objectives_text(objectives) + ")");
}

double scalar_fitness(const std::vector<Metric>& objectives,
                      const std::vector<Constraint>& constraints, const CandidateRecord& c) {
  if (!c.ok() || violation(constraints, c.metrics) > 0) return -INFINITY;
  double f = c.metrics.accuracy;
  if (objectives.size() == 2) f /= std::max(metric_value(objectives[1], c.metrics), 1e-300);
  return f;
}

void run_tpe(CandidateRunner& runner) {
  const SearchContext& ctx = runner.context();
  const SearchSettings& s = ctx.settings;
  check_scalar_objectives(s.objectives);
  std::vector<int64_t> cards;
  for (size_t g = 0; g < ctx.space.size(); ++g) cards.push_back(ctx.space.upper_bound(g) + 1);
  TpeOptions options;
  options.startup = s.tpe_startup;
  TpeSampler sampler(cards, options, s.seed);
  std::set<std::string> proposed;
  auto taken = [&](const std::vector<int64_t>& x) {
    return proposed.count(genome_to_json(ctx.space.decode(x))) > 0;
  };
  while (runner.remaining() > 0) {
    const int64_t n = std::min<int64_t>(s.batch, runner.remaining());
    std::vector<std::vector<int64_t>> xs;
    std::vector<Genome> batch;
    for (int64_t k = 0; k < n; ++k) {
      xs.push_back(sampler.propose(taken));
      batch.push_back(ctx.space.decode(xs.back()));
      proposed.insert(genome_to_json(batch.back()));
    }
    const std::vector<CandidateRecord> records = runner.evaluate(batch);
    for (size_t k = 0; k < records.size(); ++k)
      sampler.observe(xs[k], scalar_fitness(s.objectives, s.constraints, records[k]));
  }
}

}  // namespace imc::nas
