#include "datadao/wallet/keyring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/temp_home.hpp"

namespace datadao::wallet {
namespace {

using testkit::kPass;

class WalletKeyringTest : public testkit::TempHomeTest {
 protected:
  void SetUp() override {
    TempHomeTest::SetUp();
    auto a = create_wallet("alice", kPass, fast());
    auto b = create_wallet("bob", kPass, fast());
    ASSERT_TRUE(a.ok() && b.ok());
    alice_ = std::move(a).value();
    bob_ = std::move(b).value();
    blob_ = crypto::blake2b256(crypto::as_bytes(std::string("blob one")));
    other_blob_ = crypto::blake2b256(crypto::as_bytes(std::string("blob two")));
    key_ = crypto::random_key();
  }
  Wallet alice_, bob_;
  crypto::Hash32 blob_{}, other_blob_{};
  crypto::SymmetricKey key_;
};

TEST_F(WalletKeyringTest, PutThenGetReturnsTheKey) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  auto got = keyring_get(alice_, blob_);
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_TRUE(*got == key_);
}

TEST_F(WalletKeyringTest, GetWorksWithTheWalletLoadedAgain) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  auto reloaded = load_wallet("alice", kPass);
  ASSERT_TRUE(reloaded.ok());
  auto got = keyring_get(*reloaded, blob_);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == key_);
}

TEST_F(WalletKeyringTest, EntryIsSealedMode0600InA0700Directory) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  auto path = keyring_path("alice", blob_);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, home_ / "keyring" / "alice" / (codec::to_hex(blob_) + ".key"));
  struct stat st {};
  ASSERT_EQ(::stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(static_cast<size_t>(st.st_size), kKeyringEntryBytes);
  ASSERT_EQ(::stat(path->parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  const std::string raw = read_text(*path);
  const std::string key_bytes(key_.data(), key_.data() + key_.size());
  EXPECT_EQ(raw.find(key_bytes), std::string::npos);
}

TEST_F(WalletKeyringTest, MissingKeyIsNotFoundAndNamesTheBlob) {
  auto got = keyring_get(alice_, blob_);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_NE(got.error().message.find(codec::to_hex(blob_)), std::string::npos);
  EXPECT_NE(got.error().message.find("alice"), std::string::npos);
}

TEST_F(WalletKeyringTest, AnotherWalletCannotReadIt) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  EXPECT_EQ(keyring_get(bob_, blob_).error().code, ErrorCode::kNotFound);
  // Even given alice's file, bob's box key does not open it.
  std::filesystem::create_directories(home_ / "keyring" / "bob");
  std::filesystem::copy_file(*keyring_path("alice", blob_), *keyring_path("bob", blob_));
  auto got = keyring_get(bob_, blob_);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kCorruption);
  EXPECT_NE(got.error().message.find("does not unseal"), std::string::npos);
}

TEST_F(WalletKeyringTest, KeyFileMovedToAnotherBlobIsDetected) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  std::filesystem::rename(*keyring_path("alice", blob_), *keyring_path("alice", other_blob_));
  auto got = keyring_get(alice_, other_blob_);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kCorruption);
  EXPECT_NE(got.error().message.find("another blob"), std::string::npos);
}

TEST_F(WalletKeyringTest, DamagedOrResizedEntryIsCorruption) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  const auto path = *keyring_path("alice", blob_);
  const std::string raw = read_text(path);
  for (size_t i : {size_t{0}, size_t{40}, raw.size() - 1}) {
    std::string bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    write_text(path, bad);
    EXPECT_EQ(keyring_get(alice_, blob_).error().code, ErrorCode::kCorruption) << i;
  }
  for (const std::string& bad :
       {raw.substr(0, raw.size() - 1), raw + "x", std::string(), std::string(100000, 'x')}) {
    write_text(path, bad);
    auto got = keyring_get(alice_, blob_);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, ErrorCode::kCorruption) << bad.size();
    EXPECT_NE(got.error().message.find(path.string()), std::string::npos);
  }
}

TEST_F(WalletKeyringTest, PutReplacesAnEarlierKey) {
  ASSERT_TRUE(keyring_put(alice_, blob_, key_).ok());
  auto newer = crypto::random_key();
  ASSERT_TRUE(keyring_put(alice_, blob_, newer).ok());
  EXPECT_TRUE(*keyring_get(alice_, blob_) == newer);
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(home_ / "keyring" / "alice")) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 1);  // no temp files left behind
}

}  // namespace
}  // namespace datadao::wallet
