// Decimal text of unsigned 128-bit integers (the reward accumulators): JSON and messages carry
// them as strings, since most JSON readers stop at 2^64. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace datadao {

inline std::string u128_to_string(unsigned __int128 v) {
  std::string out;
  do {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  return std::string(out.rbegin(), out.rend());
}

// The inverse: decimal digits only (no sign, no spaces), at most 2^128 - 1; else nullopt.
inline std::optional<unsigned __int128> u128_from_string(std::string_view s) {
  if (s.empty()) return std::nullopt;
  constexpr unsigned __int128 kMax = ~static_cast<unsigned __int128>(0);
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (kMax - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace datadao
