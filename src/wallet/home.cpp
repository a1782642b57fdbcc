#include "datadao/wallet/home.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace datadao::wallet {

std::filesystem::path datadao_home() {
  if (const char* h = std::getenv("DATADAO_HOME"); h != nullptr && *h != '\0') {
    return std::filesystem::path(h);
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return std::filesystem::path(h) / ".datadao";
  }
  // No HOME (e.g. a stripped-down service environment): ask the password database.
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::string buf(16384, '\0');
  if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr && *found->pw_dir != '\0') {
    return std::filesystem::path(found->pw_dir) / ".datadao";
  }
  return std::filesystem::path(".datadao");
}

Status ensure_dir(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::filesystem::path prefix;
  for (const auto& part : dir) {
    prefix /= part;
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        return make_error(ErrorCode::kIoError, "directory " + dir.string() + ": " +
                                                   prefix.string() +
                                                   " exists and is not a directory");
      }
      continue;
    }
    if (::mkdir(prefix.c_str(), 0700) != 0) {
      int err = errno;
      if (err == EEXIST) continue;  // created concurrently
      return make_error(ErrorCode::kIoError, "directory " + dir.string() + ": cannot create " +
                                                 prefix.string() + ": " + std::strerror(err));
    }
    // mkdir's mode is filtered by the umask; make it exactly 0700.
    if (::chmod(prefix.c_str(), 0700) != 0) {
      return make_error(ErrorCode::kIoError,
                        "directory " + prefix.string() + ": chmod failed: " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

bool is_valid_wallet_name(std::string_view name) { return validate_wallet_name(name).ok(); }

Status validate_wallet_name(std::string_view name) {
  if (name.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "wallet name is empty");
  }
  if (name.size() > kMaxWalletNameLength) {
    return make_error(ErrorCode::kInvalidArgument, "wallet name is " + std::to_string(name.size()) +
                                                       " characters long; at most " +
                                                       std::to_string(kMaxWalletNameLength) +
                                                       " are allowed");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) {
      // Name the position, not the (possibly unprintable) byte itself.
      return make_error(ErrorCode::kInvalidArgument,
                        "wallet name '" + std::string(name.substr(0, i)) + "...': character " +
                            std::to_string(i + 1) +
                            " is not allowed (use letters, digits, '_' and '-')");
    }
  }
  return Status::Ok();
}

Result<std::filesystem::path> wallet_path(std::string_view name) {
  DD_TRY(validate_wallet_name(name));
  return datadao_home() / "wallets" / (std::string(name) + ".wallet");
}

}  // namespace datadao::wallet
