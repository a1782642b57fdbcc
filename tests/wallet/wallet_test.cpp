#include "datadao/wallet/wallet.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/testing/temp_home.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::wallet {
namespace {

using testkit::kPass;

class WalletTest : public testkit::TempHomeTest {};

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

TEST_F(WalletTest, HomeComesFromEnvironmentThenHome) {
  EXPECT_EQ(datadao_home(), home_);
  ::unsetenv("DATADAO_HOME");
  const char* old_home = std::getenv("HOME");
  std::string saved = old_home ? old_home : "";
  ::setenv("HOME", "/somewhere/else", 1);
  EXPECT_EQ(datadao_home(), std::filesystem::path("/somewhere/else/.datadao"));
  ::setenv("DATADAO_HOME", "", 1);  // empty counts as unset
  EXPECT_EQ(datadao_home(), std::filesystem::path("/somewhere/else/.datadao"));
  if (old_home)
    ::setenv("HOME", saved.c_str(), 1);
  else
    ::unsetenv("HOME");
}

TEST_F(WalletTest, CreateThenLoadGivesTheSameKeys) {
  auto created = create_wallet("alice", kPass, fast());
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  auto loaded = load_wallet("alice", kPass);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->name, "alice");
  EXPECT_EQ(loaded->created_at, created->created_at);
  EXPECT_GT(loaded->created_at, 1'600'000'000u);
  EXPECT_EQ(loaded->account(), created->account());
  EXPECT_EQ(loaded->sign.public_key, created->sign.public_key);
  EXPECT_TRUE(loaded->sign.secret_key == created->sign.secret_key);
  EXPECT_EQ(loaded->box.public_key, created->box.public_key);
  EXPECT_TRUE(loaded->box.secret_key == created->box.secret_key);

  // The loaded keys work together with the created ones.
  const std::string msg = "hello";
  auto sig = crypto::sign(loaded->sign, crypto::as_bytes(msg));
  EXPECT_TRUE(crypto::verify(created->account(), crypto::as_bytes(msg), sig));
  auto sealed = crypto::seal_to(created->box.public_key, crypto::as_bytes(msg));
  auto opened = crypto::unseal(loaded->box, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(opened->bytes().begin(), opened->bytes().end()), msg);
}

TEST_F(WalletTest, LoadByPathWorksToo) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  auto path = wallet_path("alice");
  ASSERT_TRUE(path.ok());
  auto loaded = load_wallet(path->string(), kPass);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->name, "alice");
}

TEST_F(WalletTest, TwoWalletsHaveDifferentKeys) {
  auto a = create_wallet("alice", kPass, fast());
  auto b = create_wallet("bob", kPass, fast());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->account(), b->account());
  EXPECT_NE(a->box.public_key, b->box.public_key);
}

TEST_F(WalletTest, FileIsMode0600AndDirectoriesAre0700) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  EXPECT_EQ(mode_of(*wallet_path("alice")), 0600u);
  EXPECT_EQ(mode_of(home_), 0700u);
  EXPECT_EQ(mode_of(home_ / "wallets"), 0700u);
}

TEST_F(WalletTest, FileModeIsExactEvenUnderAPermissiveUmask) {
  mode_t old = ::umask(0);
  auto w = create_wallet("alice", kPass, fast());
  ::umask(old);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(mode_of(*wallet_path("alice")), 0600u);
  EXPECT_EQ(mode_of(home_ / "wallets"), 0700u);
}

TEST_F(WalletTest, NoTempFilesAreLeftBehind) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  EXPECT_ERROR_CODE(create_wallet("alice", kPass, fast()), ErrorCode::kAlreadyExists);
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(home_ / "wallets")) {
    EXPECT_EQ(e.path().filename(), "alice.wallet");
    ++n;
  }
  EXPECT_EQ(n, 1);
}

TEST_F(WalletTest, FileHoldsNoSecretInTheClear) {
  auto w = create_wallet("alice", kPass, fast());
  ASSERT_TRUE(w.ok());
  const std::string text = read_text(*wallet_path("alice"));
  EXPECT_EQ(text.find(kPass), std::string::npos);
  auto seed = w->sign.secret_key.view().first(32);
  const std::string raw(seed.begin(), seed.end());
  EXPECT_EQ(text.find(raw), std::string::npos);
  EXPECT_EQ(text.find(codec::to_hex(seed)), std::string::npos);
}

