// The TPE sampler on a toy problem with a known optimum.
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>

#include "nas/search/tpe.h"

namespace imc::nas {
namespace {

// 8 genes of 6 values; the score rewards value 4 in every gene (optimum 8).
double toy(const std::vector<int64_t>& x) {
  double s = 0;
  for (int64_t v : x) s += v == 4 ? 1 : v == 3 || v == 5 ? 0.4 : 0;
  return s;
}

// Best score after `budget` proposals in batches of 4.
double best_after(uint64_t seed, int budget, bool model, std::vector<std::vector<int64_t>>* seen) {
  TpeOptions o;
  o.startup = model ? 12 : budget;  // without the model: uniform all along
  TpeSampler tpe(std::vector<int64_t>(8, 6), o, seed);
  std::set<std::vector<int64_t>> taken;
  double best = -1;
  for (int done = 0; done < budget; done += 4) {
    std::vector<std::vector<int64_t>> batch;
    for (int k = 0; k < 4; ++k) {
      batch.push_back(
          tpe.propose([&](const std::vector<int64_t>& x) { return taken.count(x) > 0; }));
      taken.insert(batch.back());
      if (seen) seen->push_back(batch.back());
    }
    for (const auto& x : batch) {
      tpe.observe(x, toy(x));
      best = std::max(best, toy(x));
    }
  }
  return best;
}

TEST(Tpe, BeatsUniformSamplingAtEqualBudget) {
  double tpe = 0, uniform = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    tpe += best_after(seed, 80, true, nullptr);
    uniform += best_after(seed, 80, false, nullptr);
  }
  EXPECT_GT(tpe, uniform + 6 * 1.0) << "mean best: TPE " << tpe / 6 << ", uniform " << uniform / 6;
}

TEST(Tpe, SameSeedSameProposalsAndNoRepeats) {
  std::vector<std::vector<int64_t>> a, b;
  best_after(9, 60, true, &a);
  best_after(9, 60, true, &b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::set<std::vector<int64_t>>(a.begin(), a.end()).size(), a.size());
}

TEST(Tpe, FailedCandidatesAreAvoided) {
  // Gene 0 = 0 always fails (-infinity); the other genes score. After the uniform start the
  // model should rarely propose gene 0 = 0 (a quarter of uniform proposals would).
  TpeOptions o;
  o.startup = 16;
  TpeSampler tpe({4, 4, 4, 4}, o, 5);
  std::set<std::vector<int64_t>> taken;
  int model = 0, failing = 0;
  for (int i = 0; i < 64; ++i) {
    const auto x = tpe.propose([&](const std::vector<int64_t>& v) { return taken.count(v) > 0; });
    taken.insert(x);
    tpe.observe(x, x[0] == 0 ? -INFINITY : double(x[1] + x[2] + x[3]));
    if (i >= o.startup) ++model, failing += x[0] == 0;
  }
  EXPECT_LT(failing, model / 8) << failing << " of " << model;
}

}  // namespace
}  // namespace imc::nas
