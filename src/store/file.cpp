#include "datadao/store/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "datadao/codec/codec.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::store {

namespace fs = std::filesystem;

// ---- The fault seam ----------------------------------------------------------------------------

namespace {

const FileSyscalls kReal{
    [](const char* path, int flags, mode_t mode) { return ::open(path, flags, mode); },
    [](int fd, void* buf, size_t n) { return ::read(fd, buf, n); },
    [](int fd, const void* buf, size_t n) { return ::write(fd, buf, n); },
    [](int fd) { return ::fsync(fd); },
    [](int fd, mode_t mode) { return ::fchmod(fd, mode); },
    [](int fd) { return ::close(fd); },
    [](const char* from, const char* to) { return ::rename(from, to); },
    [](const char* from, const char* to) { return ::link(from, to); },
    [](const char* path) { return ::unlink(path); },
};

std::atomic<const FileSyscalls*> g_calls{&kReal};

const FileSyscalls& sys() { return *g_calls.load(std::memory_order_acquire); }

std::string name_of(const fs::path& path, std::string_view what) {
  return what.empty() ? path.string() : std::string(what);
}

}  // namespace

const FileSyscalls& real_file_syscalls() { return kReal; }

void set_file_syscalls(const FileSyscalls* calls) {
  g_calls.store(calls ? calls : &kReal, std::memory_order_release);
}

// ---- Primitives --------------------------------------------------------------------------------

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = o.release();
  }
  return *this;
}

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Error io_error(const std::string& what, int err) {
  return make_error(ErrorCode::kIoError, what + ": " + std::strerror(err));
}

Result<UniqueFd> open_read(const fs::path& path, std::string_view what_view) {
  int fd = sys().open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0) {
    const int err = errno;
    const std::string what = name_of(path, what_view);
    if (err == ENOENT || err == ENOTDIR) {
      return make_error(ErrorCode::kNotFound, what + ": no such file");
    }
    if (err == EACCES || err == EPERM) {
      return make_error(ErrorCode::kPermissionDenied,
                        what + ": cannot open: " + std::strerror(err));
    }
    return io_error("open " + what, err);
  }
  return UniqueFd(fd);
}

Result<UniqueFd> create_exclusive(const fs::path& path, mode_t mode) {
  int fd = sys().open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return io_error("create " + path.string(), errno);
  UniqueFd guard(fd);
  if (sys().fchmod(fd, mode) != 0) {  // the umask may have removed bits
    const int err = errno;
    guard.reset();
    sys().unlink(path.c_str());
    return io_error("chmod " + path.string(), err);
  }
  return guard;
}

Result<uint64_t> file_size(int fd, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("stat " + what, errno);
  return static_cast<uint64_t>(st.st_size);
}

Status write_all(int fd, FileByteView data, const std::string& what) {
  const uint8_t* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = sys().write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write " + what, errno);
    }
    if (n == 0) return io_error("write " + what, EIO);  // no progress: do not spin
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<size_t> read_full(int fd, std::span<uint8_t> out, const std::string& what) {
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = sys().read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read " + what, errno);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

Status fsync_fd(int fd, const std::string& what) {
  if (sys().fsync(fd) != 0) return io_error("fsync " + what, errno);
  return Status::Ok();
}

Status fsync_dir(const fs::path& dir) {
  const fs::path d = dir.empty() ? fs::path(".") : dir;
  int fd = sys().open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) return io_error("open directory " + d.string(), errno);
  UniqueFd guard(fd);
  return fsync_fd(fd, "directory " + d.string());
}

Status make_dirs_durable(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return Status::Ok();
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    DD_TRY(make_dirs_durable(dir.parent_path()));
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST && fs::is_directory(dir, ec)) return Status::Ok();  // lost a race
    return io_error("mkdir " + dir.string(), errno);
  }
  return fsync_dir(dir.parent_path());
}

Status rename_durable(const fs::path& from, const fs::path& to, const std::string& what) {
  if (sys().rename(from.c_str(), to.c_str()) != 0) {
    return io_error(what + ": rename into " + to.string(), errno);
  }
  return fsync_dir(to.has_parent_path() ? to.parent_path() : fs::path("."));
}

std::string random_suffix() {
  std::array<uint8_t, 8> r{};
  crypto::random_bytes(r);
  return codec::to_hex(r);
}

void remove_quietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// ---- Bounded reads -----------------------------------------------------------------------------

