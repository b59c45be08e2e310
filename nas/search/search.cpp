#include "nas/search/search.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/eval/candidate.h"
#include "nas/search/algorithms.h"
#include "nas/search/progress.h"
#include "nas/search/runner.h"

namespace imc::nas {

using Json = nlohmann::json;

void check_settings(const SearchSettings& s, const SearchSpace& space) {
  space.fidelity(s.fidelity);
  if (s.budget < 1) throw arch::InputError("--budget must be at least 1");
  if (s.algo == "nsga2") {
    if (s.objectives.size() < 2)
      throw arch::InputError("--algo nsga2 needs at least two --objectives (for one, use tpe)");
    if (s.population < 8 || s.population % 4 != 0)
      throw arch::InputError("--population " + std::to_string(s.population) +
                             ": NSGA-II needs a multiple of 4, at least 8");
    if (s.budget < s.population)
      throw arch::InputError("--budget " + std::to_string(s.budget) +
                             " is smaller than one generation (--population " +
                             std::to_string(s.population) + ")");
  } else if (s.algo == "tpe") {
    check_scalar_objectives(s.objectives);
  } else if (s.algo != "random") {
    throw arch::InputError("--algo '" + s.algo + "': expected random, nsga2 or tpe");
  }
  if (s.evaluator != "full" && s.evaluator != "synthetic")
    throw arch::InputError("--evaluator '" + s.evaluator + "': expected full or synthetic");
  if (s.batch < 1) throw arch::InputError("--batch must be at least 1");
}

SearchRecord search_record(const SearchSettings& s, const SearchSpace& space) {
  // Only what changes the results: not --workers, --budget (a larger one extends the search),
  // --timeout or where scratch files go. Files by content, not by name.
  Json key = {{"algo", s.algo},
              {"objectives", objectives_text(s.objectives)},
              {"constraints", constraints_text(s.constraints)},
              {"fidelity", Json::parse(fidelity_to_json(space.fidelity(s.fidelity)))},
              {"seed", s.seed},
              {"evaluator", s.evaluator},
              {"space", space.text},
              {"arch", isa::read_file_bytes(s.arch_file)}};
  if (s.evaluator == "full") key["data_dir"] = s.data_dir;
  if (s.algo == "nsga2") key["population"] = s.population;
  if (s.algo != "nsga2") key["batch"] = s.batch;
  if (s.algo == "tpe") key["tpe_startup"] = s.tpe_startup;
  Json config = key;
  config["budget"] = s.budget;
  config["space_file"] = s.space_file;
  config["arch_file"] = s.arch_file;
  config["data_dir"] = s.data_dir;
  SearchRecord r;
  r.key = key.dump();
  r.config = config.dump(2);
  r.algo = s.algo;
  r.objectives = objectives_text(s.objectives);
  r.constraints = constraints_text(s.constraints);
  r.fidelity = s.fidelity;
  r.seed = int64_t(s.seed);
  r.budget = s.budget;
  return r;
}

SearchSummary run_search(const SearchSettings& s, const SearchSpace& space, Store& store,
                         WorkerPool& pool, std::ostream* log) {
  check_settings(s, space);
  const SearchRecord search = store.open_search(search_record(s, space));
  const size_t stored = store.candidates(search.id).size();
  // NSGA-II spends its budget in whole generations.
  const int64_t total = s.algo == "nsga2" ? s.budget / s.population * s.population : s.budget;
  Progress progress(log, total, s.objectives, s.constraints);
  progress.message("search " + std::to_string(search.id) + " in " + store.path() + " (" + s.algo +
                   ", " + objectives_text(s.objectives) + ", budget " + std::to_string(total) +
                   ", " + pool.description() + ")" +
                   (stored ? ": resuming, " + std::to_string(stored) + " candidates stored" : ""));
  const std::string root = (s.work_dir.empty() ? s.db_file + ".work" : s.work_dir);
  const std::string work = root + "/search-" + std::to_string(search.id);
  SearchContext ctx{s, space, space.fidelity(s.fidelity), store, search, pool, progress, work};
  CandidateRunner runner(ctx);
  if (s.algo == "random") run_random(runner);
  if (s.algo == "nsga2") run_nsga2(runner);
  if (s.algo == "tpe") run_tpe(runner);
  store.set_search_status(search.id, "done");
  std::error_code ignored;  // scratch directories are removed when empty
  std::filesystem::remove(work, ignored);
  std::filesystem::remove(root, ignored);

  SearchSummary sum;
  sum.search = store.search(search.id);
  sum.proposals = runner.proposed();
  sum.failed = progress.failed();
  sum.evaluated = progress.evaluated();
  sum.reused = progress.done() - progress.evaluated();
  progress.message("search " + std::to_string(search.id) + " done: " +
                   std::to_string(sum.proposals) + " proposals, " + std::to_string(sum.failed) +
                   " failed, " + std::to_string(sum.evaluated) + " evaluated in this run");
  return sum;
}

}  // namespace imc::nas
