// Cryptographic primitives, all from libsodium: Ed25519 signatures, X25519 sealed boxes,
// XChaCha20-Poly1305 (one-shot and secretstream), BLAKE2b-256 and SHA-256, Argon2id.
//
// Every function is thread-safe: libsodium is initialised once (init() is idempotent and is
// called by every entry point that needs it). Secret material lives in SecretBytes / SecretKey
// types that wipe themselves when destroyed; none of them has a printable representation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::crypto {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline constexpr size_t kHashBytes = 32;
inline constexpr size_t kSignPublicKeyBytes = 32;
inline constexpr size_t kSignSecretKeyBytes = 64;
inline constexpr size_t kSignSeedBytes = 32;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kBoxPublicKeyBytes = 32;
inline constexpr size_t kBoxSecretKeyBytes = 32;
inline constexpr size_t kSealOverheadBytes = 48;  // crypto_box_SEALBYTES
inline constexpr size_t kSymmetricKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 24;  // XChaCha20-Poly1305-IETF
inline constexpr size_t kAeadTagBytes = 16;
inline constexpr size_t kKdfSaltBytes = 16;  // crypto_pwhash_SALTBYTES

using Hash32 = std::array<uint8_t, kHashBytes>;
using PublicKey = std::array<uint8_t, kSignPublicKeyBytes>;  // Ed25519 or X25519 public key
using Signature = std::array<uint8_t, kSignatureBytes>;

// Initialises libsodium once. Aborts if the library cannot initialise (no usable RNG).
void init();

ByteView as_bytes(std::string_view s);
inline ByteView as_bytes(const Bytes& b) { return ByteView(b.data(), b.size()); }
template <size_t N>
ByteView as_bytes(const std::array<uint8_t, N>& a) {
  return ByteView(a.data(), a.size());
}

// Fixed-size secret that is wiped on destruction. Not copyable by accident: copy explicitly.
template <size_t N>
class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  ~SecretKey();
  SecretKey(const SecretKey& o) : bytes_(o.bytes_) {}
  SecretKey& operator=(const SecretKey& o) {
    bytes_ = o.bytes_;
    return *this;
  }
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  static constexpr size_t size() { return N; }
  ByteView view() const { return ByteView(bytes_.data(), N); }
  bool operator==(const SecretKey& o) const;  // constant time

 private:
  std::array<uint8_t, N> bytes_;
};

using SymmetricKey = SecretKey<kSymmetricKeyBytes>;

// Variable-size secret (plaintext of a sealed key, decrypted wallet), wiped on destruction.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(Bytes b) : bytes_(std::move(b)) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  SecretBytes(SecretBytes&&) = default;
  SecretBytes& operator=(SecretBytes&&) = default;
  ~SecretBytes();
  const Bytes& bytes() const { return bytes_; }
  Bytes& bytes() { return bytes_; }
  size_t size() const { return bytes_.size(); }
  ByteView view() const { return ByteView(bytes_.data(), bytes_.size()); }

 private:
  Bytes bytes_;
};

// Fills `out` from the OS CSPRNG.
void random_bytes(std::span<uint8_t> out);
SymmetricKey random_key();

// ---- Hashing ---------------------------------------------------------------------------

Hash32 blake2b256(ByteView data);
// Keyed BLAKE2b-256 (RFC 7693 keyed mode, a PRF): for deriving secrets and tags from a key.
Hash32 blake2b256_keyed(const SymmetricKey& key, ByteView data);
Hash32 sha256(ByteView data);

// Streaming BLAKE2b-256. Not thread-safe per instance.
class Blake2b256 {
 public:
  Blake2b256();
  void update(ByteView data);
  Hash32 finish();

 private:
  alignas(64) std::array<uint8_t, 384> state_;  // >= sizeof(crypto_generichash_state)
};

// Streaming SHA-256. Not thread-safe per instance.
class Sha256 {
 public:
  Sha256();
  void update(ByteView data);
  Hash32 finish();

 private:
  alignas(16) std::array<uint8_t, 128> state_;  // >= sizeof(crypto_hash_sha256_state)
};

// ---- Ed25519 signatures ----------------------------------------------------------------

struct SigningKeyPair {
  PublicKey public_key{};
  SecretKey<kSignSecretKeyBytes> secret_key;

  static SigningKeyPair generate();
  // Deterministic from a 32-byte seed (tests, benchmarks).
  static SigningKeyPair from_seed(ByteView seed32);
};

Signature sign(const SigningKeyPair& key, ByteView message);
// True only for a valid signature by `public_key` over exactly `message`.
bool verify(const PublicKey& public_key, ByteView message, const Signature& signature);

// ---- X25519 sealed boxes (anonymous sender, libsodium crypto_box_seal) -------------------

struct BoxKeyPair {
  PublicKey public_key{};
  SecretKey<kBoxSecretKeyBytes> secret_key;

  static BoxKeyPair generate();
  static BoxKeyPair from_seed(ByteView seed32);
};

// Encrypts `plaintext` so that only the holder of `recipient`'s secret key can read it.
// The result is plaintext.size() + kSealOverheadBytes long.
Bytes seal_to(const PublicKey& recipient, ByteView plaintext);
// Fails with kUnauthenticated if the box was not sealed to `key` or was altered.
Result<SecretBytes> unseal(const BoxKeyPair& key, ByteView sealed);

// ---- One-shot AEAD: XChaCha20-Poly1305-IETF --------------------------------------------

// Output: ciphertext || 16-byte tag. The nonce must never repeat under one key.
Bytes aead_encrypt(const SymmetricKey& key, ByteView nonce24, ByteView plaintext,
                   ByteView associated_data);
Result<SecretBytes> aead_decrypt(const SymmetricKey& key, ByteView nonce24, ByteView ciphertext,
                                 ByteView associated_data);

// ---- Argon2id passphrase KDF -----------------------------------------------------------

struct KdfParams {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;           // bytes
  static KdfParams interactive();  // libsodium's INTERACTIVE limits (tests use these)
  static KdfParams moderate();     // libsodium's MODERATE limits (wallet default)
};

// Derives a 32-byte key from a passphrase. Fails with kInvalidArgument if the parameters are
// outside libsodium's bounds (e.g. read from a tampered file) and kLimitExceeded if the memory
// limit is above 1 GiB (an attacker-chosen limit must not exhaust memory).
Result<SymmetricKey> derive_key(std::string_view passphrase, ByteView salt16, const KdfParams& p);

// ---- Constant-time comparison, wiping ----------------------------------------------------

bool equal_ct(ByteView a, ByteView b);
void wipe(std::span<uint8_t> data);

}  // namespace datadao::crypto
