// Capitalised words without a regex: the successive matches of \p{Lu}[\p{L}\-]*\p{L}.
#include "capitalised.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <cstring>

#include "ascii.hpp"

namespace datadao::privacy::internal {

namespace {

struct LetterTable {
  std::vector<uint8_t> bmp;  // bit 0: \p{L}, bit 1: \p{Lu}
  RE2 letter{R"(\p{L})"}, upper{R"(\p{Lu})"};
  LetterTable() : bmp(0x10000, 0) {
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (cp < 0x80) {
        bmp[cp] = is_ascii_alpha(static_cast<unsigned char>(cp)) ? 1 : 0;
        if (cp >= 'A' && cp <= 'Z') bmp[cp] |= 2;
        continue;
      }
      bmp[cp] = classify_slow(cp);
    }
  }
  uint8_t classify_slow(uint32_t cp) const {
    char buf[4];
    size_t len = encode(cp, buf);
    re2::StringPiece piece(buf, len);
    uint8_t bits = 0;
    if (RE2::FullMatch(piece, letter)) bits |= 1;
    if (RE2::FullMatch(piece, upper)) bits |= 2;
    return bits;
  }
  uint8_t classify(uint32_t cp) const { return cp < 0x10000 ? bmp[cp] : classify_slow(cp); }
  static size_t encode(uint32_t cp, char* out) {
    if (cp < 0x800) {
      out[0] = static_cast<char>(0xC0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      out[0] = static_cast<char>(0xE0 | (cp >> 12));
      out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out[2] = static_cast<char>(0x80 | (cp & 0x3F));
      return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }
};

const LetterTable& letters() {
  static const LetterTable t;
  return t;
}

// Decodes the code point at `i` of valid UTF-8; returns its length in bytes.
size_t decode(const unsigned char* s, size_t i, uint32_t* cp) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xE0) {
    *cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    *cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    return 3;
  }
  *cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
        (s[i + 3] & 0x3Fu);
  return 4;
}

}  // namespace

void capitalised_words(std::string_view text, std::vector<Span>& out) {
  const LetterTable& table = letters();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Eight bytes at a time while none is an ASCII capital or a non-ASCII byte.
    for (uint64_t w; i + 8 <= n; i += 8) {
      constexpr uint64_t kHigh = 0x8080808080808080ull;
      std::memcpy(&w, s + i, 8);
      const uint64_t low = w & ~kHigh;
      const uint64_t at_least_a = low + 0x3F3F3F3F3F3F3F3Full;  // bit 7: byte >= 'A'
      const uint64_t past_z = low + 0x2525252525252525ull;      // bit 7: byte > 'Z'
      if ((w | (at_least_a & ~past_z)) & kHigh) break;
    }
    if (i >= n) break;
    uint32_t cp;
    const unsigned char c = s[i];
    size_t len;
    uint8_t bits;
    if (c < 0x80) {
      len = 1;
      bits = table.bmp[c];
    } else {
      len = decode(s, i, &cp);
      bits = table.classify(cp);
    }
    if ((bits & 2) == 0) {
      i += len;
      continue;
    }
    // Greedy over letters and hyphens, then back to the last letter.
    size_t j = i + len, last_letter_end = 0;
    while (j < n) {
      const unsigned char d = s[j];
      if (d == '-') {
        ++j;
        continue;
      }
      size_t l;
      uint8_t b;
      if (d < 0x80) {
        l = 1;
        b = table.bmp[d];
      } else {
        l = decode(s, j, &cp);
        b = table.classify(cp);
      }
      if ((b & 1) == 0) break;
      j += l;
      last_letter_end = j;
    }
    if (last_letter_end == 0) {
      i += len;  // no letter after the capital: no match here, try the next character
      continue;
    }
    out.push_back(Span{i, last_letter_end});
    i = last_letter_end;
  }
}

}  // namespace datadao::privacy::internal
