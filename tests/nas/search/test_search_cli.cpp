// imcnas search/results/pareto/report as a user runs them: worker children, crashed children,
// resume after SIGKILL, MPI ranks, and bad input.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "nas/store/store.h"
#include "run_tool.h"

namespace imc::nas {
namespace {

using test::read_text;
using test::run_tool;
using test::Scratch;
using test::ToolRun;

const std::string kDir = IMCSIM_SOURCE_DIR;

struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }
  const char* name_;
};

// Candidates run in the synthetic-only evaluator, which starts in milliseconds (imcnas loads
// libtorch, seconds): the search machinery is the same. SearchThenResultsParetoAndReport runs
// the real `imcnas evaluate`.
struct FastEvaluator : ScopedEnv {
  FastEvaluator() : ScopedEnv("IMCNAS_EVALUATOR", SYNTHETIC_EVALUATOR) {}
};

// A search on the network-only space and tile8x8 with the synthetic evaluator.
std::string search_args(const std::string& db, const std::string& extra) {
  return "search --space configs/nas/fashion_bnn.yaml --arch configs/tile8x8.yaml "
         "--evaluator synthetic --objectives accuracy,energy --db '" +
         db + "' " + extra;
}

ToolRun imcnas(const std::string& args) {
  return run_tool(IMCNAS_BINARY, args);
}

std::vector<CandidateRecord> stored(const std::string& db, int64_t search = 0) {
  const Store s(db, Store::Mode::kReadOnly);
  return s.candidates(s.search(search).id);
}

