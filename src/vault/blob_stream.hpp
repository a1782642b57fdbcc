// Private to the vault: the blob format's encoder and streaming decoder (see vault.hpp for the
// format). Not thread-safe per instance.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "datadao/vault/vault.hpp"

namespace datadao::vault::detail {

inline constexpr size_t kAdBytes = 17;  // magic, version, chunk size, plaintext size

static_assert(kChunkOverheadBytes == crypto_secretstream_xchacha20poly1305_ABYTES);
static_assert(kBlobHeaderBytes == kAdBytes + crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(crypto::kSymmetricKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);

struct Layout {
  uint32_t chunk_size = 0;
  uint64_t plaintext_size = 0;
  uint64_t chunks = 0;
  uint64_t ciphertext_size = 0;
  // Plaintext bytes in chunk i.
  size_t chunk_plain(uint64_t i) const {
    return i + 1 < chunks ? chunk_size
                          : static_cast<size_t>(plaintext_size - (chunks - 1) * chunk_size);
  }
};

// kInvalidArgument for chunk size 0 or above kMaxChunkSize, kLimitExceeded on overflow.
Result<Layout> make_layout(uint64_t plaintext_size, uint64_t chunk_size);

class StreamEncryptor {
 public:
  // Writes the 41-byte blob header to `header_out`.
  StreamEncryptor(const crypto::SymmetricKey& key, const Layout& layout,
                  std::span<uint8_t, kBlobHeaderBytes> header_out);
  ~StreamEncryptor();
  StreamEncryptor(const StreamEncryptor&) = delete;
  StreamEncryptor& operator=(const StreamEncryptor&) = delete;
  // `out` must hold plaintext.size() + kChunkOverheadBytes bytes.
  void encrypt_chunk(ByteView plaintext, bool final, uint8_t* out);

 private:
  crypto_secretstream_xchacha20poly1305_state state_;
  std::array<uint8_t, kAdBytes> ad_{};
};

// Reads a whole blob from `source`, verifying layout, every chunk and (if given) the content
// hash, and hands each chunk's plaintext to `out` as soon as its tag verified. `what` names the
// blob in errors. Plaintext handed out before a failure must be discarded by the caller.
using PlaintextSink = std::function<Status(ByteView)>;
Result<BlobInfo> decode_stream(BlobSource& source, const crypto::SymmetricKey& key,
                               const std::string& what, const std::optional<Hash32>& expected,
                               uint64_t max_plaintext, const PlaintextSink& out);

class MemorySource final : public BlobSource {
 public:
  explicit MemorySource(ByteView data) : data_(data) {}
  uint64_t size() const override { return data_.size(); }
  Result<size_t> read(std::span<uint8_t> out) override;

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace datadao::vault::detail
