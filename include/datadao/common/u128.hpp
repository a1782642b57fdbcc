// Decimal text of unsigned 128-bit integers (the reward accumulators): JSON and messages carry
// them as strings, since most JSON readers stop at 2^64. Pure; thread-safe.
#pragma once

#include <string>

namespace datadao {

inline std::string u128_to_string(unsigned __int128 v) {
  std::string out;
  do {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  return std::string(out.rbegin(), out.rend());
}

}  // namespace datadao
