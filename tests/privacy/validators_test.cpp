#include <gtest/gtest.h>

#include "datadao/privacy/scrubber.hpp"
#include "datadao/privacy/validators.hpp"

namespace datadao::privacy {
namespace {

TEST(PrivacyLuhn, AcceptsPublishedTestCardNumbers) {
  for (const char* n : {"4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009",
                        "378282246310005", "6011111111111117", "4222222222222", "30569309025904",
                        "2223003122003222", "3530111333300000"}) {
    EXPECT_TRUE(luhn_valid(n)) << n;
  }
}

TEST(PrivacyLuhn, RejectsOneChangedDigitAndBadLengths) {
  EXPECT_FALSE(luhn_valid("4111 1111 1111 1112"));
  EXPECT_FALSE(luhn_valid("1234 5678 9012 3456"));
  EXPECT_FALSE(luhn_valid("0000 0000 0000"));          // 12 digits: too short for a card
  EXPECT_FALSE(luhn_valid("4111111111111111111111"));  // 22 digits: too long
  EXPECT_FALSE(luhn_valid("4111.1111.1111.1111"));     // '.' is not a card separator
  EXPECT_FALSE(luhn_valid(""));
}

TEST(PrivacyLuhn, EverySingleDigitChangeIsDetected) {
  const std::string valid = "4012888888881881";
  ASSERT_TRUE(luhn_valid(valid));
  for (size_t i = 0; i < valid.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[i]) continue;
      std::string changed = valid;
      changed[i] = d;
      EXPECT_FALSE(luhn_valid(changed)) << changed;
    }
  }
}

TEST(PrivacyIban, AcceptsValidIbansWithAndWithoutSpacesAnyCase) {
  for (const char* iban :
       {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "de89370400440532013000",
        "GB82 WEST 1234 5698 7654 32", "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300",
        "BE68 5390 0754 7034", "NO93 8601 1117 947", "PL61 1090 1014 0000 0712 1981 2874"}) {
    EXPECT_TRUE(iban_valid(iban)) << iban;
  }
}

TEST(PrivacyIban, RejectsWrongCheckDigitsSwapsAndGarbage) {
  EXPECT_FALSE(iban_valid("DE88 3704 0044 0532 0130 00"));  // check digits changed
  EXPECT_FALSE(iban_valid("DE89 3704 0044 0532 0103 00"));  // adjacent digits swapped
  EXPECT_FALSE(iban_valid("GB82 WEST 1234 5698 7654 33"));
  EXPECT_FALSE(iban_valid("DE89"));                         // too short
  EXPECT_FALSE(iban_valid("1289 3704 0044 0532 0130 00"));  // no country code
  EXPECT_FALSE(iban_valid("DE89-3704-0044-0532-0130-00"));  // dashes are not allowed
  EXPECT_FALSE(iban_valid(""));
}

TEST(PrivacyLabels, RoundTripEveryType) {
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    auto t = static_cast<PiiType>(i);
    EXPECT_EQ(pii_type_from_label(pii_type_label(t)), t);
  }
  EXPECT_FALSE(pii_type_from_label("MAIL").has_value());
}

}  // namespace
}  // namespace datadao::privacy
