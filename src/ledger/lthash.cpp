#include "datadao/ledger/lthash.hpp"

#include <sodium.h>

namespace datadao::ledger {
namespace {

// The 1024 lanes of the element for (key, value).
void element(crypto::ByteView key, crypto::ByteView value,
             std::array<uint16_t, LtHash16::kLanes>& out) {
  crypto::Blake2b256 h;
  const uint32_t n = static_cast<uint32_t>(key.size());
  const uint8_t len[4] = {static_cast<uint8_t>(n), static_cast<uint8_t>(n >> 8),
                          static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 24)};
  h.update(crypto::ByteView(len, 4));
  h.update(key);
  h.update(value);
  crypto::Hash32 seed = h.finish();
  static constexpr uint8_t kNonce[crypto_stream_chacha20_NONCEBYTES] = {};
  alignas(64) uint8_t stream[LtHash16::kBytes];
  crypto_stream_chacha20(stream, sizeof stream, kNonce, seed.data());
  for (size_t i = 0; i < LtHash16::kLanes; ++i) {
    out[i] = static_cast<uint16_t>(stream[2 * i] | (stream[2 * i + 1] << 8));
  }
}

}  // namespace

void LtHash16::add(crypto::ByteView key, crypto::ByteView value) {
  std::array<uint16_t, kLanes> e;
  element(key, value, e);
  for (size_t i = 0; i < kLanes; ++i) lanes_[i] = static_cast<uint16_t>(lanes_[i] + e[i]);
}

void LtHash16::remove(crypto::ByteView key, crypto::ByteView value) {
  std::array<uint16_t, kLanes> e;
  element(key, value, e);
  for (size_t i = 0; i < kLanes; ++i) lanes_[i] = static_cast<uint16_t>(lanes_[i] - e[i]);
}

void LtHash16::add(const LtHash16& other) {
  for (size_t i = 0; i < kLanes; ++i)
    lanes_[i] = static_cast<uint16_t>(lanes_[i] + other.lanes_[i]);
}

void LtHash16::subtract(const LtHash16& other) {
  for (size_t i = 0; i < kLanes; ++i)
    lanes_[i] = static_cast<uint16_t>(lanes_[i] - other.lanes_[i]);
}

std::array<uint8_t, LtHash16::kBytes> LtHash16::bytes() const {
  std::array<uint8_t, kBytes> out;
  for (size_t i = 0; i < kLanes; ++i) {
    out[2 * i] = static_cast<uint8_t>(lanes_[i]);
    out[2 * i + 1] = static_cast<uint8_t>(lanes_[i] >> 8);
  }
  return out;
}

crypto::Hash32 LtHash16::digest() const {
  auto b = bytes();
  return crypto::blake2b256(crypto::ByteView(b.data(), b.size()));
}

}  // namespace datadao::ledger
