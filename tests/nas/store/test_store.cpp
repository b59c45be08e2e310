// The results database: what goes in comes out, resume states, and files that are not ours.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "hw/arch/load.h"
#include "nas/store/store.h"

namespace imc::nas {
namespace {

struct TempDir {
  TempDir() {
    std::string p = std::filesystem::temp_directory_path().string() + "/imcnas-store-XXXXXX";
    dir = mkdtemp(p.data());
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return dir + "/" + name; }
  std::string dir;
};

SearchRecord fresh(const std::string& key, int64_t budget = 10) {
  SearchRecord r;
  r.key = key;
  r.config = "{}";
  r.algo = "random";
  r.objectives = "accuracy,energy";
  r.constraints = "energy<=500000";
  r.fidelity = "proxy";
  r.seed = 7;
  r.budget = budget;
  return r;
}

// Runs one SQL statement on the database at `db`, as another program or a damaged file would.
void edit(const std::string& db, const std::string& statement) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(h, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << statement;
  sqlite3_close(h);
}

std::string open_error(const std::string& path, Store::Mode mode = Store::Mode::kReadWrite) {
  try {
    Store s(path, mode);
  } catch (const arch::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Store, CandidateRoundTripsEveryField) {
  TempDir t;
  Store s(t.path("runs.sqlite"), Store::Mode::kReadWrite);
  const SearchRecord search = s.open_search(fresh("k1"));
  EXPECT_EQ(search.id, 1);
  EXPECT_EQ(search.status, "running");
  const CandidateRecord c = s.add_running(search.id, "{\"g\":1}", "vgg16|p0|h0|b/b", "proxy", 7);
  EXPECT_EQ(c.seq, 0);
  EXPECT_EQ(c.status, "running");
  EvalResult r;
  r.ok = true;
  r.metrics = {0.875, 0.81, 0.9, 1234.5, 6.5e5, 12, 3, 786432, 1.5, 0.25, 2.75};
  s.finish(c.id, r, 4.5, 2, "rank 1 on host");

  const std::optional<CandidateRecord> back = s.find(search.id, "{\"g\":1}", "proxy", 7);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, "ok");
  EXPECT_EQ(back->description, "vgg16|p0|h0|b/b");
  EXPECT_DOUBLE_EQ(back->metrics.accuracy, 0.875);
  EXPECT_DOUBLE_EQ(back->metrics.accuracy_p10, 0.81);
  EXPECT_DOUBLE_EQ(back->metrics.software_accuracy, 0.9);
  EXPECT_DOUBLE_EQ(back->metrics.cycles_per_image, 1234.5);
  EXPECT_DOUBLE_EQ(back->metrics.energy_pj_per_image, 6.5e5);
  EXPECT_EQ(back->metrics.crossbars, 12);
  EXPECT_EQ(back->metrics.tiles, 3);
  EXPECT_DOUBLE_EQ(back->metrics.area_cells, 786432);
  EXPECT_DOUBLE_EQ(back->metrics.train_s, 1.5);
  EXPECT_DOUBLE_EQ(back->metrics.compile_s, 0.25);
  EXPECT_DOUBLE_EQ(back->metrics.simulate_s, 2.75);
  EXPECT_DOUBLE_EQ(back->wall_s, 4.5);
  EXPECT_EQ(back->attempts, 2);
  EXPECT_EQ(back->worker, "rank 1 on host");
  EXPECT_FALSE(back->finished.empty());
  EXPECT_FALSE(s.find(search.id, "{\"g\":1}", "full", 7));
  EXPECT_FALSE(s.find(search.id, "{\"g\":1}", "proxy", 8));
}

TEST(Store, FailedCandidateKeepsItsReason) {
  TempDir t;
  Store s(t.path("runs.sqlite"), Store::Mode::kReadWrite);
  const int64_t id = s.open_search(fresh("k")).id;
  const CandidateRecord c = s.add_running(id, "g", "d", "proxy", 1);
  EvalResult r;
  r.failure = "does not fit: block 1 conv 2 needs 6 crossbars, a tile has 4";
  s.finish(c.id, r, 0.1, 1, "local");
  const CandidateRecord back = s.candidates(id).at(0);
  EXPECT_EQ(back.status, "failed");
  EXPECT_EQ(back.failure, r.failure);
  EXPECT_TRUE(back.done());
  EXPECT_FALSE(back.ok());
}

TEST(Store, SameKeyResumesAndLargerBudgetExtends) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  {
    Store s(db, Store::Mode::kReadWrite);
    const int64_t id = s.open_search(fresh("same", 10)).id;
    s.add_running(id, "a", "a", "proxy", 1);
    s.set_search_status(id, "done");
  }
  Store s(db, Store::Mode::kReadWrite);
  const SearchRecord again = s.open_search(fresh("same", 10));
  EXPECT_EQ(again.id, 1);
  EXPECT_EQ(again.status, "done");
  const SearchRecord longer = s.open_search(fresh("same", 20));
  EXPECT_EQ(longer.id, 1);
  EXPECT_EQ(longer.budget, 20);
  EXPECT_EQ(longer.status, "running");
  const SearchRecord other = s.open_search(fresh("other", 10));
  EXPECT_EQ(other.id, 2);
  EXPECT_EQ(s.searches().size(), 2u);
  EXPECT_EQ(s.search(0).id, 2);  // the latest
  EXPECT_EQ(s.candidates(1).size(), 1u);
  EXPECT_TRUE(s.candidates(2).empty());
}

TEST(Store, SeqCountsPerSearchAndGenomesAreUnique) {
  TempDir t;
  Store s(t.path("runs.sqlite"), Store::Mode::kReadWrite);
  const int64_t a = s.open_search(fresh("a")).id, b = s.open_search(fresh("b")).id;
  EXPECT_EQ(s.add_running(a, "x", "x", "proxy", 1).seq, 0);
  EXPECT_EQ(s.add_running(a, "y", "y", "proxy", 1).seq, 1);
  EXPECT_EQ(s.add_running(b, "x", "x", "proxy", 1).seq, 0);
  EXPECT_THROW(s.add_running(a, "x", "x", "proxy", 1), StoreError);
  EXPECT_EQ(s.candidates(a).size(), 2u);  // the failed insert left nothing behind
}

TEST(Store, RestartMarksRunningAgain) {
  TempDir t;
  Store s(t.path("runs.sqlite"), Store::Mode::kReadWrite);
  const int64_t id = s.open_search(fresh("k")).id;
  const CandidateRecord c = s.add_running(id, "g", "d", "proxy", 1);
  s.restart(c.id);
  EXPECT_EQ(s.candidates(id).at(0).status, "running");
  EXPECT_FALSE(s.candidates(id).at(0).done());
}

TEST(Store, ReadOnlyOpenOfMissingOrEmptyIsAnError) {
  TempDir t;
  EXPECT_EQ(open_error(t.path("none.sqlite"), Store::Mode::kReadOnly),
            t.path("none.sqlite") + ": no such database");
  { Store created(t.path("new.sqlite"), Store::Mode::kReadWrite); }
  EXPECT_EQ(open_error(t.path("new.sqlite"), Store::Mode::kReadOnly), "");
  Store s(t.path("new.sqlite"), Store::Mode::kReadOnly);
  try {
    s.search(0);
    FAIL() << "no search expected";
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), t.path("new.sqlite") + ": no searches yet");
  }
}

