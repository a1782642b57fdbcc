// LtHash16: a homomorphic multiset hash (Bellare-Micciancio; Lewi et al., "Securing Update
// Propagation with Homomorphic Hashing", Facebook 2019). The accumulator is 1024 uint16 lanes;
// an element (key, value) maps to 2048 bytes of ChaCha20 keystream keyed by
// BLAKE2b-256(u32 len(key) | key | value), added lane-wise mod 2^16. Adding and removing
// elements commute, so the digest depends only on the set of elements, never on the order or
// history that produced it, and an update costs O(changed elements).
//
// Not thread-safe per instance; distinct instances are independent.
#pragma once

#include <array>
#include <cstdint>

#include "datadao/crypto/crypto.hpp"

namespace datadao::ledger {

class LtHash16 {
 public:
  static constexpr size_t kLanes = 1024;
  static constexpr size_t kBytes = kLanes * 2;

  void add(crypto::ByteView key, crypto::ByteView value);
  void remove(crypto::ByteView key, crypto::ByteView value);
  void add(const LtHash16& other);
  void subtract(const LtHash16& other);
  // BLAKE2b-256 of the accumulator's 2048 bytes (lanes little-endian).
  crypto::Hash32 digest() const;
  // The accumulator as 2048 little-endian bytes.
  std::array<uint8_t, kBytes> bytes() const;
  bool operator==(const LtHash16&) const = default;

 private:
  std::array<uint16_t, kLanes> lanes_{};
};

}  // namespace datadao::ledger
