// Where local state lives: $DATADAO_HOME (default $HOME/.datadao), and the wallet file layout
// under it. Several users can be simulated on one machine by pointing DATADAO_HOME elsewhere.
//
// Layout (every directory created by this module has mode 0700):
//   <home>/wallets/<name>.wallet            one encrypted wallet (see wallet.hpp), mode 0600
//   <home>/keyring/<name>/<blob hex>.key    file keys the wallet owns (see keyring.hpp), 0600
//
// Thread-safety: all functions may be called from several threads. They read the environment
// (getenv), so they must not race with setenv/unsetenv in another thread.
#pragma once

#include <filesystem>
#include <string_view>

#include "datadao/common/result.hpp"

namespace datadao::wallet {

inline constexpr size_t kMaxWalletNameLength = 64;

// $DATADAO_HOME if set and non-empty, else $HOME/.datadao, else <passwd home>/.datadao.
// Computes the path only; nothing is created (use ensure_dir before writing under it).
std::filesystem::path datadao_home();

// Creates `dir` and any missing parent, each newly created directory with mode 0700.
// Existing directories are left as they are. kIoError naming the directory on failure
// (including when a component exists but is not a directory).
Status ensure_dir(const std::filesystem::path& dir);

// Ok if `name` matches [A-Za-z0-9_-]{1,64}; otherwise kInvalidArgument saying why.
// The rule keeps names safe as file names (no '/', no "..", no hidden files).
Status validate_wallet_name(std::string_view name);
bool is_valid_wallet_name(std::string_view name);

// <home>/wallets/<name>.wallet. kInvalidArgument for an invalid name.
Result<std::filesystem::path> wallet_path(std::string_view name);

}  // namespace datadao::wallet
