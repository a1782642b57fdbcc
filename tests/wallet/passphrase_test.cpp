#include "datadao/wallet/passphrase.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "datadao/wallet/wallet.hpp"
#include "datadao/testing/temp_home.hpp"

namespace datadao::wallet {
namespace {

class WalletPassphraseTest : public testkit::TempHomeTest {
 protected:
  std::filesystem::path file_with(const std::string& content) {
    auto p = root_ / "pass.txt";
    write_text(p, content);
    return p;
  }
};

// Feeds `input` to prompt_passphrase through a pipe; returns the result and what was prompted.
std::pair<Result<std::string>, std::string> prompt_with(const std::string& input, bool confirm) {
  int in[2], out[2];
  EXPECT_EQ(::pipe(in), 0);
  EXPECT_EQ(::pipe(out), 0);
  EXPECT_EQ(::write(in[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  ::close(in[1]);
  auto r = prompt_passphrase(in[0], out[1], confirm);
  ::close(in[0]);
  ::close(out[1]);
  std::string shown;
  char buf[256];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) shown.append(buf, n);
  ::close(out[0]);
  return {std::move(r), shown};
}

TEST_F(WalletPassphraseTest, FileGivesFirstLineWithoutTrailingNewline) {
  auto p = read_passphrase(file_with("s3cret passphrase\n"), false);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(*p, "s3cret passphrase");
  EXPECT_EQ(*read_passphrase(file_with("crlf passphrase\r\n"), false), "crlf passphrase");
  EXPECT_EQ(*read_passphrase(file_with("no newline at all"), false), "no newline at all");
  EXPECT_EQ(*read_passphrase(file_with("first line\nsecond line\n"), false), "first line");
  // Inner and leading spaces are part of the passphrase.
  EXPECT_EQ(*read_passphrase(file_with("  spaced out  \n"), false), "  spaced out  ");
}

TEST_F(WalletPassphraseTest, FileWinsOverEnvironment) {
  ::setenv("DATADAO_PASSPHRASE", "from the environment", 1);
  EXPECT_EQ(*read_passphrase(file_with("from the file\n"), false), "from the file");
}

TEST_F(WalletPassphraseTest, EnvironmentIsUsedWithoutAFile) {
  ::setenv("DATADAO_PASSPHRASE", "from the environment", 1);
  auto p = read_passphrase(std::nullopt, true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, "from the environment");
}

TEST_F(WalletPassphraseTest, BadFilesGiveClearErrorsWithoutTheSecret) {
  auto missing = read_passphrase(root_ / "absent.txt", false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("absent.txt"), std::string::npos);

  auto empty = read_passphrase(file_with("\nhidden second line\n"), false);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().message.find("hidden"), std::string::npos);

  auto big = read_passphrase(file_with(std::string(kMaxPassphraseFileBytes + 1, 'x')), false);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kLimitExceeded);

  auto long_line = read_passphrase(file_with(std::string(kMaxPassphraseBytes + 1, 'y')), false);
  ASSERT_FALSE(long_line.ok());
  EXPECT_EQ(long_line.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(long_line.error().message.find("yyyy"), std::string::npos);
}

TEST_F(WalletPassphraseTest, NoSourceAndNoTerminalNamesAllThreeWays) {
  int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY);
  if (tty >= 0) {
    ::close(tty);
    GTEST_SKIP() << "running on a terminal: read_passphrase would prompt";
  }
  ::setenv("DATADAO_PASSPHRASE", "", 1);  // empty counts as unset
  auto p = read_passphrase(std::nullopt, false);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(p.error().message.find("--passphrase-file"), std::string::npos);
  EXPECT_NE(p.error().message.find("DATADAO_PASSPHRASE"), std::string::npos);
  EXPECT_NE(p.error().message.find("terminal"), std::string::npos);
}

TEST_F(WalletPassphraseTest, PromptReadsOneLine) {
  auto [p, shown] = prompt_with("typed secret\nleftover\n", false);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(*p, "typed secret");
  EXPECT_EQ(shown, "Passphrase: ");
}

TEST_F(WalletPassphraseTest, PromptForNewPassphraseAsksTwice) {
  auto [p, shown] = prompt_with("new secret 1\nnew secret 1\n", true);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(*p, "new secret 1");
  EXPECT_EQ(shown, "New passphrase: Repeat passphrase: ");
}

TEST_F(WalletPassphraseTest, MismatchedConfirmationIsRefused) {
  auto [p, shown] = prompt_with("new secret 1\nnew secret 2\n", true);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message.find("do not match"), std::string::npos);
  EXPECT_EQ(p.error().message.find("new secret"), std::string::npos);
}

TEST_F(WalletPassphraseTest, ClosedOrEmptyPromptInputIsAnError) {
  EXPECT_EQ(prompt_with("", false).first.error().code, ErrorCode::kIoError);
  EXPECT_EQ(prompt_with("\n", false).first.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(prompt_with(std::string(kMaxPassphraseBytes + 1, 'z') + "\n", false).first.error().code,
            ErrorCode::kLimitExceeded);
}

TEST_F(WalletPassphraseTest, PassphraseFromFileOpensTheWallet) {
  ASSERT_TRUE(create_wallet("alice", "file passphrase", fast()).ok());
  auto p = read_passphrase(file_with("file passphrase\n"), false);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(load_wallet("alice", *p).ok());
}

}  // namespace
}  // namespace datadao::wallet
