// Private to the privacy module: an HMAC-SHA256 pseudonym key prepared once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "datadao/crypto/crypto.hpp"

namespace datadao::privacy::internal {

// "user_" + 12 base32 characters.
inline constexpr size_t kPseudonymChars = 17;

// The HMAC inner and outer SHA-256 states after the key blocks, computed once, so that a
// pseudonym costs two SHA-256 compressions instead of four and allocates nothing. Immutable
// after construction: any number of threads may call write() concurrently. The states are key
// material and are wiped on destruction.
class PseudonymKey {
 public:
  explicit PseudonymKey(const crypto::SymmetricKey& key);
  ~PseudonymKey();
  PseudonymKey(const PseudonymKey&) = delete;
  PseudonymKey& operator=(const PseudonymKey&) = delete;

  // Writes pseudonym(key, kind, identity) (pseudonym.hpp) to `out`, byte for byte.
  void write(std::string_view kind, std::string_view identity, char (&out)[kPseudonymChars]) const;
  std::string operator()(std::string_view kind, std::string_view identity) const;

 private:
  alignas(16) std::array<uint8_t, 256> state_;  // crypto_auth_hmacsha256_state
};

// A PseudonymKey with a small cache of recent (kind, identity) pairs: the records of one export
// mostly share a handful of authors. Thread-safe: the cache sits behind a mutex taken with
// try_lock, so a caller that finds it busy computes the pseudonym instead of waiting. The cache
// holds identities as given (already in the caller's records) and their pseudonyms, no key.
class CachedPseudonyms {
 public:
  explicit CachedPseudonyms(const crypto::SymmetricKey& key) : key_(key) {}

  // Same bytes as PseudonymKey::write.
  void write(std::string_view kind, std::string_view identity, char (&out)[kPseudonymChars]) const;

 private:
  struct Slot {
    bool used = false;
    std::string kind, identity;
    char value[kPseudonymChars];
  };
  static constexpr size_t kSlots = 64;

  PseudonymKey key_;
  mutable std::mutex mu_;
  mutable std::array<Slot, kSlots> slots_;
};

}  // namespace datadao::privacy::internal
