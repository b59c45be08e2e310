// `imcnas search`: options, then the search on local workers or MPI ranks.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/program_options.hpp>

#include "hw/arch/load.h"
#include "nas/search/local_pool.h"
#include "nas/search/mpi_pool.h"
#include "nas/search/search.h"
#include "nas/search/search_cli.h"
#include "nas/train/train.h"

namespace imc::nas {
namespace {

namespace po = boost::program_options;

// The program run as `PROGRAM evaluate --job J --result R` for each candidate: this imcnas,
// or $IMCNAS_EVALUATOR (a wrapper script, a container launcher; the tests use a small
// synthetic-only build that starts without loading libtorch).
std::string evaluator_program(const char* argv0) {
  if (const char* p = std::getenv("IMCNAS_EVALUATOR"); p && *p) return p;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : exe.string();
}

std::string absolute(const std::string& path) {
  return path.empty() ? path : std::filesystem::absolute(path).lexically_normal().string();
}

// Returns nullopt after --help; throws arch::InputError for bad options.
std::optional<SearchSettings> parse(const std::vector<std::string>& args) {
  SearchSettings s;
  std::string objectives = "accuracy,energy";
  std::vector<std::string> constraints;
  po::options_description o(
      "imcnas search --space S.yaml --arch A.yaml --db runs.sqlite [options]");
  o.add_options()("help,h", "print this help")("space", po::value(&s.space_file),
                                               "the search space (configs/nas/*.yaml)")(
      "arch", po::value(&s.arch_file), "the arch file the genomes' overrides apply to")(
      "db", po::value(&s.db_file), "the results database (SQLite; created if absent)")(
      "algo", po::value(&s.algo)->default_value(s.algo), "random, nsga2 or tpe")(
      "objectives", po::value(&objectives)->default_value(objectives),
      "among accuracy (max), latency, energy, area (min)")(
      "constraint", po::value(&constraints)->composing(),
      "e.g. energy<=5e5 or accuracy>=0.8 (repeatable)")(
      "budget", po::value(&s.budget)->default_value(s.budget),
      "candidates proposed (NSGA-II: whole generations)")(
      "workers", po::value(&s.workers)->default_value(s.workers),
      "local `imcnas evaluate` children at a time (ignored under mpirun)")(
      "fidelity", po::value(&s.fidelity)->default_value(s.fidelity), "a fidelity of the space")(
      "seed", po::value(&s.seed)->default_value(s.seed), "seed of the algorithm and training")(
      "evaluator", po::value(&s.evaluator)->default_value(s.evaluator),
      "full (train, compile, simulate) or synthetic (analytic stand-in for tests)")(
      "population", po::value(&s.population)->default_value(s.population),
      "NSGA-II population (a multiple of 4, >= 8)")("batch",
                                                    po::value(&s.batch)->default_value(s.batch),
                                                    "random and TPE: proposals evaluated together")(
      "tpe-startup", po::value(&s.tpe_startup)->default_value(s.tpe_startup),
      "TPE: uniform proposals before the model")(
      "timeout", po::value(&s.timeout_s)->default_value(0), "seconds per candidate; 0 = none")(
      "data", po::value(&s.data_dir)->default_value(kDefaultDataDir), "Fashion-MNIST directory")(
      "work-dir", po::value(&s.work_dir), "scratch directory (default DB.work)")(
      "keep-work", po::bool_switch(&s.keep_work), "keep every candidate's scratch files")(
      "quiet,q", po::bool_switch(&s.quiet), "no progress lines");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(o).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw arch::InputError(std::string(e.what()) + " (see imcnas search --help)");
  }
  if (vm.count("help")) {
    std::cout << o;
    return std::nullopt;
  }
  for (const char* required : {"space", "arch", "db"}) {
    if (!vm.count(required))
      throw arch::InputError(std::string("--") + required + " is required (see --help)");
  }
  if (s.workers < 1) throw arch::InputError("--workers must be at least 1");
  if (s.timeout_s < 0) throw arch::InputError("--timeout must not be negative");
  s.objectives = parse_objectives(objectives);
  for (const std::string& c : constraints) s.constraints.push_back(parse_constraint(c));
  s.arch_file = absolute(s.arch_file);
  s.data_dir = absolute(s.data_dir);
  return s;
}

int coordinate(const SearchSettings& s, WorkerPool& pool) {
  const SearchSpace space = read_space_file(s.space_file);
  check_settings(s, space);
  check_space_against_arch(space, s.arch_file);
  Store store(s.db_file, Store::Mode::kReadWrite);
  run_search(s, space, store, pool, s.quiet ? nullptr : &std::cerr);
  return 0;
}

}  // namespace

int search_main(const std::vector<std::string>& args, const char* self_path) {
  std::optional<SearchSettings> settings;
  try {
    settings = parse(args);
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas search: " << e.what() << "\n";
    return 2;
  }
  if (!settings) return 0;
  const SearchSettings& s = *settings;
  const std::string program = evaluator_program(self_path);
  try {
    // Under mpirun every rank parses the same options; rank 0 searches, the others serve.
    std::unique_ptr<MpiSession> mpi;
    if (launched_by_mpirun()) mpi = std::make_unique<MpiSession>();
    if (mpi && mpi->size() > 1) {
      if (mpi->rank() != 0) return serve_mpi_jobs(*mpi, program, s.timeout_s, s.keep_work);
      MpiPool pool(*mpi);
      return coordinate(s, pool);
    }
    LocalPool pool(program, s.workers, s.timeout_s, s.keep_work);
    return coordinate(s, pool);
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas search: " << e.what() << "\n";
    return 2;
  } catch (const SetupFailure& e) {
    std::cerr << "imcnas search: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcnas search: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace imc::nas
