// Where a wallet passphrase comes from, in this order:
//   1. --passphrase-file FILE: its first line (a trailing "\n" or "\r\n" is stripped); the file
//      may be at most kMaxPassphraseFileBytes;
//   2. the environment variable DATADAO_PASSPHRASE (an empty value counts as unset);
//   3. a prompt on /dev/tty with echo off, asked twice when `confirm_new` (for a new wallet).
// With none of them available: kFailedPrecondition naming the three ways.
// The passphrase never appears in an error message. Passphrases longer than
// kMaxPassphraseBytes (wallet.hpp) are refused with kLimitExceeded.
//
// Thread-safety: read_passphrase reads the environment and may own the terminal; call it from
// one thread at a time. The echo is restored before returning (not if the process is killed by
// a signal while prompting).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"

namespace datadao::wallet {

inline constexpr size_t kMaxPassphraseFileBytes = 4096;
inline constexpr const char* kPassphraseEnv = "DATADAO_PASSPHRASE";

Result<std::string> read_passphrase(const std::optional<std::filesystem::path>& passphrase_file,
                                    bool confirm_new);

// Source 1 alone: the first line of `path`. kNotFound, kLimitExceeded, kInvalidArgument (empty
// first line), kIoError.
Result<std::string> read_passphrase_file(const std::filesystem::path& path);

// Source 3 alone, on already-open descriptors (read_passphrase passes /dev/tty for both).
// Turns echo off on `in_fd` if it is a terminal; when it is not (a pipe in tests), reads anyway.
// kInvalidArgument if the two entries differ (confirm_new) or the entry is empty,
// kLimitExceeded for an over-long line, kIoError if the input ends before anything was typed
// (Ctrl-D) or cannot be read. A last line without a newline is accepted.
Result<std::string> prompt_passphrase(int in_fd, int out_fd, bool confirm_new);

}  // namespace datadao::wallet
