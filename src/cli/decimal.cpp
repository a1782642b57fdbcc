#include "decimal.hpp"

#include <limits>

namespace datadao::cli {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<uint64_t> parse_scaled_decimal(std::string_view text, unsigned scale_digits,
                                      std::string_view what) {
  const std::string name(what);
  const auto bad = [&](const std::string& why) {
    return make_error(ErrorCode::kInvalidArgument, name + " '" + std::string(text) + "' " + why);
  };
  // Split into integer digits, fraction digits and a decimal exponent.
  size_t i = 0;
  std::string digits;  // integer and fraction digits together
  int64_t shift = 0;   // value = digits × 10^shift
  while (i < text.size() && is_digit(text[i])) digits += text[i++];
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      digits += text[i++];
      --shift;
    }
  }
  if (digits.empty()) return bad("is not a decimal number");
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    const size_t start = i;
    int64_t exponent = 0;
    while (i < text.size() && is_digit(text[i])) {
      exponent = exponent * 10 + (text[i++] - '0');
      if (exponent > 1000) return bad("has an exponent out of range");
    }
    if (i == start) return bad("is not a decimal number");
    shift += negative ? -exponent : exponent;
  }
  if (i != text.size()) return bad("is not a decimal number");
  shift += scale_digits;
  // Digits dropped by a negative shift must be zeros, else the scale cannot hold the value.
  while (shift < 0) {
    if (digits.empty()) break;
    if (digits.back() != '0') {
      return bad("has more precision than the ledger holds (" + std::to_string(scale_digits) +
                 " decimal places)");
    }
    digits.pop_back();
    ++shift;
  }
  if (shift < 0) shift = 0;  // the value was zero
  uint64_t v = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : digits) {
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (kMax - d) / 10) return bad("is too large");
    v = v * 10 + d;
  }
  for (int64_t k = 0; k < shift && v != 0; ++k) {
    if (v > kMax / 10) return bad("is too large");
    v *= 10;
  }
  return v;
}

std::string format_scaled_decimal(uint64_t value, unsigned scale_digits) {
  std::string s = std::to_string(value);
  if (scale_digits == 0) return s;
  if (s.size() <= scale_digits) s.insert(0, scale_digits + 1 - s.size(), '0');
  s.insert(s.size() - scale_digits, 1, '.');
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace datadao::cli
