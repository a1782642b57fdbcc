// UTF-8 for the scrubber: a fast validity check and sanitising of invalid sequences.
#include "utf8.hpp"

#include <cstdint>
#include <cstring>
#include <string>

#include "datadao/codec/codec.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {

namespace internal {

bool valid_utf8(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  for (uint64_t w; i + 8 <= n; i += 8) {
    std::memcpy(&w, text.data() + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (i < n && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  // Bytes before i are ASCII, so i starts a character.
  return i == n || codec::is_valid_utf8(text.substr(i));
}

}  // namespace internal

std::string sanitise_utf8(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  const size_t n = text.size();
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < n) {
    unsigned char c = byte(i);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // <= U+10FFFF
    }
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    // Maximal subpart: consume the longest valid prefix, replace it by one U+FFFD if incomplete.
    size_t k = 1;
    while (k < len && i + k < n) {
      unsigned char b = byte(i + k);
      unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (b < l || b > h) break;
      ++k;
    }
    if (k == len) {
      out.append(text.substr(i, len));
    } else {
      out += kReplacement;
    }
    i += k;
  }
  return out;
}

}  // namespace datadao::privacy
