// Canonical binary encoding: the bytes that are signed are the bytes that are stored.
//
// Rules: integers are fixed-width little-endian; byte strings and text are a u32 length then the
// bytes; text must be valid UTF-8; a decoder must consume its input exactly (no trailing bytes).
// With these rules every value has exactly one encoding, so hashes and signatures over encodings
// are well defined.
//
// Reader uses a sticky error: after the first failure every read returns a zero value and the
// first error (which names the field being read) is kept. Check ok()/finish() once at the end.
// Writer and Reader are not thread-safe; use one per thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::codec {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

class Writer {
 public:
  Writer() = default;
  explicit Writer(size_t reserve) { out_.reserve(reserve); }

  Writer& u8(uint8_t v);
  Writer& u16(uint16_t v);
  Writer& u32(uint32_t v);
  Writer& u64(uint64_t v);
  Writer& boolean(bool v) { return u8(v ? 1 : 0); }
  // Fixed-size field (keys, hashes, signatures): no length prefix.
  Writer& fixed(ByteView data);
  template <size_t N>
  Writer& fixed(const std::array<uint8_t, N>& a) {
    return fixed(ByteView(a.data(), N));
  }
  // Length-prefixed (u32) byte string / UTF-8 text.
  Writer& bytes(ByteView data);
  Writer& str(std::string_view text);

  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  Bytes out_;
};

class Reader {
 public:
  // `what` names the input in error messages ("transaction", "block 12 header").
  Reader(ByteView input, std::string what) : in_(input), what_(std::move(what)) {}

  uint8_t u8(std::string_view field);
  uint16_t u16(std::string_view field);
  uint32_t u32(std::string_view field);
  uint64_t u64(std::string_view field);
  bool boolean(std::string_view field);
  void fixed(std::string_view field, std::span<uint8_t> out);
  template <size_t N>
  std::array<uint8_t, N> fixed(std::string_view field) {
    std::array<uint8_t, N> a{};
    fixed(field, std::span<uint8_t>(a.data(), N));
    return a;
  }
  // Rejects lengths above max_len with kLimitExceeded before allocating.
  Bytes bytes(std::string_view field, size_t max_len);
  std::string str(std::string_view field, size_t max_len);

  // Records a semantic error found by the caller (keeps the first error).
  void fail(ErrorCode code, std::string_view field, std::string_view why);

  bool ok() const { return !error_.has_value(); }
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  // Ok if no error occurred and the whole input was consumed.
  Status finish();
  const Error& error() const { return *error_; }

 private:
  bool need(std::string_view field, size_t n);
  ByteView in_;
  size_t pos_ = 0;
  std::string what_;
  std::optional<Error> error_;
};

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text);

std::string to_hex(ByteView data);
template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& a) {
  return to_hex(ByteView(a.data(), N));
}
// Decodes hex (upper or lower case); `what` names the input in the error.
Result<Bytes> from_hex(std::string_view hex, std::string_view what);
// Decodes exactly N bytes of hex.
template <size_t N>
Result<std::array<uint8_t, N>> from_hex_fixed(std::string_view hex, std::string_view what) {
  auto b = from_hex(hex, what);
  if (!b.ok()) return b.error();
  if (b->size() != N) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": expected " +
                                                       std::to_string(N) + " bytes of hex, got " +
                                                       std::to_string(b->size()));
  }
  std::array<uint8_t, N> a{};
  for (size_t i = 0; i < N; ++i) a[i] = (*b)[i];
  return a;
}

// Standard base64 with padding (RFC 4648 section 4).
std::string to_base64(ByteView data);
Result<Bytes> from_base64(std::string_view text, std::string_view what);

}  // namespace datadao::codec
