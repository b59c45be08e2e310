// A tree-structured Parzen estimator (Bergstra et al., NIPS 2011) over categorical genes:
// the observations are split into the best fraction gamma ("good") and the rest ("bad"); each
// gene gets a smoothed categorical density l(v) from the good ones and g(v) from the bad;
// candidates are drawn from l and the one maximising prod l(v)/g(v) is proposed (it maximises
// expected improvement under the model). Genes are treated as independent, as in hyperopt's
// TPE. The first `startup` proposals are uniform.
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace imc::nas {

struct TpeOptions {
  int startup = 16;     // uniform proposals before the model is used
  double gamma = 0.25;  // fraction of observations counted as good
  int max_good = 25;    // at most this many good ones (hyperopt's cap)
  int samples = 24;     // candidates drawn from l per proposal
  double prior = 1.0;   // weight of the uniform prior in each density
};

class TpeSampler {
 public:
  TpeSampler(std::vector<int64_t> cardinalities, TpeOptions options, uint64_t seed);

  // score: higher is better; -infinity for failed or infeasible candidates.
  void observe(std::vector<int64_t> x, double score);

  // The next gene vector. `taken(x)` says whether x (its genome) was proposed before; taken
  // vectors are avoided while an untaken one can be found.
  std::vector<int64_t> propose(const std::function<bool(const std::vector<int64_t>&)>& taken);

  size_t observations() const { return xs_.size(); }

 private:
  std::vector<int64_t> uniform();
  // Per gene, per value: the smoothed density of the given observations.
  std::vector<std::vector<double>> density(const std::vector<size_t>& which) const;

  std::vector<int64_t> cards_;
  TpeOptions opt_;
  std::mt19937_64 rng_;
  std::vector<std::vector<int64_t>> xs_;
  std::vector<double> scores_;
};

}  // namespace imc::nas
