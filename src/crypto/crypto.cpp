#include "datadao/crypto/crypto.hpp"

#include <sodium.h>

#include <cstring>
#include <mutex>

namespace datadao::crypto {

static_assert(sizeof(crypto_generichash_state) <= 384);
static_assert(sizeof(crypto_hash_sha256_state) <= 128);
static_assert(crypto_box_SEALBYTES == kSealOverheadBytes);
static_assert(crypto_pwhash_SALTBYTES == kKdfSaltBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceBytes);

void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();
  });
}

ByteView as_bytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

template <size_t N>
SecretKey<N>::~SecretKey() {
  sodium_memzero(bytes_.data(), N);
}
template <size_t N>
bool SecretKey<N>::operator==(const SecretKey& o) const {
  return sodium_memcmp(bytes_.data(), o.bytes_.data(), N) == 0;
}
template class SecretKey<32>;
template class SecretKey<64>;

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

void random_bytes(std::span<uint8_t> out) {
  init();
  randombytes_buf(out.data(), out.size());
}

SymmetricKey random_key() {
  SymmetricKey k;
  random_bytes(std::span<uint8_t>(k.data(), k.size()));
  return k;
}

Hash32 blake2b256(ByteView data) {
  init();
  Hash32 out;
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

Hash32 blake2b256_keyed(const SymmetricKey& key, ByteView data) {
  init();
  Hash32 out;
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(), key.size());
  return out;
}

Hash32 sha256(ByteView data) {
  init();
  Hash32 out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Blake2b256::Blake2b256() {
  init();
  crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_.data()), nullptr, 0,
                          kHashBytes);
}
void Blake2b256::update(ByteView data) {
  crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_.data()), data.data(),
                            data.size());
}
Hash32 Blake2b256::finish() {
  Hash32 out;
  crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_.data()), out.data(),
                           out.size());
  return out;
}

Sha256::Sha256() {
  init();
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()));
}
void Sha256::update(ByteView data) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), data.data(),
                            data.size());
}
Hash32 Sha256::finish() {
  Hash32 out;
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), out.data());
  return out;
}

SigningKeyPair SigningKeyPair::generate() {
  init();
  SigningKeyPair kp;
  crypto_sign_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

SigningKeyPair SigningKeyPair::from_seed(ByteView seed32) {
  init();
  if (seed32.size() != crypto_sign_SEEDBYTES) std::abort();
  SigningKeyPair kp;
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed32.data());
  return kp;
}

Signature sign(const SigningKeyPair& key, ByteView message) {
  init();
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), key.secret_key.data());
  return sig;
}

bool verify(const PublicKey& public_key, ByteView message, const Signature& signature) {
  init();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

BoxKeyPair BoxKeyPair::generate() {
  init();
  BoxKeyPair kp;
  crypto_box_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

BoxKeyPair BoxKeyPair::from_seed(ByteView seed32) {
  init();
  if (seed32.size() != crypto_box_SEEDBYTES) std::abort();
  BoxKeyPair kp;
  crypto_box_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed32.data());
  return kp;
}

Bytes seal_to(const PublicKey& recipient, ByteView plaintext) {
  init();
  Bytes out(plaintext.size() + crypto_box_SEALBYTES);
  crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), recipient.data());
  return out;
}

Result<SecretBytes> unseal(const BoxKeyPair& key, ByteView sealed) {
  init();
  if (sealed.size() < crypto_box_SEALBYTES) {
    return make_error(ErrorCode::kInvalidArgument, "sealed box is " +
                                                       std::to_string(sealed.size()) +
                                                       " bytes, shorter than the 48-byte overhead");
  }
  Bytes out(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), key.public_key.data(),
                           key.secret_key.data()) != 0) {
    return make_error(
        ErrorCode::kUnauthenticated,
        "sealed box cannot be opened with this key (not addressed to it, or altered)");
  }
  return SecretBytes(std::move(out));
}

Bytes aead_encrypt(const SymmetricKey& key, ByteView nonce24, ByteView plaintext,
                   ByteView associated_data) {
  init();
  if (nonce24.size() != kAeadNonceBytes) std::abort();
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long out_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data(), &out_len, plaintext.data(), plaintext.size(), associated_data.data(),
      associated_data.size(), nullptr, nonce24.data(), key.data());
  out.resize(out_len);
  return out;
}

Result<SecretBytes> aead_decrypt(const SymmetricKey& key, ByteView nonce24, ByteView ciphertext,
                                 ByteView associated_data) {
  init();
  if (nonce24.size() != kAeadNonceBytes) {
    return make_error(ErrorCode::kInvalidArgument, "AEAD nonce must be 24 bytes");
  }
  if (ciphertext.size() < kAeadTagBytes) {
    return make_error(ErrorCode::kCorruption, "AEAD ciphertext shorter than its tag");
  }
  Bytes out(ciphertext.size() - kAeadTagBytes);
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &out_len, nullptr, ciphertext.data(), ciphertext.size(),
          associated_data.data(), associated_data.size(), nonce24.data(), key.data()) != 0) {
    return make_error(ErrorCode::kUnauthenticated,
                      "AEAD authentication failed (wrong key or altered ciphertext)");
  }
  out.resize(out_len);
  return SecretBytes(std::move(out));
}

KdfParams KdfParams::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfParams KdfParams::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

Result<SymmetricKey> derive_key(std::string_view passphrase, ByteView salt16, const KdfParams& p) {
  init();
  constexpr uint64_t kMaxMemlimit = 1ull << 30;
  if (salt16.size() != crypto_pwhash_SALTBYTES) {
    return make_error(ErrorCode::kInvalidArgument, "KDF salt must be 16 bytes");
  }
  if (p.memlimit > kMaxMemlimit) {
    return make_error(ErrorCode::kLimitExceeded,
                      "KDF memory limit " + std::to_string(p.memlimit) + " exceeds 1 GiB");
  }
  if (p.opslimit < crypto_pwhash_OPSLIMIT_MIN || p.opslimit > 64 ||
      p.memlimit < crypto_pwhash_MEMLIMIT_MIN) {
    return make_error(ErrorCode::kInvalidArgument, "KDF parameters out of range");
  }
  SymmetricKey key;
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt16.data(),
                    p.opslimit, static_cast<size_t>(p.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(ErrorCode::kIoError, "Argon2id ran out of memory");
  }
  return key;
}

bool equal_ct(ByteView a, ByteView b) {
  init();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::span<uint8_t> data) { sodium_memzero(data.data(), data.size()); }

}  // namespace datadao::crypto
