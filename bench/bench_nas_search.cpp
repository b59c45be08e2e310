// bench_nas_search: random search against NSGA-II at equal budget, over several seeds; prints
// the hypervolume each reached and the ratio NSGA-II/random (docs/nas.md). By default the
// candidates are scored by the synthetic evaluator in this process (seconds); with
// `--evaluator full --fidelity proxy` they are trained and simulated in `imcnas evaluate`
// children (hours). Hypervolume in a frame shared by both runs of a seed (pareto.h): 1 -
// accuracy and log10 costs, each spanning [0, 1] over both runs' feasible candidates,
// reference point (1.1, ..., 1.1).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include <boost/program_options.hpp>
#include <cmath>

#include "nas/eval/synthetic.h"
#include "nas/search/local_pool.h"
#include "nas/search/pareto.h"
#include "nas/search/search.h"
#include "nas/train/train.h"

namespace po = boost::program_options;
using namespace imc::nas;

namespace {

std::vector<Metrics> feasible(const Store& store, int64_t search, const SearchSettings& s) {
  std::vector<Metrics> out;
  for (const CandidateRecord& c : store.candidates(search)) {
    if (c.ok() && violation(s.constraints, c.metrics) == 0) out.push_back(c.metrics);
  }
  return out;
}

// Fraction of b's front weakly dominated by a point of a's front.
double coverage(const std::vector<Point>& a, const std::vector<Point>& b) {
  if (b.empty()) return 0;
  int covered = 0;
  for (const Point& q : b) {
    for (const Point& p : a) {
      if (dominates(p, q) || p == q) {
        ++covered;
        break;
      }
    }
  }
  return double(covered) / double(b.size());
}

std::vector<Point> front_of(const HvFrame& f, const std::vector<Metrics>& ms) {
  std::vector<Point> all, front;
  for (const Metrics& m : ms) all.push_back(f.normalised(m));
  for (size_t i : pareto_front(all)) front.push_back(all[i]);
  return front;
}

// One search, timed: the wall time and what it evaluated.
struct Timed {
  int64_t id = 0;
  SearchSummary summary;
  double seconds = 0;
  double best_accuracy = 0;
};

Timed timed_search(const SearchSettings& s, const SearchSpace& space, Store& store,
                   WorkerPool& pool) {
  const auto t0 = std::chrono::steady_clock::now();
  Timed t;
  t.summary = run_search(s, space, store, pool, nullptr);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t.id = t.summary.search.id;
  for (const CandidateRecord& c : store.candidates(t.id))
    if (c.ok()) t.best_accuracy = std::max(t.best_accuracy, c.metrics.accuracy);
  return t;
}

void print_run(const char* algo, int seed, const Timed& t) {
  std::printf(
      "  %-6s seed %d: %lld proposals, %lld candidates evaluated, %lld failed, best "
      "accuracy %.4f, %.0f s\n",
      algo, seed, static_cast<long long>(t.summary.proposals),
      static_cast<long long>(t.summary.evaluated), static_cast<long long>(t.summary.failed),
      t.best_accuracy, t.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  SearchSettings base;
  std::string objectives = "accuracy,energy", db;
  int seeds = 5;
  base.space_file = IMCSIM_SOURCE_DIR "/configs/nas/fashion_hw.yaml";
  base.arch_file = IMCSIM_SOURCE_DIR "/configs/rram4x4.yaml";
  base.evaluator = "synthetic";
  base.budget = 128;
  po::options_description o("bench_nas_search [options]");
  o.add_options()("help,h", "print this help")(
      "space", po::value(&base.space_file)->default_value(base.space_file), "search space")(
      "arch", po::value(&base.arch_file)->default_value(base.arch_file), "arch file")(
      "budget", po::value(&base.budget)->default_value(base.budget), "proposals per run")(
      "population", po::value(&base.population)->default_value(base.population), "NSGA-II")(
      "seeds", po::value(&seeds)->default_value(seeds), "seeds 1..N")(
      "objectives", po::value(&objectives)->default_value(objectives), "as imcnas search")(
      "evaluator", po::value(&base.evaluator)->default_value(base.evaluator), "synthetic|full")(
      "fidelity", po::value(&base.fidelity)->default_value(base.fidelity), "of the space")(
      "workers", po::value(&base.workers)->default_value(base.workers), "full: children")(
      "data", po::value(&base.data_dir)->default_value(kDefaultDataDir), "Fashion-MNIST")(
      "db", po::value(&db), "keep the runs in this database (default: a temporary one)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, o), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << o;
      return 0;
    }
    base.objectives = parse_objectives(objectives);
  } catch (const std::exception& e) {
    std::cerr << "bench_nas_search: " << e.what() << "\n";
    return 2;
  }
  const std::string tmp =
      (std::filesystem::temp_directory_path() / ("bench_nas_search-" + std::to_string(::getpid())))
          .string();
  if (db.empty()) std::filesystem::create_directories(tmp), db = tmp + "/runs.sqlite";
  base.db_file = db;
  base.quiet = true;
  try {
    const SearchSpace space = read_space_file(base.space_file);
    check_space_against_arch(space, base.arch_file);
    Store store(db, Store::Mode::kReadWrite);
    std::unique_ptr<WorkerPool> pool;
    if (base.evaluator == "synthetic") {
      pool = std::make_unique<InProcessPool>(evaluate_synthetic);
    } else {
      pool = std::make_unique<LocalPool>(IMCNAS_BINARY, base.workers, 0, false);
    }
    std::cout << "bench_nas_search: random vs NSGA-II, " << base.budget << " proposals each, "
              << objectives << ", " << base.evaluator << " evaluator, space "
              << std::filesystem::path(base.space_file).filename().string() << " on "
              << std::filesystem::path(base.arch_file).filename().string() << "\n"
              << "seed  hv_random  hv_nsga2  ratio  front_r  front_n  C(n,r)  C(r,n)\n";
    double log_sum = 0;
    int wins = 0;
    double seconds[2] = {0, 0};
    std::vector<std::pair<Timed, Timed>> runs;
    for (int seed = 1; seed <= seeds; ++seed) {
      SearchSettings r = base, n = base;
      r.algo = "random", n.algo = "nsga2";
      r.seed = n.seed = uint64_t(seed);
      const Timed tr = timed_search(r, space, store, *pool);
      const Timed tn = timed_search(n, space, store, *pool);
      const int64_t rid = tr.id, nid = tn.id;
      seconds[0] += tr.seconds, seconds[1] += tn.seconds;
      runs.push_back({tr, tn});
      const std::vector<Metrics> mr = feasible(store, rid, r), mn = feasible(store, nid, n);
      std::vector<Metrics> both = mr;
      both.insert(both.end(), mn.begin(), mn.end());
      const HvFrame f = hv_frame(base.objectives, both);
      const std::vector<Point> fr = front_of(f, mr), fn = front_of(f, mn);
      const double hr = hypervolume(fr, f.reference()), hn = hypervolume(fn, f.reference());
      log_sum += std::log(hn / hr);
      wins += hn > hr;
      std::printf("%4d  %9.4f  %8.4f  %5.3f  %7zu  %7zu  %6.2f  %6.2f\n", seed, hr, hn, hn / hr,
                  fr.size(), fn.size(), coverage(fn, fr), coverage(fr, fn));
    }
    std::printf("runs:\n");
    for (size_t k = 0; k < runs.size(); ++k) {
      print_run("random", int(k) + 1, runs[k].first);
      print_run("nsga2", int(k) + 1, runs[k].second);
    }
    std::printf("mean wall time per search: random %.0f s, nsga2 %.0f s (%d workers)\n",
                seconds[0] / seeds, seconds[1] / seeds, base.workers);
    std::printf(
        "hypervolume ratio NSGA-II/random: %.3f (geometric mean over %d seeds; NSGA-II "
        "ahead on %d)\n",
        std::exp(log_sum / seeds), seeds, wins);
    std::printf(
        "{\"bench\": \"nas_search\", \"metric\": \"hv_ratio_nsga2_over_random\", "
        "\"value\": %.4f, \"unit\": \"ratio\"}\n",
        std::exp(log_sum / seeds));
  } catch (const std::exception& e) {
    std::cerr << "bench_nas_search: " << e.what() << "\n";
    return 3;
  }
  if (vm.count("db") == 0) std::filesystem::remove_all(tmp);
  return 0;
}
