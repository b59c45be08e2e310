#include "nas/search/tpe.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imc::nas {

TpeSampler::TpeSampler(std::vector<int64_t> cardinalities, TpeOptions options, uint64_t seed)
    : cards_(std::move(cardinalities)), opt_(options), rng_(seed) {}

void TpeSampler::observe(std::vector<int64_t> x, double score) {
  xs_.push_back(std::move(x));
  scores_.push_back(score);
}

std::vector<int64_t> TpeSampler::uniform() {
  std::vector<int64_t> x(cards_.size());
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = std::uniform_int_distribution<int64_t>(0, cards_[i] - 1)(rng_);
  return x;
}

std::vector<std::vector<double>> TpeSampler::density(const std::vector<size_t>& which) const {
  std::vector<std::vector<double>> d(cards_.size());
  for (size_t g = 0; g < cards_.size(); ++g) {
    const double k = double(cards_[g]);
    d[g].assign(size_t(cards_[g]), opt_.prior / k);  // the prior spreads its weight evenly
    for (size_t i : which) d[g][size_t(xs_[i][g])] += 1;
    for (double& p : d[g]) p /= double(which.size()) + opt_.prior;
  }
  return d;
}

std::vector<int64_t> TpeSampler::propose(
    const std::function<bool(const std::vector<int64_t>&)>& taken) {
  auto fresh_uniform = [&] {
    std::vector<int64_t> x = uniform();
    for (int tries = 0; tries < 100 && taken(x); ++tries) x = uniform();
    return x;
  };
  if (xs_.size() < size_t(std::max(opt_.startup, 2))) return fresh_uniform();

  // Best first; equal scores keep observation order, so the split is deterministic.
  std::vector<size_t> order(xs_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores_[a] > scores_[b]; });
  const size_t n_good = std::clamp<size_t>(size_t(std::ceil(opt_.gamma * double(xs_.size()))), 1,
                                           size_t(opt_.max_good));
  const std::vector<size_t> good(order.begin(), order.begin() + long(n_good));
  const std::vector<size_t> bad(order.begin() + long(n_good), order.end());
  const auto l = density(good), g = density(bad);

  std::vector<int64_t> best;
  double best_score = -INFINITY;
  for (int s = 0; s < opt_.samples; ++s) {
    std::vector<int64_t> x(cards_.size());
    double score = 0;
    for (size_t gene = 0; gene < cards_.size(); ++gene) {
      std::discrete_distribution<int64_t> pick(l[gene].begin(), l[gene].end());
      x[gene] = pick(rng_);
      score += std::log(l[gene][size_t(x[gene])]) - std::log(g[gene][size_t(x[gene])]);
    }
    if (score > best_score && !taken(x)) best = x, best_score = score;
  }
  return best.empty() ? fresh_uniform() : best;
}

}  // namespace imc::nas
