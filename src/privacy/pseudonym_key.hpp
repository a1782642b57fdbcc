// Private to the privacy module: an HMAC-SHA256 pseudonym key prepared once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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

  // Writes pseudonym(key, kind, identity) (see pii.hpp) to `out`, byte for byte.
  void write(std::string_view kind, std::string_view identity, char (&out)[kPseudonymChars]) const;
  std::string operator()(std::string_view kind, std::string_view identity) const;

 private:
  alignas(16) std::array<uint8_t, 256> state_;  // crypto_auth_hmacsha256_state
};

}  // namespace datadao::privacy::internal
