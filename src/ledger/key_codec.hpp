// Private to the ledger: the one encoding of state keys. A key is a one-byte tag, then big-endian
// u64 ids, raw 32-byte accounts or hashes, or text, in the order given. Big-endian makes byte
// order id order, so the keys of one pool or model are one prefix scan and a scan resumes after
// an id by starting at `prefix | id`. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "datadao/codec/codec.hpp"
#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::ledger::detail {

class Key {
 public:
  explicit Key(uint8_t tag) : k_{tag} {}
  // Extends a prefix built before (a scan's start after an id).
  explicit Key(crypto::Bytes prefix) : k_(std::move(prefix)) {}
  Key& id(uint64_t v) {
    for (int i = 7; i >= 0; --i) k_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Key& fixed(const std::array<uint8_t, 32>& a) {
    k_.insert(k_.end(), a.begin(), a.end());
    return *this;
  }
  Key& text(std::string_view s) {
    k_.insert(k_.end(), s.begin(), s.end());
    return *this;
  }
  crypto::Bytes take() { return std::move(k_); }

 private:
  crypto::Bytes k_;
};

// The big-endian id at byte `off` of `key` (the caller has checked the key's length).
inline uint64_t key_id(crypto::ByteView key, size_t off) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | key[off + i];
  return v;
}

// kCorruption naming a malformed state entry by its key.
inline Error bad_key(crypto::ByteView key, std::string_view why) {
  return make_error(ErrorCode::kCorruption,
                    "state entry " + codec::to_hex(key) + ": " + std::string(why));
}

}  // namespace datadao::ledger::detail
