// Opening the database: is it SQLite, is it ours, is it intact; creating the schema.
#include <sys/stat.h>

#include <cstdio>
#include <ctime>

#include "hw/arch/load.h"
#include "nas/store/store.h"

namespace imc::nas {
namespace {

// PRAGMA application_id: "IMCN". SQLite writes it into the file header, so `file(1)` and we
// can tell our databases from anyone else's.
constexpr int64_t kApplicationId = 0x494D434E;
constexpr int64_t kSchemaVersion = 1;  // PRAGMA user_version

constexpr const char* kSchema = R"sql(
CREATE TABLE searches (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,   -- canonical JSON: what determines the results
  config      TEXT NOT NULL,          -- JSON: key + budget + how it was run
  algo        TEXT NOT NULL,
  objectives  TEXT NOT NULL,
  constraints TEXT NOT NULL,
  fidelity    TEXT NOT NULL,
  seed        INTEGER NOT NULL,
  budget      INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done')),
  created     TEXT NOT NULL,
  updated     TEXT NOT NULL
);
CREATE TABLE candidates (
  id                INTEGER PRIMARY KEY,
  search_id         INTEGER NOT NULL REFERENCES searches(id),
  seq               INTEGER NOT NULL,   -- order of first proposal in its search
  genome            TEXT NOT NULL,      -- canonical JSON
  description       TEXT NOT NULL,
  fidelity          TEXT NOT NULL,
  seed              INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  failure           TEXT NOT NULL DEFAULT '',
  accuracy          REAL,
  accuracy_p10      REAL,
  software_accuracy REAL,
  cycles            REAL,               -- per image
  energy_pj         REAL,               -- per image
  crossbars         INTEGER,
  tiles             INTEGER,
  area_cells        REAL,
  train_s           REAL,
  compile_s         REAL,
  simulate_s        REAL,
  wall_s            REAL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  worker            TEXT NOT NULL DEFAULT '',
  started           TEXT,
  finished          TEXT,
  UNIQUE (search_id, genome, fidelity, seed),
  UNIQUE (search_id, seq)
);
)sql";

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw arch::InputError(path + ": " + why);
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

Store::Store(const std::string& path, Mode mode) {
  if (mode == Mode::kReadOnly && !exists(path)) bad(path, "no such database");
  const int flags =
      mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (db_.open(path, flags) != SQLITE_OK) bad(path, "cannot open the database: " + db_.error());
  check_ours(mode == Mode::kReadWrite);
  if (mode == Mode::kReadWrite) {
    // WAL: readers (imcnas results during a search) never block the writer; NORMAL sync is
    // durable against a killed process, which is what resume needs.
    db_.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  }
}

void Store::check_ours(bool writable) {
  const std::string& path = db_.path();
  int64_t app = 0, version = 0, tables = 0;
  std::string tables_text;
  try {
    sql::Statement a(db_, "PRAGMA application_id");
    if (a.step()) app = a.integer(0);
    sql::Statement v(db_, "PRAGMA user_version");
    if (v.step()) version = v.integer(0);
    sql::Statement t(db_, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (t.step()) tables_text += (tables++ ? ", " : "") + t.text(0);
  } catch (const std::runtime_error&) {  // StoreError, or InputError for a damaged file
    // SQLITE_NOTADB: the header is not SQLite's; SQLITE_CORRUPT: damaged beyond reading.
    bad(path, "not an imcnas database (not readable as SQLite: " + db_.error() + ")");
  }
  if (app == 0 && tables == 0) {
    if (!writable) bad(path, "empty database: no searches yet");
    create_schema();
    return;
  }
  if (app != kApplicationId) {
    char id[16];
    std::snprintf(id, sizeof id, "0x%08llx", static_cast<unsigned long long>(app));
    bad(path, "not an imcnas database (application_id " + std::string(id) +
                  ", tables: " + (tables_text.empty() ? "none" : tables_text) + ")");
  }
  if (version > kSchemaVersion)
    bad(path, "written by a newer imcnas (schema " + std::to_string(version) + ", this one reads " +
                  std::to_string(kSchemaVersion) + ")");
  sql::Statement check(db_, "PRAGMA quick_check");
  std::string verdict;
  try {
    if (check.step()) verdict = check.text(0);
  } catch (const std::runtime_error&) {
    verdict = db_.error();
  }
  if (verdict != "ok") bad(path, "the database is corrupt (" + verdict + ")");
  if (tables_text.find("candidates") == std::string::npos ||
      tables_text.find("searches") == std::string::npos)
    bad(path, "an imcnas database without its tables (tables: " + tables_text + ")");
}

void Store::create_schema() {
  sql::Transaction t(db_);
  db_.exec(kSchema);
  db_.exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
           "; PRAGMA user_version = " + std::to_string(kSchemaVersion) + ";");
  t.commit();
}

}  // namespace imc::nas
