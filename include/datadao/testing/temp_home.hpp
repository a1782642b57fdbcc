// GoogleTest fixture: every test gets a fresh DATADAO_HOME (and no DATADAO_PASSPHRASE) and the
// directory is removed afterwards. Include from tests only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "datadao/crypto/crypto.hpp"
#include "datadao/testing/temp_dir.hpp"

namespace datadao::testkit {

// The passphrase the wallet tests create their wallets with.
inline constexpr const char* kPass = "correct horse battery";

class TempHomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::make_unique<TempDir>("datadao-wallet");
    root_ = dir_->path();
    home_ = root_ / "home";  // not created yet: the code under test must create it
    ::setenv("DATADAO_HOME", home_.c_str(), 1);
    ::unsetenv("DATADAO_PASSPHRASE");
  }
  void TearDown() override {
    ::unsetenv("DATADAO_HOME");
    ::unsetenv("DATADAO_PASSPHRASE");
    dir_.reset();
  }

  static crypto::KdfParams fast() { return crypto::KdfParams::interactive(); }

  static std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // Writes (replacing) with mode 0600, as a wallet file must have.
  static void write_text(const std::filesystem::path& p, const std::string& text) {
    { std::ofstream(p, std::ios::binary | std::ios::trunc) << text; }
    std::filesystem::permissions(
        p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  std::unique_ptr<TempDir> dir_;
  std::filesystem::path root_;
  std::filesystem::path home_;
};

}  // namespace datadao::testkit
