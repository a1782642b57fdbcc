// The file layer: atomic writes and bounded reads, their refusals, and every system call failure
// injected through FileSyscalls (short writes, EINTR, ENOSPC, EIO from fsync, a failed rename).
#include "datadao/store/file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace datadao::store {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("datadao_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    set_file_syscalls(nullptr);
    fs::remove_all(dir_);
  }
  // Names in the directory other than `keep` (leftover temporary files).
  std::vector<std::string> others(const std::string& keep = "") const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename() != keep) out.push_back(e.path().filename().string());
    }
    return out;
  }

  fs::path dir_;
};

// ---- Atomic writes -----------------------------------------------------------------------------

TEST_F(FileTest, WriteThenReadRoundTripsAndLeavesNoTemporaryFile) {
  const fs::path p = dir_ / "config.json";
  ASSERT_TRUE(write_file_atomic(p, std::string_view("{\"a\": 1}\n")).ok());
  auto text = read_text_file(p, 1024);
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  EXPECT_EQ(*text, "{\"a\": 1}\n");
  EXPECT_TRUE(others("config.json").empty());
}

TEST_F(FileTest, SecretsAreWrittenWithExactlyMode0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  const fs::path p = dir_ / "key";
  Status st = write_file_atomic(p, std::string_view("secret"));
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(mode_of(p), 0600u);
}

TEST_F(FileTest, RequestedModeIsAppliedExactly) {
  const mode_t old = ::umask(077);
  const fs::path p = dir_ / "public.json";
  Status st = write_file_atomic(p, std::string_view("{}"), WriteOptions{.mode = 0644});
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(mode_of(p), 0644u);
}

TEST_F(FileTest, ReplaceOverwritesAnExistingFile) {
  const fs::path p = dir_ / "f";
  ASSERT_TRUE(write_file_atomic(p, std::string_view("old")).ok());
  ASSERT_TRUE(write_file_atomic(p, std::string_view("new")).ok());
  EXPECT_EQ(slurp(p), "new");
}

TEST_F(FileTest, NoReplaceRefusesAnExistingFileWithAlreadyExists) {
  const fs::path p = dir_ / "alice.wallet";
  ASSERT_TRUE(write_file_atomic(p, std::string_view("first")).ok());
  Status st = write_file_atomic(p, std::string_view("second"),
                                WriteOptions{.publish = Publish::kNoReplace}, "wallet alice");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists) << st.error().to_string();
  EXPECT_NE(st.error().message.find("wallet alice"), std::string::npos) << st.error().message;
  EXPECT_EQ(slurp(p), "first");
  EXPECT_TRUE(others("alice.wallet").empty());
}

TEST_F(FileTest, EmptyFileIsWrittenAndRead) {
  const fs::path p = dir_ / "empty";
  ASSERT_TRUE(write_file_atomic(p, FileByteView{}).ok());
  auto c = read_file_limited(p, 0);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_TRUE(c->bytes.empty());
}

TEST_F(FileTest, MissingDirectoryIsAnIoErrorNamingTheTarget) {
  Status st = write_file_atomic(dir_ / "no" / "such" / "f", std::string_view("x"), {}, "node key");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIoError);
  EXPECT_EQ(st.error().message.rfind("node key: ", 0), 0u) << st.error().message;
}

TEST_F(FileTest, UncommittedFileLeavesNothingBehind) {
  const fs::path p = dir_ / "f";
  {
    auto f = AtomicFile::create(p);
    ASSERT_TRUE(f.ok()) << f.error().to_string();
    ASSERT_TRUE(f->write(FileByteView(reinterpret_cast<const uint8_t*>("abc"), 3)).ok());
    EXPECT_TRUE(fs::exists(f->temp_path()));
  }
  EXPECT_FALSE(fs::exists(p));
  EXPECT_TRUE(others().empty());
}

