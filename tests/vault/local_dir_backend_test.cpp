// LocalDirBackend: sharded layout, hash verification on the way in and out, and no partial blob
// ever visible under a valid name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/testing/temp_dir.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::vault {
namespace {

namespace fs = std::filesystem;

class VaultLocalDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, 8> r{};
    crypto::random_bytes(r);
    dir_ = fs::temp_directory_path() / ("vault-localdir-test-" + codec::to_hex(r));
    fs::create_directories(dir_ / "work");
    store_ = std::make_unique<LocalDirBackend>(dir_ / "store");
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t tmp_entries() const {
    if (!fs::exists(store_->tmp_dir())) return 0;
    size_t n = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(store_->tmp_dir())) ++n;
    return n;
  }
  // Regular files anywhere under the store except tmp/.
  size_t stored_files() const {
    size_t n = 0;
    if (!fs::exists(store_->root())) return 0;
    for (auto& e : fs::recursive_directory_iterator(store_->root())) {
      if (e.is_regular_file() && e.path().parent_path() != store_->tmp_dir()) ++n;
    }
    return n;
  }

  fs::path dir_;
  std::unique_ptr<LocalDirBackend> store_;
};

TEST_F(VaultLocalDir, StoresUnderTheShardedHashPath) {
  Bytes data = testkit::patterned_bytes(1000, 1);
  Hash32 h = crypto::blake2b256(data);
  fs::path src = dir_ / "work" / "blob";
  testkit::write_bytes(src, data);
  ASSERT_TRUE(store_->put_file(h, src).ok());
  std::string hex = codec::to_hex(h);
  fs::path expected = store_->root() / hex.substr(0, 2) / hex.substr(2, 2) / hex;
  EXPECT_EQ(store_->blob_path(h), expected);
  EXPECT_EQ(testkit::read_bytes(expected), data);
  EXPECT_EQ(store_->locator(h), "file://" + expected.string());
  EXPECT_TRUE(store_->root().is_absolute());
  EXPECT_TRUE(*store_->exists(h));
  EXPECT_EQ(*store_->blob_size(h), data.size());
  EXPECT_EQ(tmp_entries(), 0u);
}

TEST_F(VaultLocalDir, PutWithAWrongHashIsRefusedAndLeavesNothing) {
  Bytes data = testkit::patterned_bytes(5000, 2);
  Hash32 wrong = crypto::blake2b256(testkit::patterned_bytes(5000, 3));
  fs::path src = dir_ / "work" / "blob";
  testkit::write_bytes(src, data);
  Status st = store_->put_file(wrong, src);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorruption);
  EXPECT_NE(st.error().message.find(blob_label(wrong)), std::string::npos) << st.error().message;
  EXPECT_FALSE(*store_->exists(wrong));
  EXPECT_FALSE(*store_->exists(crypto::blake2b256(data)));
  EXPECT_EQ(stored_files(), 0u);
  EXPECT_EQ(tmp_entries(), 0u);
}

TEST_F(VaultLocalDir, UncommittedWriteNeverAppearsUnderAName) {
  // A writer that dies before commit (crash, error) leaves at most a file in tmp/, never a blob.
  Bytes data = testkit::patterned_bytes(3000, 4);
  Hash32 h = crypto::blake2b256(data);
  {
    auto sink = store_->begin_write();
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->write(ByteView(data.data(), 1000)).ok());
    EXPECT_EQ(tmp_entries(), 1u);  // the partial bytes live only under a temporary name
    EXPECT_EQ(stored_files(), 0u);
    EXPECT_FALSE(*store_->exists(h));
  }
  EXPECT_EQ(tmp_entries(), 0u);
  EXPECT_EQ(stored_files(), 0u);
}

TEST_F(VaultLocalDir, OrphanedTemporaryFileIsNotABlob) {
  // What a kill -9 between write and rename leaves behind.
  Bytes data = testkit::patterned_bytes(100, 5);
  Hash32 h = crypto::blake2b256(data);
  fs::create_directories(store_->tmp_dir());
  testkit::write_bytes(store_->tmp_dir() / "blob-deadbeef.tmp", data);
  EXPECT_FALSE(*store_->exists(h));
  auto r = store_->get_bytes(h);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(VaultLocalDir, CommitWithExpectedHashRefusesOtherBytes) {
  auto sink = store_->begin_write();
  ASSERT_TRUE(sink.ok());
  Bytes data = testkit::patterned_bytes(100, 6);
  ASSERT_TRUE((*sink)->write(data).ok());
  Hash32 wrong{};
  auto r = (*sink)->commit(wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(stored_files(), 0u);
  EXPECT_EQ(tmp_entries(), 0u);
}

TEST_F(VaultLocalDir, GetFileVerifiesTheStoredBytes) {
  Bytes data = testkit::patterned_bytes(4000, 7);
  Hash32 h = crypto::blake2b256(data);
  ASSERT_TRUE(store_->put_bytes(h, data).ok());
  fs::path out = dir_ / "work" / "copy";
  ASSERT_TRUE(store_->get_file(h, out).ok());
  EXPECT_EQ(testkit::read_bytes(out), data);
  fs::remove(out);

  // Bit rot on disk: the copy is refused and nothing is left at `out`.
  Bytes rotten = data;
  rotten[1234] ^= 0x20;
  testkit::write_bytes(store_->blob_path(h), rotten);
  Status st = store_->get_file(h, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorruption);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "work"), fs::directory_iterator()), 0);
  EXPECT_ERROR_CODE(store_->get_bytes(h), ErrorCode::kCorruption);
}

TEST_F(VaultLocalDir, MissingBlobIsNotFound) {
  Hash32 h{};
  h[31] = 9;
  EXPECT_FALSE(*store_->exists(h));
  Status st = store_->get_file(h, dir_ / "work" / "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "work" / "x"));
  EXPECT_EQ(store_->blob_size(h).error().code, ErrorCode::kNotFound);
}

TEST_F(VaultLocalDir, PutBytesEnforcesItsLimitAndTheHash) {
  Bytes data = testkit::patterned_bytes(10, 8);
  EXPECT_EQ(store_->put_bytes(Hash32{}, data).error().code, ErrorCode::kCorruption);
  Bytes big(kMaxInMemoryBlobBytes + 1);
  EXPECT_EQ(store_->put_bytes(crypto::blake2b256(big), big).error().code,
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(stored_files(), 0u);

  Hash32 h = crypto::blake2b256(data);
  ASSERT_TRUE(store_->put_bytes(h, data).ok());
  EXPECT_EQ(store_->get_bytes(h, 9).error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(*store_->get_bytes(h, 10), data);
}

TEST_F(VaultLocalDir, StoringTheSameBlobTwiceAndConcurrentlyIsHarmless) {
  Bytes data = testkit::patterned_bytes(200000, 9);
  Hash32 h = crypto::blake2b256(data);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { ok[t] = store_->put_bytes(h, data).ok() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
  EXPECT_EQ(testkit::read_bytes(store_->blob_path(h)), data);
  EXPECT_EQ(stored_files(), 1u);
  EXPECT_EQ(tmp_entries(), 0u);
}

}  // namespace
}  // namespace datadao::vault
