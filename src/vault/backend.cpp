#include "datadao/vault/backend.hpp"

#include <system_error>

#include "datadao/codec/codec.hpp"
#include "file_util.hpp"

namespace datadao::vault {

namespace fs = std::filesystem;

std::string blob_label(const Hash32& hash) { return "blob " + codec::to_hex(hash).substr(0, 16); }

Result<std::unique_ptr<BlobSink>> Backend::begin_write() {
  return detail::TempFileSink::create(
      scratch_dir(), /*durable=*/false,
      [this](const Hash32& hash, const fs::path& tmp) { return put_file(hash, tmp); });
}

Result<std::unique_ptr<BlobSource>> Backend::open_reader(const Hash32& hash) {
  std::error_code ec;
  fs::create_directories(scratch_dir(), ec);
  fs::path tmp = scratch_dir() / ("download-" + store::random_suffix() + ".tmp");
  Status st = get_file(hash, tmp);
  if (!st.ok()) return st.error();
  return detail::FileSource::open(tmp, /*delete_on_close=*/true);
}

fs::path Backend::scratch_dir() const {
  std::error_code ec;
  fs::path p = fs::temp_directory_path(ec);
  return ec ? fs::path("/tmp") : p;
}

Status Backend::put_bytes(const Hash32& hash, ByteView blob) {
  if (blob.size() > kMaxInMemoryBlobBytes) {
    return make_error(ErrorCode::kLimitExceeded, blob_label(hash) + ": " +
                                                     std::to_string(blob.size()) +
                                                     " bytes is above the in-memory limit of " +
                                                     std::to_string(kMaxInMemoryBlobBytes));
  }
  // Check before writing anything, so a mismatch never reaches the backend.
  if (crypto::blake2b256(blob) != hash) {
    return make_error(ErrorCode::kCorruption, "refusing " + blob_label(hash) +
                                                  ": content hashes to " +
                                                  codec::to_hex(crypto::blake2b256(blob)));
  }
  DD_ASSIGN(auto sink, begin_write());
  DD_TRY(sink->write(blob));
  DD_ASSIGN(Hash32 stored, sink->commit(hash));
  (void)stored;
  return Status::Ok();
}

Result<Bytes> Backend::get_bytes(const Hash32& hash, uint64_t max_bytes) {
  DD_ASSIGN(auto source, open_reader(hash));
  if (source->size() > max_bytes) {
    return make_error(ErrorCode::kLimitExceeded,
                      blob_label(hash) + ": " + std::to_string(source->size()) +
                          " bytes is above the limit of " + std::to_string(max_bytes));
  }
  Bytes out(source->size());
  DD_ASSIGN(size_t got, source->read(out));
  std::array<uint8_t, 1> extra{};
  DD_ASSIGN(size_t more, source->read(extra));
  if (got != out.size() || more != 0) {
    return make_error(ErrorCode::kCorruption, blob_label(hash) + ": changed size while reading");
  }
  Hash32 actual = crypto::blake2b256(out);
  if (actual != hash) {
    return make_error(ErrorCode::kCorruption, blob_label(hash) + ": content hash mismatch (got " +
                                                  codec::to_hex(actual) + ")");
  }
  return out;
}

}  // namespace datadao::vault
