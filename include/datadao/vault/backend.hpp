// Blob backends: where sealed (ciphertext-only) blobs live, named by their BLAKE2b-256 hash.
//
// A backend stores opaque bytes; it never sees a key. Every backend verifies that what it stores
// hashes to the name it is stored under and refuses a mismatch, so a blob name is a promise about
// its content. Readers must still verify (open_blob does): a disk or a server can rot or lie.
//
// Thread-safety: every Backend method may be called concurrently from several threads (both
// implementations here hold no mutable state besides the file system or the remote server).
// BlobSink and BlobSource objects are single-threaded: one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::vault {

using crypto::Bytes;
using crypto::ByteView;
using crypto::Hash32;

// put_bytes/get_bytes are for small blobs (records); larger ones go through files.
inline constexpr uint64_t kMaxInMemoryBlobBytes = 64ull << 20;

// "blob 3fa2c1d09e8b7a65": how errors name a blob (first 16 hex digits of its hash).
std::string blob_label(const Hash32& hash);

// Receives a blob's bytes in order. Nothing becomes visible under any name until commit()
// succeeds; destroying a sink without a successful commit discards everything written.
class BlobSink {
 public:
  virtual ~BlobSink() = default;
  virtual Status write(ByteView data) = 0;
  // Makes the bytes durable and visible under their BLAKE2b-256 hash and returns that hash.
  // If `expected` is given and the bytes hash to anything else, stores nothing and fails with
  // kCorruption. A sink can be committed at most once.
  virtual Result<Hash32> commit(const std::optional<Hash32>& expected = std::nullopt) = 0;
  virtual uint64_t bytes_written() const = 0;
};

// Reads a stored blob from the start. Does not verify the hash itself: the caller does.
class BlobSource {
 public:
  virtual ~BlobSource() = default;
  // Total size in bytes, known before reading.
  virtual uint64_t size() const = 0;
  // Reads up to out.size() bytes; returns 0 only at the end.
  virtual Result<size_t> read(std::span<uint8_t> out) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Stores the file's bytes under `hash`. Fails with kCorruption (storing nothing) if the bytes
  // do not hash to `hash`. Storing an existing blob again succeeds.
  virtual Status put_file(const Hash32& hash, const std::filesystem::path& ciphertext_file) = 0;
  // Writes the blob to `out` (replacing it) only if it hashes to `hash`; on any failure no
  // file is left at `out`. kNotFound if the backend does not have it.
  virtual Status get_file(const Hash32& hash, const std::filesystem::path& out) = 0;
  virtual Result<bool> exists(const Hash32& hash) = 0;
  // Where the blob lives, for humans and records: "file:///abs/dir/ab/cd/<hex>",
  // "http://127.0.0.1:7420/v1/blobs/<hex>".
  virtual std::string locator(const Hash32& hash) const = 0;

  // Streaming write of a blob whose hash is not known yet. The default spools to a temporary
  // file in scratch_dir() and calls put_file on commit.
  virtual Result<std::unique_ptr<BlobSink>> begin_write();
  // Streaming read. The default downloads with get_file into scratch_dir() (the temporary file
  // is deleted when the source is destroyed).
  virtual Result<std::unique_ptr<BlobSource>> open_reader(const Hash32& hash);

  // Small blobs in memory. put_bytes refuses more than kMaxInMemoryBlobBytes (kLimitExceeded)
  // and a hash mismatch (kCorruption); get_bytes refuses a blob above max_bytes and verifies
  // the hash.
  Status put_bytes(const Hash32& hash, ByteView blob);
  Result<Bytes> get_bytes(const Hash32& hash, uint64_t max_bytes = kMaxInMemoryBlobBytes);

 protected:
  // Directory for the default implementations' temporary files.
  virtual std::filesystem::path scratch_dir() const;
};

// Blobs in a local directory, sharded by hash: root/ab/cd/<64 hex>. Writes go to root/tmp/<random>,
// are fsynced, renamed into place and the shard directory is fsynced, so a crash never leaves a
// partial blob under a valid name (at worst an orphan in root/tmp). Directories are created on
// first write. Several processes may share one root.
class LocalDirBackend final : public Backend {
 public:
  // `root` is made absolute; no I/O happens until the first call.
  explicit LocalDirBackend(std::filesystem::path root);

  Status put_file(const Hash32& hash, const std::filesystem::path& ciphertext_file) override;
  Status get_file(const Hash32& hash, const std::filesystem::path& out) override;
  Result<bool> exists(const Hash32& hash) override;
  std::string locator(const Hash32& hash) const override;
  Result<std::unique_ptr<BlobSink>> begin_write() override;
  // Reads the stored file directly (no copy).
  Result<std::unique_ptr<BlobSource>> open_reader(const Hash32& hash) override;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path blob_path(const Hash32& hash) const;
  std::filesystem::path tmp_dir() const { return root_ / "tmp"; }
  // Size of a stored blob (kNotFound if absent).
  Result<uint64_t> blob_size(const Hash32& hash) const;

 protected:
  std::filesystem::path scratch_dir() const override { return tmp_dir(); }

 private:
  std::filesystem::path root_;
};

// Blobs on any HTTP server that stores bytes at {base_url}/v1/blobs/<64 hex> (GET/HEAD/PUT), such
// as a node with register_blob_routes. PUT streams the file; GET streams into a temporary file,
// hashing as it goes, and enforces max_download_bytes. The server is trusted with nothing: a
// download that does not hash to its name is an error.
class HttpBackend final : public Backend {
 public:
  struct Options {
    uint64_t max_download_bytes = 16ull << 30;
    int connect_timeout_seconds = 5;
    int io_timeout_seconds = 60;
    // Temporary files for begin_write/open_reader; empty means the system temp directory.
    std::filesystem::path scratch_dir;
  };
  // base_url: "http://host:port" optionally followed by a path prefix ("http://h:1/store").
  explicit HttpBackend(std::string base_url);
  HttpBackend(std::string base_url, Options options);

  Status put_file(const Hash32& hash, const std::filesystem::path& ciphertext_file) override;
  Status get_file(const Hash32& hash, const std::filesystem::path& out) override;
  Result<bool> exists(const Hash32& hash) override;
  std::string locator(const Hash32& hash) const override;

 protected:
  std::filesystem::path scratch_dir() const override;

 private:
  std::string url_path(const Hash32& hash) const;
  std::string scheme_host_port_;  // "http://127.0.0.1:7420"
  std::string prefix_;            // "" or "/store" (no trailing slash)
  Options options_;
};

}  // namespace datadao::vault
