#include "datadao/store/sqlite.hpp"
#include "datadao/testing/assertions.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace datadao::store {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datadao_sqlite_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path db_path() const { return dir_ / "test.db"; }

  std::filesystem::path dir_;
};

TEST_F(SqliteTest, OpenUsesWalFullSyncAndForeignKeys) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  EXPECT_EQ(*db->pragma("journal_mode"), "wal");
  EXPECT_EQ(*db->pragma("synchronous"), "2");  // FULL
  EXPECT_EQ(*db->pragma("foreign_keys"), "1");
  EXPECT_NE(*db->pragma("busy_timeout"), "0");
}

TEST_F(SqliteTest, OpenWithoutCreateFailsForMissingFile) {
  auto db = Database::open(db_path(), OpenOptions{.create_if_missing = false});
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("test.db"), std::string::npos) << db.error().message;
}

TEST_F(SqliteTest, OpenRejectsFileThatIsNotADatabase) {
  {
    std::ofstream f(db_path(), std::ios::binary);
    f << std::string(4096, 'x');
  }
  auto db = Database::open(db_path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kCorruption) << db.error().to_string();
}

TEST_F(SqliteTest, BlobsTextAndIntegersRoundTrip) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, b BLOB, s TEXT, n INTEGER)").ok());
  auto ins = db->prepare("INSERT INTO t (k, b, s, n) VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(ins.ok()) << ins.error().to_string();
  Blob blob = {0, 1, 2, 0, 255};
  ASSERT_TRUE(ins->bind_int64(1, 7).ok());
  ASSERT_TRUE(ins->bind_blob(2, blob).ok());
  ASSERT_TRUE(ins->bind_text(3, "héllo").ok());
  ASSERT_TRUE(ins->bind_int64(4, INT64_MIN).ok());
  ASSERT_TRUE(ins->run().ok());
  EXPECT_EQ(db->changes(), 1);
  ins->reset();
  ASSERT_TRUE(ins->bind_int64(1, 8).ok());
  ASSERT_TRUE(ins->bind_blob(2, Blob{}).ok());  // empty blob, not NULL
  ASSERT_TRUE(ins->bind_null(3).ok());
  ASSERT_TRUE(ins->bind_int64(4, INT64_MAX).ok());
  ASSERT_TRUE(ins->run().ok());

  auto sel = db->prepare("SELECT b, s, n, b IS NULL FROM t ORDER BY k");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*sel->step());
  EXPECT_EQ(sel->column_blob(0), blob);
  EXPECT_EQ(sel->column_text(1), "héllo");
  EXPECT_EQ(sel->column_int64(2), INT64_MIN);
  ASSERT_TRUE(*sel->step());
  EXPECT_TRUE(sel->column_blob(0).empty());
  EXPECT_EQ(sel->column_int64(3), 0) << "empty blob was stored as NULL";
  EXPECT_TRUE(sel->column_is_null(1));
  EXPECT_EQ(sel->column_int64(2), INT64_MAX);
  EXPECT_FALSE(*sel->step());
}

TEST_F(SqliteTest, PrepareErrorCarriesSqliteMessageAndSql) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  auto st = db->prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("no such table"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("no_such_table"), std::string::npos);
}

TEST_F(SqliteTest, ConstraintViolationIsAlreadyExistsAndDoesNotLeakBoundValues) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t (k TEXT PRIMARY KEY)").ok());
  auto ins = db->prepare("INSERT INTO t (k) VALUES (?1)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->bind_text(1, "secret-value-123").ok());
  ASSERT_TRUE(ins->run().ok());
  ins->reset();
  ASSERT_TRUE(ins->bind_text(1, "secret-value-123").ok());
  Status s = ins->run();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(s.error().message.find("secret-value-123"), std::string::npos) << s.error().message;
}

TEST_F(SqliteTest, RunRejectsStatementThatReturnsRows) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  auto st = db->prepare("SELECT 1");
  ASSERT_TRUE(st.ok());
  EXPECT_ERROR_CODE(st->run(), ErrorCode::kInternal);
}

TEST_F(SqliteTest, TransactionRollsBackWhenDestroyedWithoutCommit) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t (k INTEGER)").ok());
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)").ok());
    EXPECT_TRUE(db->in_transaction());
  }
  EXPECT_FALSE(db->in_transaction());
  auto n = db->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(*n->step());
  EXPECT_EQ(n->column_int64(0), 0);
}

TEST_F(SqliteTest, CommittedTransactionIsVisibleToAnotherConnection) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t (k INTEGER)").ok());
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_FALSE(tx->active());
  }
  auto other = Database::open(db_path(), OpenOptions{.create_if_missing = false});
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  auto n = other->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(*n->step());
  EXPECT_EQ(n->column_int64(0), 2);
}

TEST_F(SqliteTest, SecondWriterTimesOutWithBusyErrorWhileFirstHoldsTheLock) {
  auto a = Database::open(db_path());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->exec("CREATE TABLE t (k INTEGER)").ok());
  auto b = Database::open(db_path(), OpenOptions{.busy_timeout_ms = 1});
  ASSERT_TRUE(b.ok());
  auto tx = Transaction::begin(*a);
  ASSERT_TRUE(tx.ok());
  auto tx2 = Transaction::begin(*b);
  ASSERT_FALSE(tx2.ok());
  EXPECT_EQ(tx2.error().code, ErrorCode::kIoError);
  EXPECT_NE(tx2.error().message.find("locked"), std::string::npos) << tx2.error().message;
}

TEST_F(SqliteTest, ForeignKeysAreEnforced) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                       "CREATE TABLE c (pid INTEGER NOT NULL REFERENCES p(id))")
                  .ok());
  EXPECT_ERROR_CODE(db->exec("INSERT INTO c VALUES (42)"), ErrorCode::kAlreadyExists);
}

TEST_F(SqliteTest, MovedStatementStillSteps) {
  auto db = Database::open(db_path());
  ASSERT_TRUE(db.ok());
  auto st = db->prepare("SELECT 5");
  ASSERT_TRUE(st.ok());
  Statement moved = std::move(*st);
  ASSERT_TRUE(*moved.step());
  EXPECT_EQ(moved.column_int64(0), 5);
}

}  // namespace
}  // namespace datadao::store
