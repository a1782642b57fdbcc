// A small RAII wrapper over SQLite: a Database connection, prepared Statements and an RAII
// Transaction. Generic: it knows nothing about the ledger or any other module.
//
// Every fallible call returns Status/Result whose message carries SQLite's own message and names
// the database file and (for statements) the SQL being run. Bound values are never included in
// messages, so secrets passed as parameters cannot leak into logs.
//
// Databases are opened with journal_mode=WAL, synchronous=FULL (a COMMIT that returned is
// durable across power loss and kill -9), foreign_keys=ON and a busy timeout.
//
// Thread-safety: a Database and the Statements prepared on it must be used by one thread at a
// time (the caller serialises). Different Database objects (even on the same file) may be used
// from different threads or processes concurrently; SQLite's locking arbitrates.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace datadao::store {

using Blob = std::vector<uint8_t>;
using BlobView = std::span<const uint8_t>;

class Database;

// A prepared statement. Parameters are 1-based (as in SQLite), columns 0-based.
// Move-only; finalised on destruction. Must not outlive its Database.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding. Blob and text values are copied by SQLite (SQLITE_TRANSIENT), so the arguments
  // need not outlive the call.
  Status bind_int64(int index, int64_t value);
  Status bind_blob(int index, BlobView value);
  Status bind_text(int index, std::string_view value);
  Status bind_null(int index);

  // Runs one step: true = a row is available (read it with column_*), false = done.
  Result<bool> step();
  // Steps until done, for statements that return no rows (INSERT/UPDATE/DELETE/DDL).
  // Fails with kInternal if the statement produced a row.
  Status run();
  // Resets the statement and clears its bindings so it can be reused.
  void reset();

  int column_count() const;
  bool column_is_null(int col) const;
  int64_t column_int64(int col) const;
  Blob column_blob(int col) const;
  std::string column_text(int col) const;

  const std::string& sql() const { return sql_; }

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, std::string db_name, std::string sql)
      : stmt_(stmt), db_name_(std::move(db_name)), sql_(std::move(sql)) {}
  Error error_from(int rc, std::string_view what) const;

  sqlite3_stmt* stmt_ = nullptr;
  std::string db_name_;  // for error messages
  std::string sql_;
};

struct OpenOptions {
  bool create_if_missing = true;  // false: fail with kNotFound if the file does not exist
  bool read_only = false;
  int busy_timeout_ms = 5000;
};

class Database {
 public:
  // Opens (or creates) the database file and applies the pragmas listed above.
  static Result<Database> open(const std::filesystem::path& path, const OpenOptions& options = {});

  Database() = default;
  ~Database();
  Database(Database&& o) noexcept;
  Database& operator=(Database&& o) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool is_open() const { return db_ != nullptr; }
  const std::filesystem::path& path() const { return path_; }

  // Executes one or more SQL statements without parameters (schema, pragmas).
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);

  int64_t last_insert_rowid() const;
  int64_t changes() const;  // rows changed by the most recent INSERT/UPDATE/DELETE
  bool in_transaction() const;

  // Reads one pragma value as text ("wal", "2", ...); for tests and diagnostics.
  Result<std::string> pragma(std::string_view name);

  // The current SQLite error for this connection, formatted "db <path>: <what>: <sqlite msg>".
  Error last_error(int rc, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

// BEGIN IMMEDIATE on construction via begin(); ROLLBACK on destruction unless commit() succeeded.
// Not nestable (SQLite has no nested BEGIN); use one per Database at a time. The Database must
// outlive the Transaction and must not be moved while it is active.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);

  ~Transaction();
  Transaction(Transaction&& o) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT. On failure the transaction is rolled back (if still active) and the error returned.
  Status commit();
  // Explicit ROLLBACK (also done by the destructor).
  Status rollback();
  bool active() const { return db_ != nullptr; }

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

}  // namespace datadao::store
