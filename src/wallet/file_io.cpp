#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "datadao/codec/codec.hpp"

namespace datadao::wallet::internal {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

std::string quoted(const std::filesystem::path& p) { return p.string(); }

Status write_all(int fd, crypto::ByteView data, const std::string& what) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kIoError, what + ": write failed: " + errno_text(errno));
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status fsync_dir(const std::filesystem::path& dir, const std::string& what) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return make_error(ErrorCode::kIoError, what + ": fsync of directory " + quoted(dir) +
                                               " failed: " + errno_text(errno));
  }
  return Status::Ok();
}

}  // namespace

std::string errno_text(int err) { return std::strerror(err); }

Result<FileContents> read_file_limited(const std::filesystem::path& path, size_t max_bytes,
                                       std::string_view what_view) {
  const std::string what(what_view);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return make_error(ErrorCode::kNotFound, what + ": no such file");
    }
    if (err == EACCES || err == EPERM) {
      return make_error(ErrorCode::kPermissionDenied, what + ": cannot open: " + errno_text(err));
    }
    return make_error(ErrorCode::kIoError, what + ": cannot open: " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return make_error(ErrorCode::kIoError, what + ": stat failed: " + errno_text(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::kCorruption, what + ": not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return make_error(ErrorCode::kLimitExceeded, what + ": " + std::to_string(st.st_size) +
                                                     " bytes exceeds the limit of " +
                                                     std::to_string(max_bytes) + " bytes");
  }
  FileContents out;
  out.mode = st.st_mode;
  // Read up to max_bytes + 1 so that a file growing after fstat is still caught.
  out.bytes.resize(max_bytes + 1);
  size_t off = 0;
  while (off < out.bytes.size()) {
    ssize_t n = ::read(fd.get(), out.bytes.data() + off, out.bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kIoError, what + ": read failed: " + errno_text(errno));
    }
    if (n == 0) break;
    off += static_cast<size_t>(n);
  }
  if (off > max_bytes) {
    return make_error(ErrorCode::kLimitExceeded,
                      what + ": exceeds the limit of " + std::to_string(max_bytes) + " bytes");
  }
  out.bytes.resize(off);
  return out;
}

Status write_file_atomic(const std::filesystem::path& path, crypto::ByteView data, Publish mode,
                         std::string_view what_view) {
  const std::string what(what_view);
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::array<uint8_t, 8> rnd{};
  crypto::random_bytes(rnd);
  const std::filesystem::path tmp =
      dir / ("." + path.filename().string() + ".tmp-" + codec::to_hex(rnd));

  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return make_error(ErrorCode::kIoError,
                      what + ": cannot create " + quoted(tmp) + ": " + errno_text(errno));
  }
  auto fail = [&](Error e) -> Status {
    ::unlink(tmp.c_str());
    return e;
  };
  // The umask may have removed bits; the mode must be exactly 0600.
  if (::fchmod(fd.get(), 0600) != 0) {
    return fail(make_error(ErrorCode::kIoError, what + ": chmod failed: " + errno_text(errno)));
  }
  if (Status s = write_all(fd.get(), data, what); !s.ok()) return fail(s.error());
  if (::fsync(fd.get()) != 0) {
    return fail(make_error(ErrorCode::kIoError, what + ": fsync failed: " + errno_text(errno)));
  }
  if (::close(fd.release()) != 0) {
    return fail(make_error(ErrorCode::kIoError, what + ": close failed: " + errno_text(errno)));
  }
  if (mode == Publish::kNoReplace) {
    // link() fails with EEXIST atomically, so two concurrent creators cannot both win.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      if (err == EEXIST) {
        return fail(make_error(ErrorCode::kAlreadyExists, what + ": already exists"));
      }
      return fail(make_error(ErrorCode::kIoError, what + ": cannot link " + quoted(tmp) +
                                                      " into place: " + errno_text(err)));
    }
    ::unlink(tmp.c_str());
  } else {
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      return fail(make_error(ErrorCode::kIoError, what + ": cannot rename " + quoted(tmp) +
                                                      " into place: " + errno_text(errno)));
    }
  }
  return fsync_dir(dir, what);
}

}  // namespace datadao::wallet::internal