TEST_F(FileTest, CommitTwiceIsRefused) {
  auto f = AtomicFile::create(dir_ / "f");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->commit().ok());
  Status again = f->commit();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
}

// ---- Bounded reads -----------------------------------------------------------------------------

TEST_F(FileTest, ReadAtTheLimitSucceedsAndOneBytePastIsLimitExceeded) {
  const fs::path p = dir_ / "f";
  ASSERT_TRUE(write_file_atomic(p, std::string(100, 'x')).ok());
  auto at = read_file_limited(p, 100);
  ASSERT_TRUE(at.ok()) << at.error().to_string();
  EXPECT_EQ(at->bytes.size(), 100u);
  auto past = read_file_limited(p, 99, "wallet file f");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(past.error().message.find("wallet file f"), std::string::npos);
}

TEST_F(FileTest, ReadOfAMissingFileIsNotFound) {
  auto r = read_text_file(dir_ / "absent", 10, "config");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "config: no such file");
}

TEST_F(FileTest, ReadOfADirectoryIsCorruption) {
  auto r = read_file_limited(dir_, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_NE(r.error().message.find("not a regular file"), std::string::npos);
}

TEST_F(FileTest, ReadWithoutPermissionIsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const fs::path p = dir_ / "f";
  ASSERT_TRUE(write_file_atomic(p, std::string_view("x"), WriteOptions{.mode = 0200}).ok());
  auto r = read_file_limited(p, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied) << r.error().to_string();
}

TEST_F(FileTest, ReadReportsTheModeOfTheFile) {
  const fs::path p = dir_ / "f";
  ASSERT_TRUE(write_file_atomic(p, std::string_view("x"), WriteOptions{.mode = 0640}).ok());
  auto r = read_file_limited(p, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->mode & 07777, 0640u);
}

// ---- Injected faults ---------------------------------------------------------------------------

// Counters and switches for the fake system calls (the seam takes plain function pointers).
struct Faults {
  int write_calls = 0;
  int eintr_every = 0;   // every n-th write fails with EINTR
  size_t max_write = 0;  // short writes of at most this many bytes (0 = no limit)
  int write_errno = 0;   // every write fails with this
  int fsync_errno = 0;   // every fsync fails with this
  int rename_errno = 0;  // rename fails with this
  int fsyncs = 0;
};
Faults g_faults;

FileSyscalls faulty() {
  FileSyscalls s = real_file_syscalls();
  s.write = [](int fd, const void* buf, size_t n) -> ssize_t {
    ++g_faults.write_calls;
    if (g_faults.write_errno != 0) {
      errno = g_faults.write_errno;
      return -1;
    }
    if (g_faults.eintr_every > 0 && g_faults.write_calls % g_faults.eintr_every == 0) {
      errno = EINTR;
      return -1;
    }
    if (g_faults.max_write > 0) n = std::min(n, g_faults.max_write);
    return real_file_syscalls().write(fd, buf, n);
  };
  s.fsync = [](int fd) -> int {
    ++g_faults.fsyncs;
    if (g_faults.fsync_errno != 0) {
      errno = g_faults.fsync_errno;
      return -1;
    }
    return real_file_syscalls().fsync(fd);
  };
  s.rename = [](const char* from, const char* to) -> int {
    if (g_faults.rename_errno != 0) {
      errno = g_faults.rename_errno;
      return -1;
    }
    return real_file_syscalls().rename(from, to);
  };
  return s;
}

class FileFaultTest : public FileTest {
 protected:
  void SetUp() override {
    FileTest::SetUp();
    g_faults = Faults{};
    calls_ = faulty();
    set_file_syscalls(&calls_);
  }
  // Writing f fails with an I/O error naming `step`; neither f nor a temporary file exists.
  void expect_write_fails_leaving_nothing(const std::string& step) {
    const fs::path p = dir_ / "f";
    Status st = write_file_atomic(p, std::string_view("x"));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kIoError);
    EXPECT_NE(st.error().message.find(step), std::string::npos) << st.error().message;
    EXPECT_FALSE(fs::exists(p));
    EXPECT_TRUE(others().empty());
  }
  FileSyscalls calls_{};
};

