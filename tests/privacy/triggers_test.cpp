// The scrubber runs a pattern only when one byte pass finds what every match of it needs (a run
// of digits, "://", a capital after a relation word, ...). These cases sit at the edges of those
// conditions; the expected spans are what the detector found when every pattern ran on every
// text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {
namespace {

// "TYPE:text" for every detected span.
std::vector<std::string> spans(std::string_view text) {
  std::vector<std::string> out;
  for (const PiiSpan& s : detect(text)) {
    out.push_back(std::string(pii_type_label(s.type)) + ":" +
                  std::string(text.substr(s.begin, s.end - s.begin)));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(PrivacyTriggers, RelationWordWrittenWithAHyphenStillNamesThePerson) {
  EXPECT_EQ(spans("my co-worker Dana Smith said hi"), V{"NAME:Dana Smith"});
}

TEST(PrivacyTriggers, IntroWithTypographicApostrophe) {
  EXPECT_EQ(spans("I\u2019m Sarah and this is fine"), V{"NAME:Sarah"});
}

TEST(PrivacyTriggers, SignaturesAndSignOffsAtLineEnds) {
  EXPECT_EQ(spans("Lovely day.\n\u2014 Marguerite"), V{"NAME:Marguerite"});
  EXPECT_EQ(spans("see you soon\n\ncheers,\nDana  "), V{"NAME:Dana"});
  EXPECT_EQ(spans("Thanks, Marguerite!"), V{"NAME:Marguerite"});
  EXPECT_EQ(spans("Dr. Watson here"), V{"NAME:Watson"});
}

TEST(PrivacyTriggers, AddressesInEveryForm) {
  EXPECT_EQ(spans("12 bis, rue de la Paix, 75002 Paris"),
            V{"ADDRESS:12 bis, rue de la Paix, 75002 Paris"});
  EXPECT_EQ(spans("Wohne in der Hauptstraße 5, 10115 Berlin"),
            V{"ADDRESS:Hauptstraße 5, 10115 Berlin"});
  EXPECT_EQ(spans("Calle Mayor 3, Madrid"), V{"ADDRESS:Calle Mayor 3"});
  EXPECT_EQ(spans("meet at 1600 Pennsylvania Ave NW, Washington, DC 20500"),
            V{"ADDRESS:1600 Pennsylvania Ave NW, Washington, DC 20500"});
}

TEST(PrivacyTriggers, StructuredValuesBehindTheirTriggers) {
  EXPECT_EQ(spans("ping fe80::1ff:fe23:4567:890a now"), V{"IP:fe80::1ff:fe23:4567:890a"});
  EXPECT_EQ(spans("call +44 20 7946 0958 today"), V{"PHONE:+44 20 7946 0958"});
  EXPECT_EQ(spans("card 4111-1111-1111-1111 ok"), V{"CARD:4111-1111-1111-1111"});
  EXPECT_EQ(spans("visit instagram.com/some.person now"), V{"URL:instagram.com/some.person"});
  EXPECT_EQ(spans("ask U/some_user or /u/another_one"),
            (V{"HANDLE:U/some_user", "HANDLE:/u/another_one"}));
}

TEST(PrivacyTriggers, OrdinaryTextWithCapitalsAndNumbersHasNoSpans) {
  EXPECT_TRUE(spans("Bought 2 GPUs in Texas for 300 dollars, Linux runs fine on Monday.").empty());
  EXPECT_TRUE(spans("Version 3.5 of Python is out; see r/cpp for the 2024 thread.").empty());
}

}  // namespace
}  // namespace datadao::privacy
