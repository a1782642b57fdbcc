// Private to the vault: POSIX file helpers and the temporary-file sink shared by the backends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::vault::detail {

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

// "<what>: <strerror(err)>".
Error io_error(const std::string& what, int err);

Result<UniqueFd> open_read(const std::filesystem::path& path);
// O_CREAT | O_EXCL, mode 0600.
Result<UniqueFd> create_exclusive(const std::filesystem::path& path);
Result<uint64_t> file_size(int fd, const std::string& what);
Status write_all(int fd, ByteView data, const std::string& what);
// Reads until `out` is full or end of file; returns the number of bytes read.
Result<size_t> read_full(int fd, std::span<uint8_t> out, const std::string& what);
Status fsync_fd(int fd, const std::string& what);
Status fsync_dir(const std::filesystem::path& dir);
// Creates `dir` and missing parents, fsyncing each parent after creating a child in it.
Status make_dirs_durable(const std::filesystem::path& dir);
// 16 random hex digits for temporary names.
std::string random_suffix();
void remove_quietly(const std::filesystem::path& path);

// Writes a blob to a temporary file, hashing as it goes. On commit the file is closed (fsynced
// first if `durable`) and handed to `finish`, which moves it into place (or uploads it); the
// temporary file is removed if it is still there afterwards or if the sink is destroyed
// uncommitted.
class TempFileSink final : public BlobSink {
 public:
  using Finish = std::function<Status(const Hash32& hash, const std::filesystem::path& tmp)>;
  static Result<std::unique_ptr<BlobSink>> create(const std::filesystem::path& dir, bool durable,
                                                  Finish finish);
  ~TempFileSink() override;

  Status write(ByteView data) override;
  Result<Hash32> commit(const std::optional<Hash32>& expected) override;
  uint64_t bytes_written() const override { return written_; }

 private:
  TempFileSink(std::filesystem::path path, UniqueFd fd, bool durable, Finish finish)
      : path_(std::move(path)), fd_(std::move(fd)), durable_(durable), finish_(std::move(finish)) {}
  std::filesystem::path path_;
  UniqueFd fd_;
  bool durable_;
  Finish finish_;
  crypto::Blake2b256 hasher_;
  uint64_t written_ = 0;
  uint64_t synced_to_ = 0;  // writeback has been started for bytes below this offset
  bool committed_ = false;
};

// Reads a file from the start; optionally deletes it when destroyed.
class FileSource final : public BlobSource {
 public:
  static Result<std::unique_ptr<BlobSource>> open(const std::filesystem::path& path,
                                                  bool delete_on_close);
  ~FileSource() override;
  uint64_t size() const override { return size_; }
  Result<size_t> read(std::span<uint8_t> out) override;

 private:
  FileSource(std::filesystem::path path, UniqueFd fd, uint64_t size, bool del)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size), delete_on_close_(del) {}
  std::filesystem::path path_;
  UniqueFd fd_;
  uint64_t size_;
  bool delete_on_close_;
};

}  // namespace datadao::vault::detail
