// Private to the wallet module: bounded reads and atomic, durable writes of small secret files.
// Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::wallet::internal {

struct FileContents {
  crypto::Bytes bytes;
  mode_t mode = 0;  // st_mode of the opened file
};

// Reads a regular file of at most `max_bytes`. `what` names the file in errors
// ("wallet file /x/alice.wallet"). kNotFound, kPermissionDenied (cannot open), kLimitExceeded,
// kCorruption (not a regular file), kIoError.
Result<FileContents> read_file_limited(const std::filesystem::path& path, size_t max_bytes,
                                       std::string_view what);

enum class Publish { kNoReplace, kReplace };

// Writes `data` to `path` atomically with mode 0600: temp file in the same directory created
// with O_EXCL, fsync, then link (kNoReplace: kAlreadyExists if `path` exists) or rename
// (kReplace), then fsync of the directory. The temp file is removed on every failure path.
Status write_file_atomic(const std::filesystem::path& path, crypto::ByteView data, Publish mode,
                         std::string_view what);

std::string errno_text(int err);

}  // namespace datadao::wallet::internal
