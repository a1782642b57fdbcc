#include "datadao/store/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace datadao::store {

namespace {

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorruption;
    case SQLITE_CONSTRAINT:
      return ErrorCode::kAlreadyExists;
    case SQLITE_CANTOPEN:
      return ErrorCode::kNotFound;
    case SQLITE_TOOBIG:
      return ErrorCode::kLimitExceeded;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return ErrorCode::kInternal;
    default:
      return ErrorCode::kIoError;
  }
}

// Short form of the SQL for messages: first line, at most 80 characters.
std::string short_sql(std::string_view sql) {
  std::string s(sql.substr(0, sql.find('\n')));
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

}  // namespace

// ---- Statement -----------------------------------------------------------------------------

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept
    : stmt_(std::exchange(o.stmt_, nullptr)),
      db_name_(std::move(o.db_name_)),
      sql_(std::move(o.sql_)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(o.stmt_, nullptr);
    db_name_ = std::move(o.db_name_);
    sql_ = std::move(o.sql_);
  }
  return *this;
}

Error Statement::error_from(int rc, std::string_view what) const {
  const char* msg =
      stmt_ != nullptr ? sqlite3_errmsg(sqlite3_db_handle(stmt_)) : sqlite3_errstr(rc);
  return make_error(code_for(rc), "db " + db_name_ + ": " + std::string(what) + " (" +
                                      short_sql(sql_) + "): " + msg);
}

Status Statement::bind_int64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) return error_from(rc, "bind parameter " + std::to_string(index));
  return Status::Ok();
}

Status Statement::bind_blob(int index, BlobView value) {
  // A zero-length blob must still be a blob (not NULL): pass a non-null pointer.
  static const uint8_t kEmpty = 0;
  const void* p = value.empty() ? &kEmpty : value.data();
  int rc = sqlite3_bind_blob64(stmt_, index, p, value.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) return error_from(rc, "bind parameter " + std::to_string(index));
  return Status::Ok();
}

Status Statement::bind_text(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) return error_from(rc, "bind parameter " + std::to_string(index));
  return Status::Ok();
}

Status Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) return error_from(rc, "bind parameter " + std::to_string(index));
  return Status::Ok();
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = error_from(rc, "step");
  sqlite3_reset(stmt_);
  return e;
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.error();
    if (!*r) return Status::Ok();
    return make_error(ErrorCode::kInternal,
                      "db " + db_name_ + ": statement returned rows (" + short_sql(sql_) + ")");
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

Blob Statement::column_blob(int col) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  return Blob(p, p + n);
}

std::string Statement::column_text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  return std::string(p, static_cast<size_t>(n));
}

// ---- Database ------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;  // callers serialise per connection
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  }
  Database db;
  db.path_ = path;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  db.db_ = handle;  // closed by ~Database even on failure
  if (rc != SQLITE_OK) {
    std::string msg = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    return make_error(code_for(rc), "db " + path.string() + ": open: " + msg);
  }
  sqlite3_extended_result_codes(handle, 1);
  rc = sqlite3_busy_timeout(handle, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return db.last_error(rc, "busy_timeout");

  // journal_mode returns a row; read it to confirm WAL took effect (read-only opens of a WAL
  // database keep WAL; other journal modes on read-only files are left as they are).
  if (!options.read_only) {
    auto mode = db.pragma("journal_mode=WAL");
    if (!mode.ok()) return mode.error();
    if (*mode != "wal") {
      return make_error(
          ErrorCode::kIoError,
          "db " + path.string() + ": could not enable WAL (journal_mode=" + *mode + ")");
    }
  }
  // Touch the schema so that a file that is not a database fails here, not at first use.
  DD_TRY(db.exec(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; SELECT count(*) FROM sqlite_master;"));
  return db;
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database::Database(Database&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}

Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
  }
  return *this;
}

Error Database::last_error(int rc, std::string_view what) const {
  const char* msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return make_error(code_for(rc), "db " + path_.string() + ": " + std::string(what) + ": " + msg);
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return make_error(code_for(rc),
                      "db " + path_.string() + ": exec (" + short_sql(sql) + "): " + msg);
  }
  return Status::Ok();
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return make_error(code_for(rc), "db " + path_.string() + ": prepare (" + short_sql(sql) +
                                        "): " + sqlite3_errmsg(db_));
  }
  if (stmt == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, "db " + path_.string() + ": prepare: empty SQL");
  }
  return Statement(stmt, path_.string(), std::string(sql));
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Database::changes() const { return sqlite3_changes64(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Result<std::string> Database::pragma(std::string_view name) {
  DD_ASSIGN(Statement st, prepare("PRAGMA " + std::string(name)));
  DD_ASSIGN(bool row, st.step());
  if (!row) return std::string();
  return st.column_text(0);
}

// ---- Transaction ---------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db) {
  DD_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)rollback();
}

Transaction::Transaction(Transaction&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}

Status Transaction::commit() {
  if (db_ == nullptr) {
    return make_error(ErrorCode::kInternal, "commit of a transaction that is not active");
  }
  Status s = db_->exec("COMMIT");
  if (!s.ok()) {
    // SQLite may have rolled back already (e.g. I/O error); roll back if it did not.
    if (db_->in_transaction()) (void)db_->exec("ROLLBACK");
    db_ = nullptr;
    return s;
  }
  db_ = nullptr;
  return Status::Ok();
}

Status Transaction::rollback() {
  if (db_ == nullptr) return Status::Ok();
  Database* db = std::exchange(db_, nullptr);
  if (!db->in_transaction()) return Status::Ok();  // SQLite already rolled back
  return db->exec("ROLLBACK");
}

}  // namespace datadao::store
