// Read-only, streaming access to an untrusted zip archive (libzip), with hard limits.
//
// Nothing is ever extracted to disk: entries are read in chunks from the archive (a file or an
// in-memory buffer). Every limit below is enforced on the bytes actually decompressed, not only on
// what the central directory claims, so a lying header cannot get past them. Each violation is an
// Error (kLimitExceeded, or kInvalidArgument for bad entry names) whose message names the archive,
// the entry and the limit, e.g.
//   "export.zip: entry 'posts.csv': decompressed more than 100x its compressed size
//    (max_compression_ratio)".
//
// Thread-safety: a ZipReader and the EntryStreams it opens are not thread-safe; use one per
// thread. An EntryStream must not outlive its ZipReader. At most one EntryStream per ZipReader
// should be open at a time (the total-bytes budget is shared).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

struct zip;
struct zip_file;

namespace datadao::ingest {

// Hard limits on untrusted exports. The defaults suit real platform exports (a large Reddit or X
// archive is a few hundred MiB) while bounding memory and CPU for hostile input.
struct Limits {
  uint64_t max_entries = 10'000;                    // entries in the central directory
  uint64_t max_total_bytes = 4ull << 30;            // decompressed bytes over all entries read
  uint64_t max_entry_bytes = 2ull << 30;            // decompressed bytes of one entry
  uint64_t max_compression_ratio = 100;             // decompressed / compressed, per entry
  uint64_t ratio_grace_bytes = 1ull << 20;          // ratio is only enforced past this many bytes
                                                    // (tiny, very repetitive files are legitimate)
  uint64_t max_record_bytes = 1ull << 20;           // one CSV row / one JSON record
  uint64_t max_json_document_bytes = 256ull << 20;  // JSON files parsed whole (account.js, Oura)
};

struct ZipEntry {
  uint64_t index = 0;
  std::string name;              // as stored, '/'-separated
  uint64_t size = 0;             // decompressed size claimed by the central directory
  uint64_t compressed_size = 0;  // as claimed by the central directory
  bool is_directory = false;
};

// A pull-style byte source: read() fills up to `n` bytes and returns how many; 0 means end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<size_t> read(char* out, size_t n) = 0;
  // Names the input in error messages ("export.zip: posts.csv").
  virtual const std::string& name() const = 0;
};

// A ByteSource over bytes held in memory (tests, small documents).
class StringSource final : public ByteSource {
 public:
  StringSource(std::string_view data, std::string name) : data_(data), name_(std::move(name)) {}
  Result<size_t> read(char* out, size_t n) override;
  const std::string& name() const override { return name_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  std::string name_;
};

class ZipReader;

// Streams one entry's decompressed bytes, enforcing the per-entry, ratio and total limits.
class EntryStream final : public ByteSource {
 public:
  ~EntryStream() override;
  EntryStream(const EntryStream&) = delete;
  EntryStream& operator=(const EntryStream&) = delete;
  Result<size_t> read(char* out, size_t n) override;
  const std::string& name() const override { return name_; }  // the entry's name

 private:
  friend class ZipReader;
  EntryStream(ZipReader* owner, const ZipEntry& entry, zip_file* file);
  ZipReader* owner_;
  ZipEntry entry_;
  zip_file* file_;
  uint64_t read_ = 0;
  bool done_ = false;
  std::string name_;
};

class ZipReader {
 public:
  // Opens an archive file read-only. Checks the entry count, every entry name (no "..", no
  // absolute paths, no backslashes, no drive letters, no NUL) and the sizes/ratios claimed by
  // the central directory. `display_name` (default: the file name) names the archive in errors.
  static Result<std::unique_ptr<ZipReader>> open(const std::filesystem::path& path,
                                                 const Limits& limits,
                                                 std::string display_name = {});
  // Same over an archive held in memory (e.g. decrypted from the vault); `bytes` is copied.
  static Result<std::unique_ptr<ZipReader>> open_buffer(std::string_view bytes,
                                                        std::string display_name,
                                                        const Limits& limits);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& name() const { return name_; }
  const Limits& limits() const { return limits_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  // Exact name match, else nullptr.
  const ZipEntry* find(std::string_view entry_name) const;
  // Decompressed bytes read so far over all entries.
  uint64_t total_bytes_read() const { return total_read_; }

  Result<std::unique_ptr<EntryStream>> open_entry(const ZipEntry& entry);
  // Reads a whole entry into memory, refusing entries larger than `max_bytes`.
  Result<std::string> read_all(const ZipEntry& entry, uint64_t max_bytes);

 private:
  friend class EntryStream;
  ZipReader(zip* archive, std::string name, const Limits& limits,
            std::unique_ptr<std::string> buffer);
  Status load_entries();
  zip* archive_;
  std::string name_;
  Limits limits_;
  std::unique_ptr<std::string> buffer_;  // backing bytes for open_buffer; stable address
  std::vector<ZipEntry> entries_;
  uint64_t total_read_ = 0;
};

// Returns an error naming the problem if `entry_name` could escape an extraction directory.
Status check_entry_name(std::string_view entry_name);

}  // namespace datadao::ingest
