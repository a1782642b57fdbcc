// Disk faults while the wallet writes its files (through store::FileSyscalls): the wallet reports
// an I/O error and leaves no wallet and no key behind, never a half-written one.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

#include "datadao/store/file.hpp"
#include "datadao/wallet/keyring.hpp"
#include "datadao/wallet/wallet.hpp"
#include "datadao/testing/temp_home.hpp"

namespace datadao::wallet {
namespace {

using testkit::kPass;

int g_fail_errno = 0;  // errno of the injected fsync failure; 0 = none

class WalletFaultTest : public testkit::TempHomeTest {
 protected:
  void SetUp() override {
    TempHomeTest::SetUp();
    g_fail_errno = 0;
    calls_ = store::real_file_syscalls();
    calls_.fsync = [](int fd) -> int {
      if (g_fail_errno != 0) {
        errno = g_fail_errno;
        return -1;
      }
      return store::real_file_syscalls().fsync(fd);
    };
    store::set_file_syscalls(&calls_);
  }
  void TearDown() override {
    store::set_file_syscalls(nullptr);
    TempHomeTest::TearDown();
  }
  store::FileSyscalls calls_{};
};

TEST_F(WalletFaultTest, CreateOnAFailingDiskIsAnIoErrorAndLeavesNoWallet) {
  g_fail_errno = EIO;
  auto w = create_wallet("alice", kPass, fast());
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kIoError) << w.error().to_string();
  g_fail_errno = 0;
  auto again = load_wallet("alice", kPass);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound) << again.error().to_string();
  // The retry once the disk is back succeeds: nothing was left in the way.
  EXPECT_TRUE(create_wallet("alice", kPass, fast()).ok());
}

TEST_F(WalletFaultTest, KeyringPutOnAFullDiskIsAnIoErrorAndStoresNoKey) {
  auto w = create_wallet("alice", kPass, fast());
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  const crypto::Hash32 blob = crypto::blake2b256(crypto::as_bytes("blob"));
  g_fail_errno = ENOSPC;
  Status put = keyring_put(*w, blob, crypto::random_key());
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kIoError) << put.error().to_string();
  g_fail_errno = 0;
  auto got = keyring_get(*w, blob);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound) << got.error().to_string();
}

}  // namespace
}  // namespace datadao::wallet