TEST_F(WalletTest, WrongPassphraseIsReportedAsSuch) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  auto loaded = load_wallet("alice", "incorrect horse battery");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(loaded.error().message.find("wrong passphrase for wallet 'alice'"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(loaded.error().message.find("incorrect horse"), std::string::npos);
}

TEST_F(WalletTest, RefusesToOverwriteAnExistingWallet) {
  auto first = create_wallet("alice", kPass, fast());
  ASSERT_TRUE(first.ok());
  auto second = create_wallet("alice", "another passphrase", fast());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(second.error().message.find("alice"), std::string::npos);
  auto loaded = load_wallet("alice", kPass);  // the original is untouched
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->account(), first->account());
}

TEST_F(WalletTest, ConcurrentCreatesOfOneNameYieldExactlyOneWallet) {
  Result<Wallet> r1 = make_error(ErrorCode::kInternal, "not run");
  Result<Wallet> r2 = make_error(ErrorCode::kInternal, "not run");
  std::thread t1([&] { r1 = create_wallet("alice", kPass, fast()); });
  std::thread t2([&] { r2 = create_wallet("alice", kPass, fast()); });
  t1.join();
  t2.join();
  ASSERT_NE(r1.ok(), r2.ok());
  const Result<Wallet>& loser = r1.ok() ? r2 : r1;
  const Result<Wallet>& winner = r1.ok() ? r1 : r2;
  EXPECT_EQ(loser.error().code, ErrorCode::kAlreadyExists);
  auto loaded = load_wallet("alice", kPass);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->account(), winner->account());
}

TEST_F(WalletTest, InvalidNamesAreRejectedClearly) {
  for (const std::string& name :
       {std::string(""), std::string("a/b"), std::string(".."), std::string("al ice"),
        std::string("alice.wallet"), std::string(65, 'a'), std::string("\xc3\xa9t\xc3\xa9")}) {
    auto w = create_wallet(name, kPass, fast());
    ASSERT_FALSE(w.ok()) << name;
    EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_NE(w.error().message.find("wallet name"), std::string::npos) << w.error().message;
    EXPECT_FALSE(wallet_path(name).ok()) << name;
  }
  EXPECT_TRUE(is_valid_wallet_name(std::string(64, 'a')));
  EXPECT_TRUE(is_valid_wallet_name("Alice_2-b"));
  EXPECT_FALSE(std::filesystem::exists(home_ / "wallets"));
}

TEST_F(WalletTest, EmptyAndShortPassphrasesAreRefused) {
  for (const std::string& pass : {std::string(""), std::string("1234567"),
                                  std::string("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                              "\xc3\xa9"),  // 7 characters, 14 bytes
                                  std::string(kMaxPassphraseBytes + 1, 'x')}) {
    auto w = create_wallet("alice", pass, fast());
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(w.error().message.find("passphrase"), std::string::npos);
  }
  EXPECT_TRUE(create_wallet("alice", "12345678", fast()).ok());
}

TEST_F(WalletTest, WeakKdfParametersAreRefusedAtCreation) {
  crypto::KdfParams weak = fast();
  weak.memlimit /= 2;
  auto w = create_wallet("alice", kPass, weak);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument);
  crypto::KdfParams huge = fast();
  huge.memlimit = uint64_t{4} << 30;
  EXPECT_EQ(create_wallet("alice", kPass, huge).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(WalletTest, MissingWalletIsNotFound) {
  auto w = load_wallet("nobody", kPass);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kNotFound);
  EXPECT_NE(w.error().message.find("wallet 'nobody' not found"), std::string::npos);
}

TEST_F(WalletTest, GroupOrWorldAccessibleFileIsRefused) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  const auto path = *wallet_path("alice");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto w = load_wallet("alice", kPass);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(w.error().message.find("chmod 600"), std::string::npos) << w.error().message;
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(load_wallet("alice", kPass).ok());
}

TEST_F(WalletTest, RenamedFileLoadedByNameIsReported) {
  ASSERT_TRUE(create_wallet("alice", kPass, fast()).ok());
  std::filesystem::rename(*wallet_path("alice"), *wallet_path("bob"));
  auto w = load_wallet("bob", kPass);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kCorruption);
  EXPECT_NE(w.error().message.find("holds wallet 'alice', not 'bob'"), std::string::npos);
  // By path it is still usable.
  EXPECT_TRUE(load_wallet(wallet_path("bob")->string(), kPass).ok());
}

}  // namespace
}  // namespace datadao::wallet
