// Checksum validators of structured PII: Luhn (payment cards) and ISO 13616 mod-97 (IBANs).
#include "datadao/privacy/validators.hpp"

#include <cctype>
#include <string>
#include <string_view>

namespace datadao::privacy {

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

}  // namespace datadao::privacy
