#include <cstdio>
#include <system_error>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/vault/backend.hpp"
#include "file_util.hpp"

namespace datadao::vault {

namespace fs = std::filesystem;

namespace {
constexpr size_t kCopyBufferBytes = 1u << 20;
}  // namespace

LocalDirBackend::LocalDirBackend(fs::path root) {
  std::error_code ec;
  fs::path abs = fs::absolute(root, ec);
  root_ = (ec ? root : abs).lexically_normal();
}

fs::path LocalDirBackend::blob_path(const Hash32& hash) const {
  std::string hex = codec::to_hex(hash);
  return root_ / hex.substr(0, 2) / hex.substr(2, 2) / hex;
}

std::string LocalDirBackend::locator(const Hash32& hash) const {
  return "file://" + blob_path(hash).string();
}

Result<bool> LocalDirBackend::exists(const Hash32& hash) {
  std::error_code ec;
  bool found = fs::is_regular_file(blob_path(hash), ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return make_error(ErrorCode::kIoError, blob_label(hash) + ": " + ec.message());
  }
  return found;
}

Result<uint64_t> LocalDirBackend::blob_size(const Hash32& hash) const {
  std::error_code ec;
  uint64_t size = fs::file_size(blob_path(hash), ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return make_error(ErrorCode::kNotFound, blob_label(hash) + ": not in " + root_.string());
    }
    return make_error(ErrorCode::kIoError, blob_label(hash) + ": " + ec.message());
  }
  return size;
}

Result<std::unique_ptr<BlobSink>> LocalDirBackend::begin_write() {
  return detail::TempFileSink::create(
      tmp_dir(), /*durable=*/true, [this](const Hash32& hash, const fs::path& tmp) -> Status {
        fs::path dest = blob_path(hash);
        DD_TRY(store::make_dirs_durable(dest.parent_path()));
        // rename() is atomic: readers see the old complete blob or the new complete blob. A
        // concurrent writer of the same hash wrote the same bytes, so either wins.
        return store::rename_durable(tmp, dest, blob_label(hash));
      });
}

Status LocalDirBackend::put_file(const Hash32& hash, const fs::path& ciphertext_file) {
  DD_ASSIGN(auto in, store::open_read(ciphertext_file));
  DD_ASSIGN(auto sink, begin_write());
  std::vector<uint8_t> buf(kCopyBufferBytes);
  for (;;) {
    DD_ASSIGN(size_t n, store::read_full(in.get(), buf, ciphertext_file.string()));
    if (n == 0) break;
    DD_TRY(sink->write(ByteView(buf.data(), n)));
  }
  DD_ASSIGN(Hash32 stored, sink->commit(hash));
  (void)stored;
  return Status::Ok();
}

Result<std::unique_ptr<BlobSource>> LocalDirBackend::open_reader(const Hash32& hash) {
  auto source = detail::FileSource::open(blob_path(hash), /*delete_on_close=*/false);
  if (!source.ok() && source.error().code == ErrorCode::kNotFound) {
    return make_error(ErrorCode::kNotFound, blob_label(hash) + ": not in " + root_.string());
  }
  return source;
}

Status LocalDirBackend::get_file(const Hash32& hash, const fs::path& out) {
  DD_ASSIGN(auto source, open_reader(hash));
  // A copy out of the store, not the store itself: no fsync (a crash may lose it).
  DD_ASSIGN(auto file, store::AtomicFile::create(out, store::WriteOptions{.durable = false},
                                                 blob_label(hash)));
  crypto::Blake2b256 hasher;
  std::vector<uint8_t> buf(kCopyBufferBytes);
  for (;;) {
    DD_ASSIGN(size_t n, source->read(buf));
    if (n == 0) break;
    hasher.update(ByteView(buf.data(), n));
    DD_TRY(file.write(ByteView(buf.data(), n)));
  }
  Hash32 actual = hasher.finish();
  if (actual != hash) {
    return make_error(ErrorCode::kCorruption,
                      blob_label(hash) + ": stored bytes hash to " + codec::to_hex(actual));
  }
  DD_TRY(file.commit());
  return Status::Ok();
}

}  // namespace datadao::vault