// What a search found, without ids, timings and workers.
std::vector<std::string> outcomes(const std::vector<CandidateRecord>& cs) {
  std::vector<std::string> out;
  for (const CandidateRecord& c : cs) {
    std::ostringstream s;
    s.precision(17);
    s << c.seq << " " << c.genome << " " << c.status << " " << c.failure << " "
      << c.metrics.accuracy << " " << c.metrics.energy_pj_per_image;
    out.push_back(s.str());
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(SearchCli, SearchThenResultsParetoAndReport) {
  Scratch t;
  const std::string db = t.path("runs.sqlite");
  unsetenv("IMCNAS_EVALUATOR");  // the real `imcnas evaluate` children
  const ToolRun r = imcnas(search_args(db, "--algo random --budget 6 --workers 2 --seed 3"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("6/6 candidates"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 local workers"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("elapsed"), std::string::npos) << r.err;

  const ToolRun csv = imcnas("results --db '" + db + "' --format csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  const std::vector<std::string> rows = lines(csv.out);
  ASSERT_EQ(rows.size(), 7u);  // header + 6 distinct genomes (random search never repeats)
  EXPECT_EQ(rows[0].rfind("id,search,seq,status,feasible,pareto,accuracy,cycles,energy_pj,", 0), 0u)
      << rows[0];
  EXPECT_EQ(rows[1].rfind("1,1,0,", 0), 0u) << rows[1];

  const ToolRun front = imcnas("pareto --db '" + db + "'");
  ASSERT_EQ(front.status, 0) << front.err;
  const std::vector<std::string> front_rows = lines(front.out);
  ASSERT_GE(front_rows.size(), 2u);
  ASSERT_LE(front_rows.size(), rows.size());
  for (size_t i = 1; i < front_rows.size(); ++i)
    EXPECT_NE(front_rows[i].find(",ok,1,1,"), std::string::npos) << front_rows[i];

  const ToolRun json =
      imcnas("results --db '" + db + "' --format json -o '" + t.path("r.json") + "'");
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_NE(read_text(t.path("r.json")).find("\"genome_json\": {"), std::string::npos);

  const ToolRun report = imcnas("report --db '" + db + "' -o '" + t.path("report.html") + "'");
  ASSERT_EQ(report.status, 0) << report.err;
  const std::string html = read_text(t.path("report.html"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Hypervolume against evaluations"), std::string::npos);
  EXPECT_NE(html.find("<polyline class=\"hv\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, static
  EXPECT_FALSE(std::ifstream(t.path("report.html.tmp")).good());
}

TEST(SearchCli, ResultsDoNotDependOnTheNumberOfWorkers) {
  FastEvaluator fast;
  Scratch t;
  const std::string args = "--algo nsga2 --population 8 --budget 16 --seed 5";
  ASSERT_EQ(imcnas(search_args(t.path("one.sqlite"), args + " --workers 1")).status, 0);
  ASSERT_EQ(imcnas(search_args(t.path("two.sqlite"), args + " --workers 2")).status, 0);
  EXPECT_EQ(outcomes(stored(t.path("one.sqlite"))), outcomes(stored(t.path("two.sqlite"))));
}

TEST(SearchCli, CrashedChildIsRetriedOnce) {
  FastEvaluator fast;
  Scratch t;
  ScopedEnv crash("IMCNAS_SYNTHETIC_CRASH", "every:2");
  ScopedEnv once("IMCNAS_SYNTHETIC_CRASH_ONCE_DIR", t.path("markers"));
  const ToolRun r = imcnas(search_args(t.path("runs.sqlite"), "--algo random --budget 8"));
  ASSERT_EQ(r.status, 0) << r.err;
  int retried = 0;
  for (const CandidateRecord& c : stored(t.path("runs.sqlite"))) {
    EXPECT_EQ(c.status, "ok") << c.failure;
    retried += c.attempts == 2;
  }
  EXPECT_GT(retried, 0);
}

TEST(SearchCli, ChildThatAlwaysCrashesFailsItsCandidateOnly) {
  FastEvaluator fast;
  Scratch t;
  ScopedEnv crash("IMCNAS_SYNTHETIC_CRASH", "every:3");
  const ToolRun r =
      imcnas(search_args(t.path("runs.sqlite"), "--algo random --budget 9 --workers 2"));
  ASSERT_EQ(r.status, 0) << r.err;
  int crashed = 0, ok = 0;
  for (const CandidateRecord& c : stored(t.path("runs.sqlite"))) {
    if (c.status == "failed") {
      EXPECT_EQ(c.failure, "evaluator crashed 2 times: killed by signal 6 (Aborted)");
      EXPECT_EQ(c.attempts, 2);
      ++crashed;
    }
    ok += c.ok();
  }
  EXPECT_GT(crashed, 0);
  EXPECT_GT(ok, 0);
  EXPECT_NE(r.err.find("failed: evaluator crashed 2 times"), std::string::npos) << r.err;
}

TEST(SearchCli, CandidateOverTheTimeLimitFails) {
  FastEvaluator fast;
  Scratch t;
  ScopedEnv slow("IMCNAS_SYNTHETIC_SLEEP_MS", "20000");
  const ToolRun r = imcnas(
      search_args(t.path("runs.sqlite"), "--algo random --budget 2 --workers 2 --timeout 0.5"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<CandidateRecord> cs = stored(t.path("runs.sqlite"));
  ASSERT_EQ(cs.size(), 2u);
  for (const CandidateRecord& c : cs) {
    EXPECT_EQ(c.failure, "timed out after 0.5 s");
    EXPECT_EQ(c.attempts, 1);
  }
}

pid_t start(const std::string& args) {
  const std::string cmd =
      std::string("cd '") + kDir + "' && exec '" IMCNAS_BINARY "' " + args + " 2>/dev/null";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

size_t count_done(const std::string& db) {
  try {
    size_t n = 0;
    for (const CandidateRecord& c : stored(db)) n += c.done();
    return n;
  } catch (const std::exception&) {
    return 0;  // not created yet
  }
}

TEST(SearchCli, KilledSearchResumesWithNothingLostOrEvaluatedTwice) {
  FastEvaluator fast;
  Scratch t;
  const std::string args = "--algo nsga2 --population 8 --budget 24 --workers 2 --seed 7";
  ASSERT_EQ(imcnas(search_args(t.path("straight.sqlite"), args)).status, 0);
  const std::string db = t.path("runs.sqlite"), log = t.path("evaluations.log");
  {
    ScopedEnv slow("IMCNAS_SYNTHETIC_SLEEP_MS", "200");
    ScopedEnv record("IMCNAS_SYNTHETIC_LOG", log);
    const pid_t pid = start(search_args(db, args));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (count_done(db) < 9 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  const size_t before = count_done(db);
  ASSERT_GE(before, 9u);
  ASSERT_LT(before, stored(t.path("straight.sqlite")).size()) << "killed too late";
  {
    ScopedEnv record("IMCNAS_SYNTHETIC_LOG", log);
    const ToolRun again = imcnas(search_args(db, args));
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_NE(again.err.find("resuming"), std::string::npos) << again.err;
  }
  const std::vector<CandidateRecord> resumed = stored(db);
  EXPECT_EQ(outcomes(resumed), outcomes(stored(t.path("straight.sqlite"))));
  // Each genome evaluated once, except those the kill interrupted after their child had
  // written the log line but before the result was stored: at most one per worker.
  std::map<std::string, int> evaluations;
  for (const std::string& g : lines(read_text(log))) ++evaluations[g];
  int twice = 0;
  for (const auto& [genome, n] : evaluations) {
    EXPECT_LE(n, 2) << genome;
    twice += n == 2;
  }
  EXPECT_LE(twice, 2);
  size_t by_children = 0;
  for (const CandidateRecord& c : resumed) by_children += c.worker != "coordinator";
  EXPECT_EQ(evaluations.size(), by_children);
}

TEST(SearchCli, MpiRanksGiveTheSameResults) {
  if (std::string(MPIRUN).empty()) GTEST_SKIP() << "mpirun not found";
  FastEvaluator fast;
  Scratch t;
  const std::string args = "--algo nsga2 --population 8 --budget 16 --seed 11";
  ASSERT_EQ(imcnas(search_args(t.path("local.sqlite"), args)).status, 0);
  const std::string cmd = "cd '" + kDir +
                          "' && '" MPIRUN
                          "' --allow-run-as-root --oversubscribe "
                          "-x IMCNAS_EVALUATOR -np 3 '" IMCNAS_BINARY "' " +
                          search_args(t.path("mpi.sqlite"), args) + " >'" + t.path("out") +
                          "' 2>&1";
  const int raw = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << read_text(t.path("out"));
  EXPECT_NE(read_text(t.path("out")).find("MPI: 2 worker ranks"), std::string::npos)
      << read_text(t.path("out"));
  const std::vector<CandidateRecord> mpi = stored(t.path("mpi.sqlite"));
  EXPECT_EQ(outcomes(mpi), outcomes(stored(t.path("local.sqlite"))));
  std::map<std::string, int> by_worker;
  for (const CandidateRecord& c : mpi) ++by_worker[c.worker.substr(0, 6)];
  EXPECT_GT(by_worker["rank 1"] + by_worker["rank 2"], 0);
  EXPECT_EQ(by_worker.count("local"), 0u);
}

struct BadCase {
  std::string args, message;
};

void expect_exit_2(const std::vector<BadCase>& cases) {
  for (const BadCase& c : cases) {
    const ToolRun r = imcnas(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind(c.message, 0), 0u) << c.args << "\n  got: " << r.err;
  }
}

TEST(SearchCli, BadOptionsAndSpacesExitTwo) {
  FastEvaluator fast;
  Scratch t;
  const std::string db = t.path("runs.sqlite");
  const std::string space = t.file("space.yaml",
                                   "blocks: {count: 2, kinds: [vgg], channels: [8]}\n"
                                   "head: {width: [0]}\n"
                                   "precision: {weights: [binary], activations: [binary]}\n"
                                   "fidelity: {proxy: {epoch: 1}}\n");
  expect_exit_2({
      {"search --space configs/nas/fashion_bnn.yaml --arch configs/tile8x8.yaml",
       "imcnas search: --db is required (see --help)"},
      {"search --space configs/nas/fashion_bnn.yaml --arch configs/tile8x8.yaml --db '" + db +
           "' --objectives accuracy,speed",
       "imcnas search: --objectives 'accuracy,speed': unknown objective 'speed'"},
      {search_args(db, "--constraint 'energy=5'"),
       "imcnas search: --constraint 'energy=5': expected METRIC<=BOUND"},
      {search_args(db, "--algo nsga2 --population 12 --budget 8"),
       "imcnas search: --budget 8 is smaller than one generation (--population 12)"},
      {search_args(db, "--fidelity nightly"),
       "imcnas search: configs/nas/fashion_bnn.yaml: no fidelity 'nightly' (the space defines "
       "full, proxy)"},
      {"search --space '" + space + "' --arch configs/tile8x8.yaml --db '" + db + "'",
       "imcnas search: " + space + ":4: key 'fidelity.proxy.epoch': unknown key"},
  });
  EXPECT_FALSE(std::ifstream(db).good());  // nothing was created
}

TEST(SearchCli, DatabasesThatAreNotOursExitTwoUntouched) {
  FastEvaluator fast;
  Scratch t;
  const std::string foreign = t.file("notes.sqlite", "not a database at all, just text\n");
  expect_exit_2({
      {search_args(foreign, "--algo random --budget 4"),
       "imcnas search: " + foreign + ": not an imcnas database"},
      {"results --db '" + foreign + "'", "imcnas results: " + foreign + ": not an imcnas database"},
      {"results --db '" + t.path("none.sqlite") + "'",
       "imcnas results: " + t.path("none.sqlite") + ": no such database"},
      {"report --db '" + foreign + "'", "imcnas report: -o is required (see --help)"},
  });
  EXPECT_EQ(read_text(foreign), "not a database at all, just text\n");
}

// Ours but damaged (found by scripts/fuzz): a genome that is no longer JSON, text that is no
// longer UTF-8. Reading it is refused with exit 2 naming the candidate, or shown with U+FFFD.
// Runs one SQL statement on the database at `db`, as a damaged or hand-edited file would.
void edit(const std::string& db, const std::string& statement) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(h, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << statement;
  sqlite3_close(h);
}

TEST(SearchCli, DamagedRowsAreBadInputNotRunTimeFailures) {
  FastEvaluator fast;
  Scratch t;
  const std::string db = t.path("runs.sqlite");
  ASSERT_EQ(imcnas(search_args(db, "--algo random --budget 2")).status, 0);
  edit(db, "UPDATE candidates SET worker = 'lo' || CAST(X'B2' AS TEXT) || 'al'");
  const ToolRun json = imcnas("results --db '" + db + "' --format json");
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_NE(json.out.find("\"worker\": \"lo\xef\xbf\xbd"
                          "al\""),
            std::string::npos)
      << json.out;
  edit(db, "UPDATE candidates SET genome = '{\"ki' WHERE seq = 1");
  for (const char* sub : {"results", "pareto"}) {
    const ToolRun r = imcnas(std::string(sub) + " --db '" + db + "'");
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(": candidate 2: its genome is not JSON; the database is damaged"),
              std::string::npos)
        << r.err;
  }
}

}  // namespace
}  // namespace imc::nas
