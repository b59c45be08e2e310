// The results database (`--db runs.sqlite`): the durable state of every search. One row per
// search (its identity and settings) and one per candidate (genome, fidelity, seed, status,
// failure reason, every metric, timings). Each change is one transaction, so a search killed
// at any instant leaves a consistent database to resume from. Schema: docs/nas.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nas/eval/candidate.h"
#include "nas/store/sqlite.h"

namespace imc::nas {

using sql::StoreError;  // run-time failures of the database (exit 3)

struct SearchRecord {
  int64_t id = 0;
  std::string key;     // canonical JSON of everything that determines the results
  std::string config;  // JSON: the key's fields plus budget and how to re-run it
  std::string algo;
  std::string objectives;   // "accuracy,energy"
  std::string constraints;  // "energy<=5e5;accuracy>=0.8"
  std::string fidelity;
  int64_t seed = 1;
  int64_t budget = 0;
  std::string status;            // "running" or "done"
  std::string created, updated;  // UTC, ISO 8601
};

struct CandidateRecord {
  int64_t id = 0, search_id = 0;
  int64_t seq = 0;          // order of first proposal within its search, from 0
  std::string genome;       // canonical JSON (genome_to_json)
  std::string description;  // describe(genome)
  std::string fidelity;
  int64_t seed = 1;
  std::string status;   // "running", "ok" or "failed"
  std::string failure;  // why, when failed
  Metrics metrics;      // meaningful when ok
  double wall_s = 0;    // wall time of the evaluation, all attempts
  int attempts = 0;
  std::string worker;  // "local", "rank 2 on host", "coordinator"
  std::string started, finished;
  bool ok() const { return status == "ok"; }
  bool done() const { return status == "ok" || status == "failed"; }
};

class Store {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Opens (kReadWrite: creates) an imcnas database. A file that is not SQLite, is corrupt,
  // holds someone else's tables or a newer schema throws arch::InputError "PATH: why".
  Store(const std::string& path, Mode mode);

  const std::string& path() const { return db_.path(); }

  // The search whose key equals fresh.key, created from `fresh` when there is none. The
  // budget is raised to fresh.budget (a larger budget continues a search).
  SearchRecord open_search(const SearchRecord& fresh);
  std::vector<SearchRecord> searches() const;
  // The search `id`, or the latest one when id is 0; throws arch::InputError when absent.
  SearchRecord search(int64_t id) const;
  void set_search_status(int64_t id, const std::string& status);

  std::optional<CandidateRecord> find(int64_t search_id, const std::string& genome,
                                      const std::string& fidelity, int64_t seed) const;
  // Adds a candidate as running with the next seq of its search.
  CandidateRecord add_running(int64_t search_id, const std::string& genome,
                              const std::string& description, const std::string& fidelity,
                              int64_t seed);
  void restart(int64_t candidate_id);  // a candidate found running (killed search): again
  void finish(int64_t candidate_id, const EvalResult& r, double wall_s, int attempts,
              const std::string& worker);
  std::vector<CandidateRecord> candidates(int64_t search_id) const;  // by seq

 private:
  void create_schema();
  void check_ours(bool writable);

  sql::Database db_;
};

std::string utc_now();  // "2024-05-01T12:00:00Z"

}  // namespace imc::nas
