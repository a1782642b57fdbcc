#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {
namespace {

// The texts of the spans detected as `type`.
std::vector<std::string> found(std::string_view text, PiiType type) {
  std::vector<std::string> out;
  for (const PiiSpan& s : detect(text)) {
    if (s.type == type) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(PrivacyDetect, FindsEmails) {
  EXPECT_EQ(found("write to jane.doe+x@mail.example.org today", PiiType::kEmail),
            V{"jane.doe+x@mail.example.org"});
  EXPECT_EQ(found("lisa [at] protonmail [dot] com", PiiType::kEmail),
            V{"lisa [at] protonmail [dot] com"});
  EXPECT_TRUE(found("meet @ noon, not an email@", PiiType::kEmail).empty());
}

TEST(PrivacyDetect, FindsPhonesButNotDatesOrShortNumbers) {
  EXPECT_EQ(found("call (555) 123-4567 now", PiiType::kPhone), V{"(555) 123-4567"});
  EXPECT_EQ(found("ring +44 20 7946 0958.", PiiType::kPhone), V{"+44 20 7946 0958"});
  EXPECT_EQ(found("mobile 06 12 34 56 78", PiiType::kPhone), V{"06 12 34 56 78"});
  EXPECT_TRUE(found("on 2023-05-12 and 12.05.2023 at 10:30", PiiType::kPhone).empty());
  EXPECT_TRUE(found("born in 1987, room 1204, 3-2 win", PiiType::kPhone).empty());
  EXPECT_TRUE(found("order 112-3344556-7788990", PiiType::kPhone).empty());
}

TEST(PrivacyDetect, FindsLuhnValidCardsOnly) {
  EXPECT_EQ(found("card 4111 1111 1111 1111 declined", PiiType::kCreditCard),
            V{"4111 1111 1111 1111"});
  EXPECT_EQ(found("amex 3400-000000-00009", PiiType::kCreditCard), V{"3400-000000-00009"});
  EXPECT_TRUE(found("invoice 4111 1111 1111 1112", PiiType::kCreditCard).empty());
  EXPECT_TRUE(found("id 1234567890123456", PiiType::kCreditCard).empty());
}

TEST(PrivacyDetect, CardFollowedByAYearIsStillFound) {
  EXPECT_EQ(found("4111 1111 1111 1111 2027", PiiType::kCreditCard), V{"4111 1111 1111 1111"});
}

TEST(PrivacyDetect, FindsMod97ValidIbansOnly) {
  EXPECT_EQ(found("pay DE89 3704 0044 0532 0130 00 now", PiiType::kIban),
            V{"DE89 3704 0044 0532 0130 00"});
  EXPECT_EQ(found("GB82WEST12345698765432.", PiiType::kIban), V{"GB82WEST12345698765432"});
  EXPECT_TRUE(found("pay DE88 3704 0044 0532 0130 00 now", PiiType::kIban).empty());
  EXPECT_TRUE(found("model DE12 3456 discontinued", PiiType::kIban).empty());
}

TEST(PrivacyDetect, FindsIpAddressesButNotVersions) {
  EXPECT_EQ(found("from 203.0.113.77 again", PiiType::kIpAddress), V{"203.0.113.77"});
  EXPECT_EQ(found("v6 2001:db8::8a2e:370:7334 up", PiiType::kIpAddress),
            V{"2001:db8::8a2e:370:7334"});
  EXPECT_TRUE(found("octet 256.1.1.1 is invalid", PiiType::kIpAddress).empty());
  EXPECT_TRUE(found("version v1.2.3.4 and 10.0.19045.3693", PiiType::kIpAddress).empty());
  EXPECT_TRUE(found("at 12:30:45 use std::vector", PiiType::kIpAddress).empty());
}

TEST(PrivacyDetect, FindsPersonalUrlsOnly) {
  EXPECT_EQ(found("see https://www.reddit.com/user/alice_42, ok", PiiType::kUrlPersonal),
            V{"https://www.reddit.com/user/alice_42"});
  EXPECT_EQ(found("x.com/jack and linkedin.com/in/jane-doe", PiiType::kUrlPersonal),
            (V{"x.com/jack", "linkedin.com/in/jane-doe"}));
  EXPECT_EQ(found("https://a.example/reset?email=j%40e.org&t=1", PiiType::kUrlPersonal),
            V{"https://a.example/reset?email=j%40e.org&t=1"});
  EXPECT_TRUE(found("https://www.reddit.com/r/privacy/ is nice", PiiType::kUrlPersonal).empty());
  EXPECT_TRUE(found("https://en.wikipedia.org/wiki/IBAN", PiiType::kUrlPersonal).empty());
}

TEST(PrivacyDetect, FindsHandlesAndRedditUsernames) {
  EXPECT_EQ(found("thanks @sarah_codes and u/GallowBoob and /u/spez", PiiType::kHandle),
            (V{"@sarah_codes", "u/GallowBoob", "/u/spez"}));
  EXPECT_TRUE(found("meet @ 5pm, mail anna@example.com", PiiType::kHandle).empty());
}

TEST(PrivacyDetect, FindsStreetAddresses) {
  EXPECT_EQ(found("send it to 1600 Pennsylvania Ave NW, Washington, DC 20500 thanks",
                  PiiType::kStreetAddress),
            V{"1600 Pennsylvania Ave NW, Washington, DC 20500"});
  EXPECT_EQ(found("at 221B Baker Street", PiiType::kStreetAddress), V{"221B Baker Street"});
  EXPECT_EQ(found("Hauptstraße 12, 10115 Berlin", PiiType::kStreetAddress),
            V{"Hauptstraße 12, 10115 Berlin"});
  EXPECT_TRUE(found("Main Street was closed", PiiType::kStreetAddress).empty());
}

TEST(PrivacyDetect, FindsNamesFromCues) {
  EXPECT_EQ(found("My name is Jessica Alvarez and", PiiType::kPersonName), V{"Jessica Alvarez"});
  EXPECT_EQ(found("Dr. Patel said so", PiiType::kPersonName), V{"Patel"});
  EXPECT_EQ(found("Thanks for reading!\n- Mike", PiiType::kPersonName), V{"Mike"});
  EXPECT_EQ(found("I talked to Sarah yesterday", PiiType::kPersonName), V{"Sarah"});
  EXPECT_EQ(found("Hiroshi Tanaka replied", PiiType::kPersonName), V{"Hiroshi Tanaka"});
}

TEST(PrivacyDetect, CapitalisedNonNamesAreNotNames) {
  for (const char* s :
       {"Will you come?", "May the force be with you", "Paris is lovely", "Monday I went out",
        "The United Nations met", "I'm Canadian eh", "Hope this helps!"}) {
    EXPECT_TRUE(found(s, PiiType::kPersonName).empty()) << s;
  }
}

TEST(PrivacyDetect, OverlapsResolveToTheLongestSpan) {
  // The email contains a handle-like "@example" and a name-like "Sarah"; the URL contains an
  // email and a handle; the address contains a given name.
  const std::string text =
      "Sarah.Connor@example.com https://x.com/@jane?email=jane@example.org 12 Sarah Street";
  auto spans = detect(text);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].type, PiiType::kEmail);
  EXPECT_EQ(spans[1].type, PiiType::kUrlPersonal);
  EXPECT_EQ(spans[2].type, PiiType::kStreetAddress);
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_LE(spans[i - 1].end, spans[i].begin);
}

TEST(PrivacyDetect, EqualLengthOverlapPrefersTheMoreSpecificType) {
  // 16 digits that are both a valid card and match a phone context: the card wins.
  auto spans = detect("call 4111111111111111");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].type, PiiType::kCreditCard);
}

TEST(PrivacyDetect, EmptyAndPlainTextHaveNoSpans) {
  EXPECT_TRUE(detect("").empty());
  EXPECT_TRUE(detect("the quick brown fox jumps over the lazy dog").empty());
}

}  // namespace
}  // namespace datadao::privacy
