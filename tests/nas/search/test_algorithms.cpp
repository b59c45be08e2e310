// The algorithms on the synthetic evaluator, in this process: NSGA-II against random search
// at equal budget, determinism, resume from the database, failed candidates, TPE.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "hw/arch/load.h"
#include "nas/eval/synthetic.h"
#include "nas/search/pareto.h"
#include "nas/search/search.h"

namespace imc::nas {
namespace {

const std::string kDir = IMCSIM_SOURCE_DIR;

struct TempDir {
  TempDir() {
    std::string p = std::filesystem::temp_directory_path().string() + "/imcnas-algo-XXXXXX";
    dir = mkdtemp(p.data());
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return dir + "/" + name; }
  std::string dir;
};

struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }
  const char* name_;
};

SearchSettings settings(const std::string& algo, uint64_t seed, int64_t budget,
                        const std::string& db) {
  SearchSettings s;
  s.space_file = kDir + "/configs/nas/fashion_hw.yaml";
  s.arch_file = kDir + "/configs/rram4x4.yaml";
  s.db_file = db;
  s.algo = algo;
  s.seed = seed;
  s.budget = budget;
  s.evaluator = "synthetic";
  s.quiet = true;
  return s;
}

struct SearchRun {
  SearchSummary summary;
  std::vector<CandidateRecord> candidates;
  long evaluations = 0;
};

SearchRun run(const SearchSettings& s) {
  const SearchSpace space = read_space_file(s.space_file);
  Store store(s.db_file, Store::Mode::kReadWrite);
  InProcessPool pool(evaluate_synthetic);
  SearchRun r;
  r.summary = run_search(s, space, store, pool, nullptr);
  r.candidates = store.candidates(r.summary.search.id);
  r.evaluations = pool.evaluations();
  return r;
}

// What a search found, without ids and timings: comparable between databases.
std::vector<std::string> outcomes(const std::vector<CandidateRecord>& cs) {
  std::vector<std::string> out;
  for (const CandidateRecord& c : cs) {
    out.push_back(std::to_string(c.seq) + " " + c.genome + " " + c.status + " " + c.failure + " " +
                  std::to_string(c.metrics.accuracy) + " " +
                  std::to_string(c.metrics.energy_pj_per_image));
  }
  return out;
}

std::vector<Metrics> ok_metrics(const std::vector<CandidateRecord>& cs) {
  std::vector<Metrics> out;
  for (const CandidateRecord& c : cs) {
    if (c.ok()) out.push_back(c.metrics);
  }
  return out;
}

std::vector<Point> front(const HvFrame& f, const std::vector<Metrics>& ms) {
  std::vector<Point> all, out;
  for (const Metrics& m : ms) all.push_back(f.normalised(m));
  for (size_t i : pareto_front(all)) out.push_back(all[i]);
  return out;
}

TEST(Algorithms, Nsga2BeatsRandomAtEqualBudget) {
  // accuracy vs energy on the network + hardware space, 128 proposals each, three seeds.
  TempDir t;
  double ratios = 1;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const SearchRun r = run(settings("random", seed, 128, t.path("runs.sqlite")));
    const SearchRun n = run(settings("nsga2", seed, 128, t.path("runs.sqlite")));
    std::vector<Metrics> both = ok_metrics(r.candidates), mn = ok_metrics(n.candidates);
    both.insert(both.end(), mn.begin(), mn.end());
    const HvFrame f = hv_frame({Metric::kAccuracy, Metric::kEnergy}, both);
    const std::vector<Point> fr = front(f, ok_metrics(r.candidates)), fn = front(f, mn);
    const double hr = hypervolume(fr, f.reference()), hn = hypervolume(fn, f.reference());
    EXPECT_GT(hn, hr) << "seed " << seed << ": NSGA-II " << hn << ", random " << hr;
    ratios *= hn / hr;
    // Most of random's front is dominated by (or equal to) a point of NSGA-II's.
    int covered = 0;
    for (const Point& q : fr) {
      for (const Point& p : fn) {
        if (dominates(p, q) || p == q) {
          ++covered;
          break;
        }
      }
    }
    EXPECT_GE(2 * covered, int(fr.size())) << "seed " << seed;
  }
  EXPECT_GT(std::cbrt(ratios), 1.1);  // geometric mean (measured: 1.22)
}

TEST(Algorithms, SameSeedSameResults) {
  TempDir t;
  for (const char* algo : {"random", "nsga2", "tpe"}) {
    SearchSettings a = settings(algo, 4, 48, t.path(std::string(algo) + "-a.sqlite"));
    SearchSettings b = settings(algo, 4, 48, t.path(std::string(algo) + "-b.sqlite"));
    if (std::string(algo) == "tpe")
      a.objectives = b.objectives = {Metric::kAccuracy, Metric::kEnergy};
    const SearchRun ra = run(a), rb = run(b);
    EXPECT_EQ(outcomes(ra.candidates), outcomes(rb.candidates)) << algo;
    EXPECT_EQ(ra.summary.proposals, 48) << algo;
    SearchSettings c = a;
    c.seed = 5;
    c.db_file = t.path(std::string(algo) + "-c.sqlite");
    EXPECT_NE(outcomes(run(c).candidates), outcomes(ra.candidates)) << algo;
  }
}