Result<FileContents> read_file_limited(const fs::path& path, size_t max_bytes,
                                       std::string_view what_view) {
  const std::string what = name_of(path, what_view);
  DD_ASSIGN(UniqueFd fd, open_read(path, what));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("stat " + what, errno);
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
  out.bytes.resize(static_cast<size_t>(st.st_size) + 1);
  size_t off = 0;
  for (;;) {
    DD_ASSIGN(size_t n, read_full(fd.get(), std::span<uint8_t>(out.bytes).subspan(off), what));
    off += n;
    if (off < out.bytes.size() || off > max_bytes) break;
    out.bytes.resize(std::min(max_bytes + 1, out.bytes.size() * 2));  // it grew: keep reading
  }
  if (off > max_bytes) {
    return make_error(ErrorCode::kLimitExceeded,
                      what + ": exceeds the limit of " + std::to_string(max_bytes) + " bytes");
  }
  out.bytes.resize(off);
  return out;
}

Result<std::string> read_text_file(const fs::path& path, size_t max_bytes, std::string_view what) {
  DD_ASSIGN(FileContents c, read_file_limited(path, max_bytes, what));
  return std::string(c.bytes.begin(), c.bytes.end());
}

// ---- Atomic writes -----------------------------------------------------------------------------

AtomicFile::AtomicFile(fs::path target, fs::path tmp, UniqueFd fd, WriteOptions options,
                       std::string what)
    : target_(std::move(target)),
      tmp_(std::move(tmp)),
      fd_(std::move(fd)),
      options_(options),
      what_(std::move(what)) {}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : target_(std::move(o.target_)),
      tmp_(std::move(o.tmp_)),
      fd_(std::move(o.fd_)),
      options_(o.options_),
      what_(std::move(o.what_)),
      done_(o.done_) {
  o.done_ = true;
}

AtomicFile& AtomicFile::operator=(AtomicFile&& o) noexcept {
  if (this != &o) {
    abandon();
    target_ = std::move(o.target_);
    tmp_ = std::move(o.tmp_);
    fd_ = std::move(o.fd_);
    options_ = o.options_;
    what_ = std::move(o.what_);
    done_ = o.done_;
    o.done_ = true;
  }
  return *this;
}

AtomicFile::~AtomicFile() { abandon(); }

void AtomicFile::abandon() {
  if (done_) return;
  done_ = true;
  fd_.reset();
  sys().unlink(tmp_.c_str());
}

Result<AtomicFile> AtomicFile::create(const fs::path& target, WriteOptions options,
                                      std::string_view what_view) {
  std::string what = name_of(target, what_view);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + random_suffix());
  auto fd = create_exclusive(tmp, options.mode);
  if (!fd.ok()) return fd.error().with_context(what);
  return AtomicFile(target, std::move(tmp), std::move(fd).value(), options, std::move(what));
}

Status AtomicFile::write(FileByteView data) {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, what_ + ": file already closed");
  Status st = write_all(fd_.get(), data, tmp_.string());
  if (!st.ok()) {
    abandon();
    return st.error().with_context(what_);
  }
  return Status::Ok();
}

Status AtomicFile::commit() {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, what_ + ": file already closed");
  auto fail = [&](const Error& e) -> Status {
    abandon();
    return e.with_context(what_);
  };
  if (options_.durable) {
    if (Status st = fsync_fd(fd_.get(), tmp_.string()); !st.ok()) return fail(st.error());
  }
  if (sys().close(fd_.release()) != 0) return fail(io_error("close " + tmp_.string(), errno));
  if (options_.publish == Publish::kNoReplace) {
    // link() fails with EEXIST atomically, so two concurrent creators cannot both win.
    if (sys().link(tmp_.c_str(), target_.c_str()) != 0) {
      const int err = errno;
      if (err == EEXIST) {
        abandon();
        return make_error(ErrorCode::kAlreadyExists, what_ + ": already exists");
      }
      return fail(io_error("link into " + target_.string(), err));
    }
    sys().unlink(tmp_.c_str());
  } else if (sys().rename(tmp_.c_str(), target_.c_str()) != 0) {
    return fail(io_error("rename into " + target_.string(), errno));
  }
  done_ = true;
  if (!options_.durable) return Status::Ok();
  Status st = fsync_dir(target_.has_parent_path() ? target_.parent_path() : fs::path("."));
  if (!st.ok()) return st.error().with_context(what_);
  return Status::Ok();
}

Status write_file_atomic(const fs::path& path, FileByteView data, WriteOptions options,
                         std::string_view what) {
  DD_ASSIGN(AtomicFile file, AtomicFile::create(path, options, what));
  DD_TRY(file.write(data));
  return file.commit();
}

Status write_file_atomic(const fs::path& path, std::string_view text, WriteOptions options,
                         std::string_view what) {
  return write_file_atomic(path,
                           FileByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                           options, what);
}

}  // namespace datadao::store
