// Labels, checksum validators and UTF-8 sanitising for the PII detector.
#include <cctype>
#include <string>
#include <string_view>

#include "datadao/privacy/pii.hpp"

namespace datadao::privacy {

namespace {
constexpr std::array<std::string_view, kPiiTypeCount> kLabels = {
    "EMAIL", "PHONE", "CARD", "IBAN", "IP", "URL", "HANDLE", "NAME", "ADDRESS"};
}  // namespace

std::string_view pii_type_label(PiiType type) { return kLabels[static_cast<size_t>(type)]; }

std::optional<PiiType> pii_type_from_label(std::string_view label) {
  for (size_t i = 0; i < kLabels.size(); ++i) {
    if (kLabels[i] == label) return static_cast<PiiType>(i);
  }
  return std::nullopt;
}

bool luhn_valid(std::string_view number) {
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  if (digits.size() < 13 || digits.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool iban_valid(std::string_view iban) {
  std::string s;
  for (char c : iban) {
    if (c == ' ') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (s.size() < 15 || s.size() > 34) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0])) ||
      !std::isalpha(static_cast<unsigned char>(s[1])) ||
      !std::isdigit(static_cast<unsigned char>(s[2])) ||
      !std::isdigit(static_cast<unsigned char>(s[3]))) {
    return false;
  }
  // Move the first four characters to the end, letters become 10..35, then mod 97 == 1.
  std::string rotated = s.substr(4) + s.substr(0, 4);
  unsigned remainder = 0;
  for (char c : rotated) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else {
      unsigned v = static_cast<unsigned>(c - 'A') + 10;
      remainder = (remainder * 100 + v) % 97;
    }
  }
  return remainder == 1;
}

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
