#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/privacy/pseudonym.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {
namespace {

const std::vector<std::string> kPlanted = {"jane.doe@example.org",
                                           "(555) 123-4567",
                                           "4111 1111 1111 1111",
                                           "DE89 3704 0044 0532 0130 00",
                                           "203.0.113.77",
                                           "reddit.com/user/jdoe_77",
                                           "@jdoe_77",
                                           "u/quiet_owl",
                                           "742 Evergreen Terrace",
                                           "Jessica Alvarez",
                                           "+44 20 7946 0958",
                                           "2001:db8::8a2e:370:7334"};

std::string planted_text() {
  return "Hi, my name is Jessica Alvarez (@jdoe_77, u/quiet_owl). Mail jane.doe@example.org or "
         "call (555) 123-4567 / +44 20 7946 0958. I live at 742 Evergreen Terrace. Card "
         "4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, IP 203.0.113.77 and "
         "2001:db8::8a2e:370:7334, profile https://reddit.com/user/jdoe_77 .";
}

TEST(PrivacyScrub, OutputContainsNoPlantedPii) {
  const std::string out = Scrubber().scrub(planted_text());
  for (const std::string& pii : kPlanted) {
    EXPECT_EQ(out.find(pii), std::string::npos) << pii << " survived in: " << out;
  }
  for (const char* placeholder : {"[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[IP]", "[URL]",
                                  "[ADDRESS]", "[NAME]", "[USER]"}) {
    EXPECT_NE(out.find(placeholder), std::string::npos) << placeholder << " in " << out;
  }
}

TEST(PrivacyScrub, HandlesBecomeStableKeyedPseudonyms) {
  ScrubOptions o;
  o.pseudonym_key = crypto::random_key();
  o.handle_kind = "reddit";
  Scrubber s(o);
  const std::string out = s.scrub("@Alice said hi to u/bob, and /u/alice agreed");
  const std::string alice = pseudonym(*o.pseudonym_key, "reddit", "alice");
  const std::string bob = pseudonym(*o.pseudonym_key, "reddit", "bob");
  EXPECT_EQ(out, "@" + alice + " said hi to u/" + bob + ", and /u/" + alice + " agreed");
  EXPECT_EQ(out.find("Alice"), std::string::npos);
}

TEST(PrivacyScrub, TextWithoutPiiIsUnchanged) {
  const std::string text = "Version 1.2.3 shipped on 2023-05-12 for $1,299.99 — nice.";
  EXPECT_EQ(Scrubber().scrub(text), text);
}

TEST(PrivacyScrub, InvalidUtf8IsReplacedAndPiiStillRedacted) {
  const std::string text = std::string("bad \xC3\x28 byte \xFF\xFE mail jane@example.org ") +
                           "\xE2\x82" + " end \xED\xA0\x80";
  const std::string out = Scrubber().scrub(text);
  EXPECT_TRUE(codec::is_valid_utf8(out)) << out;
  EXPECT_EQ(out.find("jane@example.org"), std::string::npos);
  EXPECT_NE(out.find("[EMAIL]"), std::string::npos);
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(PrivacyScrub, SanitiseKeepsValidUtf8AndReplacesEachInvalidSequence) {
  EXPECT_EQ(sanitise_utf8("héllo ✓ 😀"), "héllo ✓ 😀");
  EXPECT_EQ(sanitise_utf8("a\xFFz"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(sanitise_utf8("a\xE2\x82z"), "a\xEF\xBF\xBDz");          // truncated 3-byte sequence
  EXPECT_EQ(sanitise_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST(PrivacyScrub, DetectOnInvalidUtf8DoesNotCrashAndSpansStayInBounds) {
  std::string text;
  for (int i = 0; i < 4096; ++i) text.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  text += " 4111 1111 1111 1111 \xF0\x9F";
  for (const PiiSpan& s : detect(text)) {
    EXPECT_LT(s.begin, s.end);
    EXPECT_LE(s.end, text.size());
  }
}

TEST(PrivacyScrub, OneMegabyteInputCompletesAndRedactsEveryCopy) {
  // Repetitive, adversarial-ish text: long digit runs, many '@', many capitalised words.
  std::string block =
      "Sarah Connor at 4111 1111 1111 1111 or jane@example.org @@@@ 1234567890123456789012 "
      "Aaaa Bbbb Cccc 1.2.3.4.5.6.7.8 ::::::: +1 +1 +1 ";
  std::string text;
  while (text.size() < (1u << 20)) text += block;
  const std::string out = Scrubber().scrub(text);
  EXPECT_EQ(out.find("4111 1111 1111 1111"), std::string::npos);
  EXPECT_EQ(out.find("jane@example.org"), std::string::npos);
  EXPECT_EQ(out.find("Sarah"), std::string::npos);
}

TEST(PrivacyScrub, ConstScrubberIsUsableFromManyThreads) {
  const Scrubber s;
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = s.scrub(planted_text()); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, results[0]);
}

}  // namespace
}  // namespace datadao::privacy
