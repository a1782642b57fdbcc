#include "datadao/wallet/passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "datadao/crypto/crypto.hpp"
#include "datadao/store/file.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::wallet {
namespace {

// Wipes a std::string's buffer before it is freed.
void wipe_string(std::string& s) {
  crypto::wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(s.data()), s.size()));
  s.clear();
}

// Turns terminal echo off for its lifetime (no-op when `fd` is not a terminal).
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios t = saved_;
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    t.c_lflag |= ICANON | ECHONL;  // still show the newline so the next prompt starts cleanly
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &t) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

void write_prompt(int fd, std::string_view text) {
  // A prompt that cannot be shown is not fatal.
  (void)store::write_all(fd, crypto::as_bytes(text), "passphrase prompt");
}

// Reads one line byte by byte (so nothing past the newline is consumed).
Result<std::string> read_line(int fd) {
  std::string line;
  bool got_any = false;
  for (;;) {
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      wipe_string(line);
      return make_error(ErrorCode::kIoError,
                        std::string("passphrase prompt: read failed: ") + std::strerror(errno));
    }
    if (n == 0) {
      if (!got_any) {
        return make_error(ErrorCode::kIoError,
                          "passphrase prompt: input closed before a "
                          "passphrase was entered");
      }
      break;
    }
    got_any = true;
    if (c == '\n') break;
    if (line.size() >= kMaxPassphraseBytes) {
      wipe_string(line);
      return make_error(ErrorCode::kLimitExceeded,
                        "passphrase prompt: the passphrase is longer "
                        "than " +
                            std::to_string(kMaxPassphraseBytes) + " bytes");
    }
    line.push_back(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Status check_length(std::string_view passphrase, std::string_view source) {
  if (passphrase.size() > kMaxPassphraseBytes) {
    return make_error(ErrorCode::kLimitExceeded,
                      std::string(source) + ": the passphrase is longer than " +
                          std::to_string(kMaxPassphraseBytes) + " bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> read_passphrase_file(const std::filesystem::path& path) {
  const std::string what = "passphrase file " + path.string();
  DD_ASSIGN(store::FileContents contents,
            store::read_file_limited(path, kMaxPassphraseFileBytes, what));
  crypto::SecretBytes wiped(std::move(contents.bytes));
  const crypto::Bytes& b = wiped.bytes();
  size_t end = 0;
  while (end < b.size() && b[end] != '\n') ++end;
  size_t len = end;
  if (len > 0 && b[len - 1] == '\r') --len;
  if (len == 0) {
    return make_error(ErrorCode::kInvalidArgument, what + ": the first line is empty");
  }
  std::string passphrase(reinterpret_cast<const char*>(b.data()), len);
  if (Status s = check_length(passphrase, what); !s.ok()) {
    wipe_string(passphrase);
    return s.error();
  }
  return passphrase;
}

Result<std::string> prompt_passphrase(int in_fd, int out_fd, bool confirm_new) {
  EchoOff echo_off(in_fd);
  write_prompt(out_fd, confirm_new ? "New passphrase: " : "Passphrase: ");
  DD_ASSIGN(std::string first, read_line(in_fd));
  if (first.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "passphrase prompt: no passphrase entered");
  }
  if (confirm_new) {
    write_prompt(out_fd, "Repeat passphrase: ");
    auto second = read_line(in_fd);
    if (!second.ok()) {
      wipe_string(first);
      return second.error();
    }
    const bool same = crypto::equal_ct(crypto::as_bytes(first), crypto::as_bytes(*second));
    wipe_string(*second);
    if (!same) {
      wipe_string(first);
      return make_error(ErrorCode::kInvalidArgument,
                        "passphrase prompt: the two passphrases do not match");
    }
  }
  return first;
}

Result<std::string> read_passphrase(const std::optional<std::filesystem::path>& passphrase_file,
                                    bool confirm_new) {
  if (passphrase_file.has_value()) return read_passphrase_file(*passphrase_file);
  if (const char* env = std::getenv(kPassphraseEnv); env != nullptr && *env != '\0') {
    std::string passphrase(env);
    DD_TRY(check_length(passphrase, kPassphraseEnv));
    return passphrase;
  }
  int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "no passphrase given and no terminal to ask on: use --passphrase-file FILE, "
                      "set DATADAO_PASSPHRASE, or run on an interactive terminal");
  }
  auto result = prompt_passphrase(tty, tty, confirm_new);
  ::close(tty);
  return result;
}

}  // namespace datadao::wallet
