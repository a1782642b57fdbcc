// The decimal text of the 128-bit reward accumulators: to_string and from_string are inverses
// over the whole range, and from_string refuses anything but digits that fit.
#include <gtest/gtest.h>

#include "datadao/common/u128.hpp"

namespace datadao {
namespace {

using u128 = unsigned __int128;

TEST(U128Text, RoundTripsAtTheEdgesOfTheRange) {
  const u128 max = ~u128{0};
  for (u128 v : {u128{0}, u128{9}, u128{10}, u128{UINT64_MAX}, u128{UINT64_MAX} + 1, max - 1, max}) {
    const auto back = u128_from_string(u128_to_string(v));
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(*back == v) << u128_to_string(v);
  }
  EXPECT_EQ(u128_to_string(max), "340282366920938463463374607431768211455");
}

TEST(U128Text, FromStringRefusesWhatIsNotADecimalThatFits) {
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1.5", "1e3",
                          "340282366920938463463374607431768211456",  // 2^128
                          "999999999999999999999999999999999999999999"}) {
    EXPECT_FALSE(u128_from_string(bad).has_value()) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace datadao
