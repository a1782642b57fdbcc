#include "file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "datadao/codec/codec.hpp"

namespace datadao::vault::detail {

namespace fs = std::filesystem;

namespace {
// Start writeback every this many bytes so that the final fsync has little left to do.
constexpr uint64_t kWritebackBytes = 8ull << 20;
}  // namespace

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

Result<UniqueFd> open_read(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return make_error(ErrorCode::kNotFound, path.string() + ": no such file");
    return io_error("open " + path.string(), err);
  }
  return UniqueFd(fd);
}

Result<UniqueFd> create_exclusive(const fs::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create " + path.string(), errno);
  return UniqueFd(fd);
}

Result<uint64_t> file_size(int fd, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("stat " + what, errno);
  return static_cast<uint64_t>(st.st_size);
}

Status write_all(int fd, ByteView data, const std::string& what) {
  const uint8_t* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write " + what, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<size_t> read_full(int fd, std::span<uint8_t> out, const std::string& what) {
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
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
  if (::fsync(fd) != 0) return io_error("fsync " + what, errno);
  return Status::Ok();
}

Status fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory " + dir.string(), errno);
  UniqueFd guard(fd);
  return fsync_fd(fd, "directory " + dir.string());
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

std::string random_suffix() {
  std::array<uint8_t, 8> r{};
  crypto::random_bytes(r);
  return codec::to_hex(r);
}

void remove_quietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// ---- TempFileSink --------------------------------------------------------------------------

Result<std::unique_ptr<BlobSink>> TempFileSink::create(const fs::path& dir, bool durable,
                                                       Finish finish) {
  DD_TRY(make_dirs_durable(dir));
  fs::path path = dir / ("blob-" + random_suffix() + ".tmp");
  DD_ASSIGN(UniqueFd fd, create_exclusive(path));
  return std::unique_ptr<BlobSink>(
      new TempFileSink(std::move(path), std::move(fd), durable, std::move(finish)));
}

TempFileSink::~TempFileSink() {
  fd_.reset();
  if (!committed_) remove_quietly(path_);
}

Status TempFileSink::write(ByteView data) {
  if (committed_ || !fd_.valid()) {
    return make_error(ErrorCode::kFailedPrecondition, "blob sink: write after commit");
  }
  hasher_.update(data);
  DD_TRY(write_all(fd_.get(), data, path_.string()));
  written_ += data.size();
  if (durable_ && written_ - synced_to_ >= kWritebackBytes) {
    // Ask the kernel to start writing back what we have so far; fsync at commit then waits for
    // little. Failure here is harmless (fsync reports real errors).
    ::sync_file_range(fd_.get(), static_cast<off_t>(synced_to_),
                      static_cast<off_t>(written_ - synced_to_), SYNC_FILE_RANGE_WRITE);
    synced_to_ = written_;
  }
  return Status::Ok();
}

Result<Hash32> TempFileSink::commit(const std::optional<Hash32>& expected) {
  if (committed_ || !fd_.valid()) {
    return make_error(ErrorCode::kFailedPrecondition, "blob sink: committed twice");
  }
  Hash32 hash = hasher_.finish();
  if (expected && *expected != hash) {
    fd_.reset();
    remove_quietly(path_);
    return make_error(ErrorCode::kCorruption, "refusing " + blob_label(*expected) +
                                                  ": content hashes to " + codec::to_hex(hash));
  }
  if (durable_) DD_TRY(fsync_fd(fd_.get(), path_.string()));
  if (::close(fd_.release()) != 0) return io_error("close " + path_.string(), errno);
  Status st = finish_(hash, path_);
  committed_ = true;
  remove_quietly(path_);  // no-op if finish renamed it away
  if (!st.ok()) return st.error();
  return hash;
}

// ---- FileSource ----------------------------------------------------------------------------

Result<std::unique_ptr<BlobSource>> FileSource::open(const fs::path& path, bool delete_on_close) {
  auto fd = open_read(path);
  if (!fd.ok()) {
    if (delete_on_close) remove_quietly(path);
    return fd.error();
  }
  auto size = file_size(fd->get(), path.string());
  if (!size.ok()) {
    if (delete_on_close) remove_quietly(path);
    return size.error();
  }
  return std::unique_ptr<BlobSource>(
      new FileSource(path, std::move(fd).value(), *size, delete_on_close));
}

FileSource::~FileSource() {
  fd_.reset();
  if (delete_on_close_) remove_quietly(path_);
}

Result<size_t> FileSource::read(std::span<uint8_t> out) {
  return read_full(fd_.get(), out, path_.string());
}

}  // namespace datadao::vault::detail
