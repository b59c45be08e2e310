// Queries of the results database; each change is one transaction.
#include "nas/store/store.h"

#include "hw/arch/load.h"

namespace imc::nas {
namespace {

constexpr const char* kSearchColumns =
    "id, key, config, algo, objectives, constraints, fidelity, seed, budget, status, created, "
    "updated";

SearchRecord search_from(const sql::Statement& s) {
  SearchRecord r;
  r.id = s.integer(0);
  r.key = s.text(1);
  r.config = s.text(2);
  r.algo = s.text(3);
  r.objectives = s.text(4);
  r.constraints = s.text(5);
  r.fidelity = s.text(6);
  r.seed = s.integer(7);
  r.budget = s.integer(8);
  r.status = s.text(9);
  r.created = s.text(10);
  r.updated = s.text(11);
  return r;
}

constexpr const char* kCandidateColumns =
    "id, search_id, seq, genome, description, fidelity, seed, status, failure, accuracy, "
    "accuracy_p10, software_accuracy, cycles, energy_pj, crossbars, tiles, area_cells, train_s, "
    "compile_s, simulate_s, wall_s, attempts, worker, started, finished";

CandidateRecord candidate_from(const sql::Statement& s) {
  CandidateRecord c;
  c.id = s.integer(0);
  c.search_id = s.integer(1);
  c.seq = s.integer(2);
  c.genome = s.text(3);
  c.description = s.text(4);
  c.fidelity = s.text(5);
  c.seed = s.integer(6);
  c.status = s.text(7);
  c.failure = s.text(8);
  Metrics& m = c.metrics;
  m.accuracy = s.real(9);
  m.accuracy_p10 = s.real(10);
  m.software_accuracy = s.real(11);
  m.cycles_per_image = s.real(12);
  m.energy_pj_per_image = s.real(13);
  m.crossbars = int(s.integer(14));
  m.tiles = int(s.integer(15));
  m.area_cells = s.real(16);
  m.train_s = s.real(17);
  m.compile_s = s.real(18);
  m.simulate_s = s.real(19);
  c.wall_s = s.real(20);
  c.attempts = int(s.integer(21));
  c.worker = s.text(22);
  c.started = s.text(23);
  c.finished = s.text(24);
  return c;
}

std::string select(const char* columns, const char* table, const char* rest) {
  return std::string("SELECT ") + columns + " FROM " + table + " " + rest;
}

}  // namespace

SearchRecord Store::open_search(const SearchRecord& fresh) {
  sql::Transaction t(db_);
  {
    sql::Statement find(db_, select(kSearchColumns, "searches", "WHERE key = ?1").c_str());
    find.bind(1, fresh.key);
    if (find.step()) {
      SearchRecord r = search_from(find);
      if (fresh.budget > r.budget) {
        sql::Statement up(db_,
                          "UPDATE searches SET budget = ?2, config = ?3, status = 'running', "
                          "updated = ?4 WHERE id = ?1");
        up.bind(1, r.id).bind(2, fresh.budget).bind(3, fresh.config).bind(4, utc_now()).run();
        r.budget = fresh.budget;
        r.status = "running";
      }
      t.commit();
      return r;
    }
  }
  SearchRecord r = fresh;
  r.status = "running";
  r.created = r.updated = utc_now();
  sql::Statement add(db_,
                     "INSERT INTO searches (key, config, algo, objectives, constraints, "
                     "fidelity, seed, budget, status, created, updated) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)");
  add.bind(1, r.key).bind(2, r.config).bind(3, r.algo).bind(4, r.objectives);
  add.bind(5, r.constraints).bind(6, r.fidelity).bind(7, r.seed).bind(8, r.budget);
  add.bind(9, r.status).bind(10, r.created).run();
  r.id = sqlite3_last_insert_rowid(db_.handle());
  t.commit();
  return r;
}

std::vector<SearchRecord> Store::searches() const {
  sql::Statement s(db_, select(kSearchColumns, "searches", "ORDER BY id").c_str());
  std::vector<SearchRecord> out;
  while (s.step()) out.push_back(search_from(s));
  return out;
}

SearchRecord Store::search(int64_t id) const {
  sql::Statement s(db_,
                   id ? select(kSearchColumns, "searches", "WHERE id = ?1").c_str()
                      : select(kSearchColumns, "searches", "ORDER BY id DESC LIMIT 1").c_str());
  if (id) s.bind(1, id);
  if (!s.step()) {
    throw arch::InputError(
        path() + ": " + (id ? "no search " + std::to_string(id) : std::string("no searches yet")));
  }
  return search_from(s);
}

void Store::set_search_status(int64_t id, const std::string& status) {
  sql::Transaction t(db_);
  sql::Statement s(db_, "UPDATE searches SET status = ?2, updated = ?3 WHERE id = ?1");
  s.bind(1, id).bind(2, status).bind(3, utc_now()).run();
  t.commit();
}

std::optional<CandidateRecord> Store::find(int64_t search_id, const std::string& genome,
                                           const std::string& fidelity, int64_t seed) const {
  sql::Statement s(db_, select(kCandidateColumns, "candidates",
                               "WHERE search_id = ?1 AND genome = ?2 AND fidelity = ?3 AND "
                               "seed = ?4")
                            .c_str());
  s.bind(1, search_id).bind(2, genome).bind(3, fidelity).bind(4, seed);
  if (!s.step()) return std::nullopt;
  return candidate_from(s);
}

CandidateRecord Store::add_running(int64_t search_id, const std::string& genome,
                                   const std::string& description, const std::string& fidelity,
                                   int64_t seed) {
  sql::Transaction t(db_);
  sql::Statement add(db_,
                     "INSERT INTO candidates (search_id, seq, genome, description, fidelity, "
                     "seed, status, started) VALUES (?1, (SELECT COUNT(*) FROM candidates "
                     "WHERE search_id = ?1), ?2, ?3, ?4, ?5, 'running', ?6)");
  add.bind(1, search_id).bind(2, genome).bind(3, description).bind(4, fidelity).bind(5, seed);
  add.bind(6, utc_now()).run();
  const int64_t id = sqlite3_last_insert_rowid(db_.handle());
  sql::Statement get(db_, select(kCandidateColumns, "candidates", "WHERE id = ?1").c_str());
  get.bind(1, id);
  get.step();
  CandidateRecord c = candidate_from(get);
  t.commit();
  return c;
}

void Store::restart(int64_t candidate_id) {
  sql::Transaction t(db_);
  sql::Statement s(db_,
                   "UPDATE candidates SET status = 'running', started = ?2, finished = NULL "
                   "WHERE id = ?1");
  s.bind(1, candidate_id).bind(2, utc_now()).run();
  t.commit();
}

void Store::finish(int64_t candidate_id, const EvalResult& r, double wall_s, int attempts,
                   const std::string& worker) {
  const Metrics& m = r.metrics;
  sql::Transaction t(db_);
  sql::Statement s(db_,
                   "UPDATE candidates SET status = ?2, failure = ?3, accuracy = ?4, "
                   "accuracy_p10 = ?5, software_accuracy = ?6, cycles = ?7, energy_pj = ?8, "
                   "crossbars = ?9, tiles = ?10, area_cells = ?11, train_s = ?12, "
                   "compile_s = ?13, simulate_s = ?14, wall_s = ?15, attempts = ?16, "
                   "worker = ?17, finished = ?18 WHERE id = ?1");
  s.bind(1, candidate_id).bind(2, std::string(r.ok ? "ok" : "failed")).bind(3, r.failure);
  s.bind(4, m.accuracy).bind(5, m.accuracy_p10).bind(6, m.software_accuracy);
  s.bind(7, m.cycles_per_image).bind(8, m.energy_pj_per_image);
  s.bind(9, int64_t(m.crossbars)).bind(10, int64_t(m.tiles)).bind(11, m.area_cells);
  s.bind(12, m.train_s).bind(13, m.compile_s).bind(14, m.simulate_s).bind(15, wall_s);
  s.bind(16, int64_t(attempts)).bind(17, worker).bind(18, utc_now()).run();
  if (sqlite3_changes(db_.handle()) != 1)
    throw StoreError(path() + ": candidate " + std::to_string(candidate_id) + " vanished");
  t.commit();
}

std::vector<CandidateRecord> Store::candidates(int64_t search_id) const {
  sql::Statement s(
      db_, select(kCandidateColumns, "candidates", "WHERE search_id = ?1 ORDER BY seq").c_str());
  s.bind(1, search_id);
  std::vector<CandidateRecord> out;
  while (s.step()) out.push_back(candidate_from(s));
  return out;
}

}  // namespace imc::nas
