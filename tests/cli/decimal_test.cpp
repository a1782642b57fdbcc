// ε and δ typed as decimals become the ledger's integers exactly, or are refused: never rounded.
#include "decimal.hpp"

#include <gtest/gtest.h>

namespace datadao::cli {
namespace {

uint64_t ok(std::string_view text, unsigned digits) {
  auto r = parse_scaled_decimal(text, digits, "--x");
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().message;
  return r.ok() ? *r : 0;
}

TEST(DecimalTest, EpsilonAndDeltaConvertExactlyToTheLedgerScale) {
  EXPECT_EQ(ok("3", 3), 3000u);
  EXPECT_EQ(ok("3.0", 3), 3000u);
  EXPECT_EQ(ok("0.5", 3), 500u);
  EXPECT_EQ(ok(".125", 3), 125u);
  EXPECT_EQ(ok("2.5E+1", 3), 25000u);
  EXPECT_EQ(ok("1e-5", 12), 10'000'000u);
  EXPECT_EQ(ok("0.00001", 12), 10'000'000u);
  EXPECT_EQ(ok("1e-12", 12), 1u);
  EXPECT_EQ(ok("0.01", 12), 10'000'000'000u);
  EXPECT_EQ(ok("3.1000", 3), 3100u);  // trailing zeros are not precision
  EXPECT_EQ(ok("0", 3), 0u);
  EXPECT_EQ(ok("0e-99", 3), 0u);
  EXPECT_EQ(ok("18446744073709551.615", 3), UINT64_MAX);
}

TEST(DecimalTest, MorePrecisionThanTheScaleOrNotANumberIsRefused) {
  const std::pair<const char*, unsigned> cases[] = {{"3.0001", 3},
                                                    {"1e-13", 12},
                                                    {"0.0000000000001", 12},
                                                    {"", 3},
                                                    {".", 3},
                                                    {"-1", 3},
                                                    {"+1", 3},
                                                    {"1e", 3},
                                                    {"1e+", 3},
                                                    {"3,5", 3},
                                                    {"0x10", 3},
                                                    {"1.2.3", 3},
                                                    {" 3", 3},
                                                    {"3 ", 3},
                                                    {"inf", 3},
                                                    {"nan", 3},
                                                    {"18446744073709551.616", 3},
                                                    {"1e30", 12}};
  for (const auto& [bad, digits] : cases) {
    auto r = parse_scaled_decimal(bad, digits, "--epsilon");
    EXPECT_FALSE(r.ok()) << "'" << bad << "' was accepted as " << *r;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      EXPECT_NE(r.error().message.find("--epsilon"), std::string::npos);
    }
  }
  EXPECT_NE(parse_scaled_decimal("3.0001", 3, "--epsilon").error().message.find("precision"),
            std::string::npos);
}

TEST(DecimalTest, FormatIsTheShortestInverse) {
  EXPECT_EQ(format_scaled_decimal(3000, 3), "3");
  EXPECT_EQ(format_scaled_decimal(2500, 3), "2.5");
  EXPECT_EQ(format_scaled_decimal(1, 3), "0.001");
  EXPECT_EQ(format_scaled_decimal(0, 3), "0");
  EXPECT_EQ(format_scaled_decimal(10'000'000, 12), "0.00001");
  EXPECT_EQ(format_scaled_decimal(7, 0), "7");
  for (uint64_t v : {0ull, 1ull, 999ull, 1000ull, 123456789ull}) {
    EXPECT_EQ(ok(format_scaled_decimal(v, 6), 6), v);
  }
}

}  // namespace
}  // namespace datadao::cli