TEST(Algorithms, RerunEvaluatesNothingAndLargerBudgetExtends) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  const SearchRun first = run(settings("nsga2", 2, 32, db));
  EXPECT_EQ(first.evaluations, int64_t(first.candidates.size()));
  const SearchRun again = run(settings("nsga2", 2, 32, db));
  EXPECT_EQ(again.evaluations, 0);
  EXPECT_EQ(again.summary.search.id, first.summary.search.id);
  EXPECT_EQ(outcomes(again.candidates), outcomes(first.candidates));

  const SearchRun extended = run(settings("nsga2", 2, 64, db));
  EXPECT_EQ(extended.summary.search.id, first.summary.search.id);
  const SearchRun straight = run(settings("nsga2", 2, 64, t.path("straight.sqlite")));
  EXPECT_EQ(outcomes(extended.candidates), outcomes(straight.candidates));
  EXPECT_EQ(extended.evaluations, straight.evaluations - first.evaluations);
}

TEST(Algorithms, EveryGenomeIsStoredOnce) {
  TempDir t;
  const SearchRun r = run(settings("nsga2", 3, 96, t.path("runs.sqlite")));
  std::set<std::string> genomes;
  for (const CandidateRecord& c : r.candidates) {
    EXPECT_TRUE(genomes.insert(c.genome).second) << c.description;
    EXPECT_TRUE(c.done());
  }
  EXPECT_LE(r.candidates.size(), 96u);
  // Children ran only for candidates the coordinator could not settle itself (a network that
  // cannot be built, overrides the arch file refuses).
  long settled_by_coordinator = 0;
  for (const CandidateRecord& c : r.candidates) settled_by_coordinator += c.worker == "coordinator";
  EXPECT_EQ(r.evaluations + settled_by_coordinator, long(r.candidates.size()));
}

TEST(Algorithms, DifferentCommandStartsANewSearch) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  const int64_t a = run(settings("random", 1, 16, db)).summary.search.id;
  SearchSettings other = settings("random", 1, 16, db);
  other.objectives = {Metric::kAccuracy, Metric::kLatency};
  const int64_t b = run(other).summary.search.id;
  const int64_t c = run(settings("random", 2, 16, db)).summary.search.id;
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  EXPECT_EQ(c, 3);
  EXPECT_EQ(run(settings("random", 1, 16, db)).summary.search.id, 1);
}

TEST(Algorithms, FailedCandidatesAreStoredAndTheSearchGoesOn) {
  TempDir t;
  ScopedEnv fail("IMCNAS_SYNTHETIC_FAIL", "every:3");
  const SearchRun r = run(settings("nsga2", 1, 48, t.path("runs.sqlite")));
  EXPECT_EQ(r.summary.proposals, 48);
  int hooked = 0, ok = 0;
  for (const CandidateRecord& c : r.candidates) {
    hooked += c.failure == "synthetic failure (IMCNAS_SYNTHETIC_FAIL)";
    ok += c.ok();
    if (!c.ok()) {
      EXPECT_FALSE(c.failure.empty());
    }
  }
  EXPECT_GT(hooked, 3);
  EXPECT_GT(ok, 10);
}

TEST(Algorithms, ConstraintsSteerTheSearchInside) {
  // Infeasible candidates get a penalty fitness: later generations hold more feasible ones
  // than the random initial population.
  TempDir t;
  SearchSettings s = settings("nsga2", 1, 96, t.path("runs.sqlite"));
  s.constraints = {parse_constraint("energy<=1e6")};
  const SearchRun r = run(s);
  const auto feasible = [&](size_t from, size_t to) {
    int n = 0;
    for (size_t i = from; i < to && i < r.candidates.size(); ++i)
      n += r.candidates[i].ok() && r.candidates[i].metrics.energy_pj_per_image <= 1e6;
    return n;
  };
  const size_t n = r.candidates.size();
  EXPECT_GT(feasible(n - 16, n), feasible(0, 16) + 3)
      << "first 16: " << feasible(0, 16) << ", last 16: " << feasible(n - 16, n);
}

TEST(Algorithms, TpeImprovesTheScalarFitness) {
  TempDir t;
  SearchSettings s = settings("tpe", 1, 64, t.path("runs.sqlite"));
  s.objectives = {Metric::kAccuracy};
  const SearchRun r = run(s);
  double uniform_best = 0, model_best = 0;  // the first 16 proposals are uniform
  for (const CandidateRecord& c : r.candidates) {
    double& best = c.seq < 16 ? uniform_best : model_best;
    if (c.ok()) best = std::max(best, c.metrics.accuracy);
  }
  EXPECT_GT(model_best, uniform_best);
}

TEST(Algorithms, BadSettingsAreRefused) {
  TempDir t;
  SearchSettings s = settings("nsga2", 1, 64, t.path("runs.sqlite"));
  s.objectives = {Metric::kAccuracy};
  EXPECT_THROW(run(s), arch::InputError);
  s = settings("nsga2", 1, 64, t.path("runs.sqlite"));
  s.population = 10;
  EXPECT_THROW(run(s), arch::InputError);
  s = settings("tpe", 1, 64, t.path("runs.sqlite"));
  s.objectives = {Metric::kEnergy, Metric::kAccuracy};
  EXPECT_THROW(run(s), arch::InputError);
  s = settings("annealing", 1, 64, t.path("runs.sqlite"));
  EXPECT_THROW(run(s), arch::InputError);
  s = settings("random", 1, 64, t.path("runs.sqlite"));
  s.fidelity = "overnight";
  EXPECT_THROW(run(s), arch::InputError);
}

}  // namespace
}  // namespace imc::nas
