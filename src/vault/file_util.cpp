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

// ---- TempFileSink --------------------------------------------------------------------------

Result<std::unique_ptr<BlobSink>> TempFileSink::create(const fs::path& dir, bool durable,
                                                       Finish finish) {
  DD_TRY(store::make_dirs_durable(dir));
  fs::path path = dir / ("blob-" + store::random_suffix() + ".tmp");
  DD_ASSIGN(store::UniqueFd fd, store::create_exclusive(path));
  return std::unique_ptr<BlobSink>(
      new TempFileSink(std::move(path), std::move(fd), durable, std::move(finish)));
}

TempFileSink::~TempFileSink() {
  fd_.reset();
  if (!committed_) store::remove_quietly(path_);
}

Status TempFileSink::write(ByteView data) {
  if (committed_ || !fd_.valid()) {
    return make_error(ErrorCode::kFailedPrecondition, "blob sink: write after commit");
  }
  hasher_.update(data);
  DD_TRY(store::write_all(fd_.get(), data, path_.string()));
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
    store::remove_quietly(path_);
    return make_error(ErrorCode::kCorruption, "refusing " + blob_label(*expected) +
                                                  ": content hashes to " + codec::to_hex(hash));
  }
  if (durable_) DD_TRY(store::fsync_fd(fd_.get(), path_.string()));
  if (::close(fd_.release()) != 0) return store::io_error("close " + path_.string(), errno);
  Status st = finish_(hash, path_);
  committed_ = true;
  store::remove_quietly(path_);  // no-op if finish renamed it away
  if (!st.ok()) return st.error();
  return hash;
}

// ---- FileSource ----------------------------------------------------------------------------

Result<std::unique_ptr<BlobSource>> FileSource::open(const fs::path& path, bool delete_on_close) {
  auto fd = store::open_read(path);
  if (!fd.ok()) {
    if (delete_on_close) store::remove_quietly(path);
    return fd.error();
  }
  auto size = store::file_size(fd->get(), path.string());
  if (!size.ok()) {
    if (delete_on_close) store::remove_quietly(path);
    return size.error();
  }
  return std::unique_ptr<BlobSource>(
      new FileSource(path, std::move(fd).value(), *size, delete_on_close));
}

FileSource::~FileSource() {
  fd_.reset();
  if (delete_on_close_) store::remove_quietly(path_);
}

Result<size_t> FileSource::read(std::span<uint8_t> out) {
  return store::read_full(fd_.get(), out, path_.string());
}

}  // namespace datadao::vault::detail
