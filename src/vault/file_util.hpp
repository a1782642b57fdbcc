// Private to the vault: the temporary-file sink and the file source shared by the backends, on
// the store's file layer (datadao/store/file.hpp).
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
#include "datadao/store/file.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::vault::detail {

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
  TempFileSink(std::filesystem::path path, store::UniqueFd fd, bool durable, Finish finish)
      : path_(std::move(path)), fd_(std::move(fd)), durable_(durable), finish_(std::move(finish)) {}
  std::filesystem::path path_;
  store::UniqueFd fd_;
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
  FileSource(std::filesystem::path path, store::UniqueFd fd, uint64_t size, bool del)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size), delete_on_close_(del) {}
  std::filesystem::path path_;
  store::UniqueFd fd_;
  uint64_t size_;
  bool delete_on_close_;
};

}  // namespace datadao::vault::detail
