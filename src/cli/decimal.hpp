// Exact decimals for the CLI: ε and δ are typed as decimals ("3.0", "1e-5") but the ledger holds
// integers at a fixed scale (epsilon_milli = ε × 10^3, delta_e12 = δ × 10^12). The conversion is
// exact or refused: no binary floating point on the way. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"

namespace datadao::cli {

// Parses a non-negative decimal — digits, an optional fraction, an optional exponent
// ("0.5", "3", "1e-5", "2.5E+1") — and returns value × 10^scale_digits. kInvalidArgument,
// naming `what`, for anything else, for more precision than the scale holds ("3.0001" at scale
// 3), and for a value that does not fit in 64 bits.
Result<uint64_t> parse_scaled_decimal(std::string_view text, unsigned scale_digits,
                                      std::string_view what);

// The inverse, shortest form: format_scaled_decimal(3000, 3) == "3",
// format_scaled_decimal(10'000'000, 12) == "0.00001".
std::string format_scaled_decimal(uint64_t value, unsigned scale_digits);

// ε on the ledger is in thousandths (kEpsilonScale = 10^3).
inline constexpr unsigned kEpsilonDigits = 3;
inline std::string eps_text(uint64_t milli) { return format_scaled_decimal(milli, kEpsilonDigits); }

}  // namespace datadao::cli
