// A thin RAII layer over the SQLite C API: a connection, prepared statements, transactions.
// Every failure throws StoreError naming the database file and SQLite's message.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace imc::nas::sql {

// The database failed at run time (disk full, locked for too long, corrupt page, ...).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Database {
 public:
  // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE. Returns the
  // SQLite result code instead of throwing, so the caller can word "cannot open" itself.
  int open(const std::string& path, int flags);
  ~Database();
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);  // statements without results
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  std::string error() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(const Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters count from 1, as in SQL's ?1, ?2, ...
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, const std::string& v);
  Statement& bind_null(int i);

  bool step();  // true: a row is ready; false: done. Throws on errors.
  void run() {
    while (step()) {
    }
  }
  void reset();

  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const;

 private:
  const Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless committed (an exception on the way).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace imc::nas::sql
