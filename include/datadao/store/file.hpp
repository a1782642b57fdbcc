// The one file layer: every atomic write, fsync, temporary file and bounded read in datadao goes
// through here (node config and keys, wallets and keyrings, vault blobs, ml checkpoints), so a
// fault-injecting FileSyscalls (below) tests every caller's failure paths at once.
//
// Atomic write: a temporary file beside the target (".<name>.tmp-<16 hex>", O_EXCL, mode set
// exactly with fchmod whatever the umask), a write loop that survives short writes and EINTR,
// fsync of the file, rename (or link, which refuses to replace), fsync of the directory. A reader
// sees the old complete file or the new complete file, never a partial one, and after a crash
// the published file is on disk. The temporary file is removed on every failure path.
//
// Errors: kNotFound (no such file), kPermissionDenied (cannot open for lack of rights),
// kAlreadyExists (Publish::kNoReplace and the target exists), kLimitExceeded (a bounded read
// over its limit), kCorruption (not a regular file), kIoError (any other system call failure,
// with strerror). Messages name the file (`what`, or the path when `what` is empty).
//
// Thread-safety: the functions share no state, except the process-wide FileSyscalls that tests
// may replace (set_file_syscalls) while no other thread uses the layer.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::store {

using FileBytes = std::vector<uint8_t>;
using FileByteView = std::span<const uint8_t>;

// ---- The fault seam ----------------------------------------------------------------------------

// The system calls the layer makes. Tests install replacements to inject short writes, EINTR,
// ENOSPC, EIO from fsync, a failed rename; production uses the real ones.
struct FileSyscalls {
  int (*open)(const char* path, int flags, mode_t mode);
  ssize_t (*read)(int fd, void* buf, size_t n);
  ssize_t (*write)(int fd, const void* buf, size_t n);
  int (*fsync)(int fd);
  int (*fchmod)(int fd, mode_t mode);
  int (*close)(int fd);
  int (*rename)(const char* from, const char* to);
  int (*link)(const char* from, const char* to);
  int (*unlink)(const char* path);
};
const FileSyscalls& real_file_syscalls();
// Replaces the system calls for the whole process; nullptr restores the real ones. For tests.
void set_file_syscalls(const FileSyscalls* calls);

// ---- Primitives --------------------------------------------------------------------------------

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

// kIoError "<what>: <strerror(err)>".
Error io_error(const std::string& what, int err);

// O_RDONLY. `what` names the file in errors (default: the path).
Result<UniqueFd> open_read(const std::filesystem::path& path, std::string_view what = {});
// O_CREAT | O_EXCL, then exactly `mode` (fchmod, so the umask does not matter).
Result<UniqueFd> create_exclusive(const std::filesystem::path& path, mode_t mode = 0600);
Result<uint64_t> file_size(int fd, const std::string& what);
// Writes all of `data`, retrying short writes and EINTR.
Status write_all(int fd, FileByteView data, const std::string& what);
// Reads until `out` is full or end of file (retrying EINTR); returns the number of bytes read.
Result<size_t> read_full(int fd, std::span<uint8_t> out, const std::string& what);
Status fsync_fd(int fd, const std::string& what);
Status fsync_dir(const std::filesystem::path& dir);
// Creates `dir` and missing parents (mode 0700), fsyncing each parent after creating a child.
Status make_dirs_durable(const std::filesystem::path& dir);
// Renames `from` over `to` (atomic on one file system: readers see the old or the new file),
// then fsyncs `to`'s directory.
Status rename_durable(const std::filesystem::path& from, const std::filesystem::path& to,
                      const std::string& what);
// 16 random hex digits for temporary names.
std::string random_suffix();
void remove_quietly(const std::filesystem::path& path);

// ---- Bounded reads -----------------------------------------------------------------------------

struct FileContents {
  FileBytes bytes;
  mode_t mode = 0;  // st_mode of the opened file
};

// Reads a regular file of at most `max_bytes` (checked before reading, and again while reading
// so a file growing meanwhile is caught). kNotFound, kPermissionDenied, kCorruption (not a
// regular file), kLimitExceeded, kIoError.
Result<FileContents> read_file_limited(const std::filesystem::path& path, size_t max_bytes,
                                       std::string_view what = {});
// read_file_limited as text.
Result<std::string> read_text_file(const std::filesystem::path& path, size_t max_bytes,
                                   std::string_view what = {});

// ---- Atomic writes -----------------------------------------------------------------------------

enum class Publish {
  kReplace,    // rename over an existing file
  kNoReplace,  // link into place: kAlreadyExists if the target exists (atomically)
};

struct WriteOptions {
  mode_t mode = 0600;  // secrets keep the default
  Publish publish = Publish::kReplace;
  // fsync the file before publishing and the directory after. Off only for scratch copies that
  // a crash may lose (downloads into a temporary directory).
  bool durable = true;
};

// A file being written beside its target and published on commit (see the header comment).
// Move-only; an uncommitted temporary file is removed on destruction.
class AtomicFile {
 public:
  // `what` names the target in errors (default: its path).
  static Result<AtomicFile> create(const std::filesystem::path& target, WriteOptions options = {},
                                   std::string_view what = {});
  AtomicFile(AtomicFile&& o) noexcept;
  AtomicFile& operator=(AtomicFile&& o) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // A failed write abandons the file: the temporary file is removed and commit() refuses.
  Status write(FileByteView data);
  // fsync (durable), close, publish, fsync of the directory (durable). Once, after which the
  // object is spent; on failure the temporary file is gone and the target untouched.
  Status commit();

  const std::filesystem::path& temp_path() const { return tmp_; }

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path tmp, UniqueFd fd,
             WriteOptions options, std::string what);
  void abandon();

  std::filesystem::path target_;
  std::filesystem::path tmp_;
  UniqueFd fd_;
  WriteOptions options_;
  std::string what_;
  bool done_ = false;
};

// AtomicFile in one call.
Status write_file_atomic(const std::filesystem::path& path, FileByteView data,
                         WriteOptions options = {}, std::string_view what = {});
Status write_file_atomic(const std::filesystem::path& path, std::string_view text,
                         WriteOptions options = {}, std::string_view what = {});

}  // namespace datadao::store
