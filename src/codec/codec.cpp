#include "datadao/codec/codec.hpp"

#include <sodium.h>

#include <cstring>

#include "datadao/crypto/crypto.hpp"

namespace datadao::codec {

namespace {
template <class T>
void put_le(Bytes& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
}  // namespace

Writer& Writer::u8(uint8_t v) {
  out_.push_back(v);
  return *this;
}
Writer& Writer::u16(uint16_t v) {
  put_le(out_, v);
  return *this;
}
Writer& Writer::u32(uint32_t v) {
  put_le(out_, v);
  return *this;
}
Writer& Writer::u64(uint64_t v) {
  put_le(out_, v);
  return *this;
}
Writer& Writer::fixed(ByteView data) {
  out_.insert(out_.end(), data.begin(), data.end());
  return *this;
}
Writer& Writer::bytes(ByteView data) {
  if (data.size() > UINT32_MAX) std::abort();  // callers enforce far smaller limits
  u32(static_cast<uint32_t>(data.size()));
  return fixed(data);
}
Writer& Writer::str(std::string_view text) {
  return bytes(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

bool Reader::need(std::string_view field, size_t n) {
  if (error_) return false;
  if (in_.size() - pos_ < n) {
    error_ = Error{ErrorCode::kInvalidArgument,
                   what_ + ": truncated at byte " + std::to_string(pos_) + " reading '" +
                       std::string(field) + "' (need " + std::to_string(n) + " bytes, " +
                       std::to_string(in_.size() - pos_) + " left)"};
    return false;
  }
  return true;
}

namespace {
template <class T>
T get_le(const uint8_t* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(p[i]) << (8 * i);
  return v;
}
}  // namespace

uint8_t Reader::u8(std::string_view field) {
  if (!need(field, 1)) return 0;
  return in_[pos_++];
}
uint16_t Reader::u16(std::string_view field) {
  if (!need(field, 2)) return 0;
  auto v = get_le<uint16_t>(in_.data() + pos_);
  pos_ += 2;
  return v;
}
uint32_t Reader::u32(std::string_view field) {
  if (!need(field, 4)) return 0;
  auto v = get_le<uint32_t>(in_.data() + pos_);
  pos_ += 4;
  return v;
}
uint64_t Reader::u64(std::string_view field) {
  if (!need(field, 8)) return 0;
  auto v = get_le<uint64_t>(in_.data() + pos_);
  pos_ += 8;
  return v;
}
bool Reader::boolean(std::string_view field) {
  uint8_t v = u8(field);
  if (v > 1) fail(ErrorCode::kInvalidArgument, field, "boolean must be 0 or 1");
  return v == 1;
}
void Reader::fixed(std::string_view field, std::span<uint8_t> out) {
  if (!need(field, out.size())) {
    std::memset(out.data(), 0, out.size());
    return;
  }
  std::memcpy(out.data(), in_.data() + pos_, out.size());
  pos_ += out.size();
}
Bytes Reader::bytes(std::string_view field, size_t max_len) {
  uint32_t len = u32(field);
  if (error_) return {};
  if (len > max_len) {
    fail(ErrorCode::kLimitExceeded, field,
         "length " + std::to_string(len) + " exceeds the limit of " + std::to_string(max_len));
    return {};
  }
  if (!need(field, len)) return {};
  Bytes out(in_.begin() + pos_, in_.begin() + pos_ + len);
  pos_ += len;
  return out;
}
std::string Reader::str(std::string_view field, size_t max_len) {
  Bytes b = bytes(field, max_len);
  std::string s(b.begin(), b.end());
  if (!error_ && !is_valid_utf8(s)) fail(ErrorCode::kInvalidArgument, field, "invalid UTF-8");
  return s;
}
void Reader::fail(ErrorCode code, std::string_view field, std::string_view why) {
  if (error_) return;
  error_ = Error{code, what_ + ": field '" + std::string(field) + "': " + std::string(why)};
}
Status Reader::finish() {
  if (error_) return *error_;
  if (pos_ != in_.size()) {
    return make_error(ErrorCode::kInvalidArgument, what_ + ": " +
                                                       std::to_string(in_.size() - pos_) +
                                                       " trailing bytes after the encoded value");
  }
  return Status::Ok();
}

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // overlong
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string to_hex(ByteView data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(data.size() * 2, '0');
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xF];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex, std::string_view what) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(what) + ": hex has an odd number of digits");
  }
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(what) + ": not a hex digit at position " +
                            std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string to_base64(ByteView data) {
  crypto::init();
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

Result<Bytes> from_base64(std::string_view text, std::string_view what) {
  crypto::init();
  Bytes out(text.size() / 4 * 3 + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": invalid base64");
  }
  out.resize(len);
  return out;
}

}  // namespace datadao::codec