TEST_F(FileFaultTest, ShortWritesAndEintrStillWriteEveryByte) {
  g_faults.max_write = 7;
  g_faults.eintr_every = 3;
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>('a' + i % 26);
  const fs::path p = dir_ / "f";
  Status st = write_file_atomic(p, data);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_GT(g_faults.write_calls, 1000 / 7);
  set_file_syscalls(nullptr);
  EXPECT_EQ(slurp(p), data);
}

TEST_F(FileFaultTest, DurableWriteFsyncsTheFileAndTheDirectory) {
  ASSERT_TRUE(write_file_atomic(dir_ / "f", std::string_view("x")).ok());
  EXPECT_EQ(g_faults.fsyncs, 2);
}

TEST_F(FileFaultTest, ScratchWriteDoesNotFsync) {
  ASSERT_TRUE(
      write_file_atomic(dir_ / "f", std::string_view("x"), WriteOptions{.durable = false}).ok());
  EXPECT_EQ(g_faults.fsyncs, 0);
}

TEST_F(FileFaultTest, DiskFullIsAnIoErrorAndLeavesTheOldFile) {
  const fs::path p = dir_ / "f";
  set_file_syscalls(nullptr);
  ASSERT_TRUE(write_file_atomic(p, std::string_view("old")).ok());
  set_file_syscalls(&calls_);
  g_faults.write_errno = ENOSPC;
  Status st = write_file_atomic(p, std::string_view("new"), {}, "keyring");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIoError);
  EXPECT_NE(st.error().message.find(std::strerror(ENOSPC)), std::string::npos)
      << st.error().message;
  EXPECT_EQ(st.error().message.rfind("keyring: ", 0), 0u) << st.error().message;
  EXPECT_EQ(slurp(p), "old");
  EXPECT_TRUE(others("f").empty());
}

TEST_F(FileFaultTest, FsyncFailureIsAnIoErrorAndPublishesNothing) {
  g_faults.fsync_errno = EIO;
  expect_write_fails_leaving_nothing("fsync");
}

TEST_F(FileFaultTest, RenameFailureIsAnIoErrorAndRemovesTheTemporaryFile) {
  g_faults.rename_errno = EXDEV;
  expect_write_fails_leaving_nothing("rename");
}

TEST_F(FileFaultTest, RenameDurableMovesTheFileAndFsyncsItsDirectory) {
  set_file_syscalls(nullptr);
  ASSERT_TRUE(write_file_atomic(dir_ / "tmp", std::string_view("blob")).ok());
  set_file_syscalls(&calls_);
  ASSERT_TRUE(rename_durable(dir_ / "tmp", dir_ / "blob", "blob 00").ok());
  EXPECT_EQ(g_faults.fsyncs, 1);
  EXPECT_EQ(slurp(dir_ / "blob"), "blob");
  g_faults.rename_errno = ENOENT;
  Status st = rename_durable(dir_ / "tmp", dir_ / "blob", "blob 00");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIoError);
  EXPECT_EQ(st.error().message.rfind("blob 00: rename into ", 0), 0u) << st.error().message;
}

TEST_F(FileFaultTest, ReadRetriesEintr) {
  const fs::path p = dir_ / "f";
  ASSERT_TRUE(write_file_atomic(p, std::string(5000, 'z')).ok());
  static int reads = 0;
  reads = 0;
  calls_.read = [](int fd, void* buf, size_t n) -> ssize_t {
    if (++reads % 2 == 1) {
      errno = EINTR;
      return -1;
    }
    return real_file_syscalls().read(fd, buf, std::min<size_t>(n, 100));
  };
  auto r = read_file_limited(p, 5000);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->bytes.size(), 5000u);
  EXPECT_GT(reads, 50);
}

}  // namespace
}  // namespace datadao::store
