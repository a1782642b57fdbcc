// The vault: content-addressed, encrypted blob storage.
//
// seal_file streams a file of any size through fixed-size chunks encrypted with libsodium's
// crypto_secretstream_xchacha20poly1305 under a fresh random per-file key, stores the ciphertext
// in a Backend under its BLAKE2b-256 hash, and returns the hash and the key. open_blob verifies
// the hash and every chunk's tag before a plaintext file appears. The file key is shared with a
// recipient by sealing it to their X25519 key (share_key / receive_key).
//
// Blob format, version 1 (all integers little-endian):
//
//   offset  size  field
//   0       4     magic "DDV1"
//   4       1     version = 1
//   5       4     chunk size C: plaintext bytes per chunk, 1 <= C <= 16 MiB
//   9       8     plaintext size P
//   17      24    crypto_secretstream_xchacha20poly1305 header
//   41      ...   N = floor(P / C) + 1 chunks; chunk i < N-1 holds C plaintext bytes with
//                 TAG_MESSAGE, the last holds P - (N-1)*C bytes (possibly 0) with TAG_FINAL.
//                 Each chunk's ciphertext is its plaintext + 17 bytes (ABYTES).
//
// Bytes 0..16 (magic, version, C, P) are the additional data of every chunk, so they cannot be
// altered. The layout is fully determined by (C, P): total size = 41 + P + 17*N. The content
// hash is BLAKE2b-256 over the whole blob (header included); its lowercase hex is the blob name.
//
// A decoder rejects: a short or oversized header field (C = 0 or C > 16 MiB), a blob shorter
// (truncated) or longer (bytes after the final chunk) than its header implies, a chunk whose tag
// fails (flipped byte, reordered chunks, wrong key), a final tag anywhere but the last chunk or
// none on it, and a content hash that does not match the name. Errors name the blob by its hash
// prefix and, where one is at fault, the chunk index: "blob 3fa2c1d09e8b7a65: chunk 7:
// authentication failed". Keys never appear in errors.
//
// Thread-safety: all functions are reentrant; concurrent calls on one Backend are as safe as the
// Backend (both provided backends allow them). seal_file uses one helper thread internally.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::vault {

inline constexpr char kBlobMagic[4] = {'D', 'D', 'V', '1'};
inline constexpr uint8_t kBlobVersion = 1;
inline constexpr size_t kBlobHeaderBytes = 41;
inline constexpr size_t kChunkOverheadBytes = 17;  // crypto_secretstream_xchacha20poly1305_ABYTES
inline constexpr size_t kDefaultChunkSize = 1u << 20;
inline constexpr size_t kMaxChunkSize = 16u << 20;
inline constexpr size_t kSharedKeyBytes = crypto::kSymmetricKeyBytes + crypto::kSealOverheadBytes;

struct BlobInfo {
  crypto::Hash32 hash{};
  uint64_t plaintext_size = 0;
  uint64_t ciphertext_size = 0;
};

// Ciphertext size of a blob with this layout, or kInvalidArgument for a bad chunk size /
// kLimitExceeded on overflow.
Result<uint64_t> ciphertext_size_for(uint64_t plaintext_size, size_t chunk_size);

// ---- Files ---------------------------------------------------------------------------------

// Seals `input` (a regular file) into `backend` under a fresh random key. Streaming, constant
// memory (a few chunks). Fails if the file changes size while being read.
Result<std::pair<BlobInfo, crypto::SymmetricKey>> seal_file(const std::filesystem::path& input,
                                                            Backend& backend,
                                                            size_t chunk_size = kDefaultChunkSize);

// Decrypts blob `hash` into `output` (replacing it). The plaintext is written to a temporary
// name next to `output` (fsynced) and renamed into place only if every chunk verified and the
// content hash matched; on any failure `output` is left as it was (absent if it was absent) and
// no temporary file remains. Errors: kNotFound (no such
// blob), kCorruption (the stored bytes were altered), kUnauthenticated (the blob is intact but
// the key is wrong), kIoError.
Result<BlobInfo> open_blob(Backend& backend, const crypto::Hash32& hash,
                           const crypto::SymmetricKey& key, const std::filesystem::path& output);

// ---- Bytes (same format, for small records) ------------------------------------------------

// Encrypts `plaintext` into a blob under `key`. kInvalidArgument for a bad chunk size.
Result<Bytes> encode_blob(ByteView plaintext, const crypto::SymmetricKey& key,
                          size_t chunk_size = kDefaultChunkSize);
// Decrypts and verifies a whole blob held in memory (the content hash is the caller's business;
// open_bytes checks it). `what` names the blob in errors. Refuses a plaintext above
// max_plaintext (kLimitExceeded) before allocating.
Result<Bytes> decode_blob(ByteView blob, const crypto::SymmetricKey& key, std::string_view what,
                          uint64_t max_plaintext = kMaxInMemoryBlobBytes);

// encode_blob under a fresh random key, stored with put_bytes.
Result<std::pair<BlobInfo, crypto::SymmetricKey>> seal_bytes(ByteView plaintext, Backend& backend,
                                                             size_t chunk_size = kDefaultChunkSize);
// get_bytes (hash verified) then decode_blob.
Result<Bytes> open_bytes(Backend& backend, const crypto::Hash32& hash,
                         const crypto::SymmetricKey& key,
                         uint64_t max_plaintext = kMaxInMemoryBlobBytes);

// ---- Key sharing ---------------------------------------------------------------------------

// Seals the file key to a recipient's X25519 public key: kSharedKeyBytes (80) bytes that only
// the recipient can open.
Bytes share_key(const crypto::SymmetricKey& file_key, const crypto::PublicKey& recipient_box_pk);
// Opens a key sealed with share_key. kInvalidArgument if `sealed` is not exactly 80 bytes,
// kUnauthenticated if it was not sealed to `recipient` or was altered.
Result<crypto::SymmetricKey> receive_key(const crypto::BoxKeyPair& recipient, ByteView sealed);

}  // namespace datadao::vault