TEST(Store, ForeignDatabaseIsRefusedAndLeftAlone) {
  TempDir t;
  const std::string db = t.path("theirs.sqlite");
  edit(db, "CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1);");
  const auto before = std::filesystem::file_size(db);
  EXPECT_EQ(open_error(db),
            db + ": not an imcnas database (application_id 0x00000000, tables: photos)");
  EXPECT_EQ(std::filesystem::file_size(db), before);
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
}

TEST(Store, FileThatIsNotSqliteIsRefused) {
  TempDir t;
  const std::string db = t.path("notes.sqlite");
  std::ofstream(db) << "these are my notes, not a database\n" << std::string(2000, 'x');
  const std::string e = open_error(db);
  EXPECT_NE(e.find(db + ": not an imcnas database (not readable as SQLite"), std::string::npos)
      << e;
  std::ifstream in(db);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "these are my notes, not a database");
}

TEST(Store, CorruptPagesAreReported) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  {
    Store s(db, Store::Mode::kReadWrite);
    const int64_t id = s.open_search(fresh("k")).id;
    for (int i = 0; i < 200; ++i)
      s.add_running(id, "genome " + std::to_string(i) + std::string(200, 'g'), "d", "proxy", 1);
  }
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  // Overwrite the middle of the file (table pages) with garbage, keep the header intact.
  std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(3 * 4096);
  const std::string junk(8192, '\x5a');
  f.write(junk.data(), long(junk.size()));
  f.close();
  const std::string e = open_error(db);
  EXPECT_NE(e.find(db + ": "), std::string::npos) << e;
  EXPECT_NE(e.find("corrupt"), std::string::npos) << e;
}

// A column gone (a damaged or hand-edited file): our queries no longer compile. That is the
// file's fault, an InputError (exit 2), not a failing machine's (StoreError, exit 3).
TEST(Store, AQueryOnADamagedSchemaIsABadFile) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  int64_t id = 0;
  {
    Store s(db, Store::Mode::kReadWrite);
    id = s.open_search(fresh("k")).id;
    s.add_running(id, "g", "d", "proxy", 1);
  }
  edit(db, "ALTER TABLE candidates RENAME COLUMN status TO statos");
  Store s(db, Store::Mode::kReadOnly);
  try {
    s.candidates(id);
    FAIL() << "read a table without its status column";
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              db + ": the database is damaged (cannot prepare a query: no such column: status)");
  }
}

TEST(Store, NewerSchemaIsRefused) {
  TempDir t;
  const std::string db = t.path("runs.sqlite");
  { Store s(db, Store::Mode::kReadWrite); }
  edit(db, "PRAGMA user_version = 99");
  EXPECT_EQ(open_error(db), db + ": written by a newer imcnas (schema 99, this one reads 1)");
}

}  // namespace
}  // namespace imc::nas
