#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "datadao/privacy/pseudonym.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {
namespace {

crypto::SymmetricKey key_of(uint8_t fill) {
  crypto::SymmetricKey k;
  for (size_t i = 0; i < k.size(); ++i) k.data()[i] = static_cast<uint8_t>(fill + i);
  return k;
}

TEST(PrivacyPseudonym, HasUserPrefixAndTwelveBase32Chars) {
  std::string p = pseudonym(key_of(1), "reddit", "alice");
  ASSERT_EQ(p.size(), 5u + 12u);
  EXPECT_EQ(p.substr(0, 5), "user_");
  for (char c : p.substr(5)) {
    EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) << p;
  }
}

TEST(PrivacyPseudonym, StableForTheSameKeyAndIdentity) {
  EXPECT_EQ(pseudonym(key_of(1), "reddit", "alice"), pseudonym(key_of(1), "reddit", "alice"));
}

TEST(PrivacyPseudonym, DifferentKeysGiveUnlinkablePseudonyms) {
  EXPECT_NE(pseudonym(key_of(1), "reddit", "alice"), pseudonym(key_of(2), "reddit", "alice"));
}

TEST(PrivacyPseudonym, DifferentIdentitiesAndKindsDiffer) {
  EXPECT_NE(pseudonym(key_of(1), "reddit", "alice"), pseudonym(key_of(1), "reddit", "alicia"));
  EXPECT_NE(pseudonym(key_of(1), "reddit", "alice"), pseudonym(key_of(1), "x", "alice"));
  // kind || 0x00 || identity: shifting bytes between kind and identity changes the result.
  EXPECT_NE(pseudonym(key_of(1), "ab", "c"), pseudonym(key_of(1), "a", "bc"));
}

// Expected values from Python's hmac module (hmac.new(key, kind + b"\0" + identity, sha256),
// first 60 bits in lowercase RFC 4648 base32), not from this code. The 200-byte identity takes
// the path that does not fit the stack buffer.
TEST(PrivacyPseudonym, MatchesAnIndependentHmacSha256) {
  const auto k = key_of(1);
  EXPECT_EQ(pseudonym(k, "reddit", "alice"), "user_cetujqrvnhb7");
  EXPECT_EQ(pseudonym(k, "x", "élodie"), "user_tdxlkrpuxeui");
  EXPECT_EQ(pseudonym(k, "handle", std::string(200, 'a')), "user_yhgutmuv5k4p");
}

// The Scrubber keys its HMAC once; what it writes must equal the free function for every form.
TEST(PrivacyPseudonym, ScrubberKeyedOnceMatchesTheFreeFunction) {
  ScrubOptions o;
  o.pseudonym_key = key_of(5);
  o.handle_kind = "reddit";
  Scrubber s(std::move(o));
  const std::string long_name = "@" + std::string(150, 'Q');
  for (const char* id :
       {"alice", "  Alice ", "@Bob_99", "u/Quiet_Owl", "/user/x", "ÉLODIE", "Straße", "", "@",
        "\xff\xfe"
        "ab",
        long_name.c_str()}) {
    for (const char* kind : {"reddit", "x", ""}) {
      EXPECT_EQ(s.pseudonymise(kind, id), pseudonym(key_of(5), kind, id)) << id << " " << kind;
    }
  }
  EXPECT_EQ(s.scrub("ping u/Quiet_Owl and @Bob_99"),
            "ping u/" + pseudonym(key_of(5), "reddit", "quiet_owl") + " and @" +
                pseudonym(key_of(5), "reddit", "bob_99"));
}

// The Scrubber caches recent identities; threads sharing it, with identities that collide in
// the cache and evict each other, must each get the pseudonym of their own identity.
TEST(PrivacyPseudonym, CachedPseudonymsAreRightFromManyThreads) {
  ScrubOptions o;
  o.pseudonym_key = key_of(11);
  const Scrubber s(std::move(o));
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("author_" + std::to_string(i));
  std::vector<std::string> expected;
  for (const auto& id : ids) expected.push_back(pseudonym(key_of(11), "reddit", id));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < ids.size(); ++i) {
          const size_t k = (i * (t + 1) + round) % ids.size();
          if (s.pseudonymise("reddit", ids[k]) != expected[k]) ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  // A kind that differs only there is not served from the cache entry of another kind.
  EXPECT_EQ(s.pseudonymise("x", ids[0]), pseudonym(key_of(11), "x", ids[0]));
  EXPECT_NE(s.pseudonymise("x", ids[0]), expected[0]);
}

TEST(PrivacyPseudonym, CaseAndSigilInsensitive) {
  const auto k = key_of(7);
  const std::string base = pseudonym(k, "reddit", "alice");
  for (const char* form :
       {"Alice", "@alice", "@ALICE", "u/Alice", "/u/alice", "U/alice", "  alice ", "/user/Alice"}) {
    EXPECT_EQ(pseudonym(k, "reddit", form), base) << form;
  }
}

TEST(PrivacyPseudonym, UnicodeCaseFolds) {
  const auto k = key_of(3);
  EXPECT_EQ(pseudonym(k, "x", "ÉLODIE"), pseudonym(k, "x", "élodie"));
  EXPECT_EQ(normalise_identity("@Straße"), normalise_identity("strasse"));
}

TEST(PrivacyPseudonym, ScrubberUsesItsKeyAndKindForAuthorsAndMentions) {
  ScrubOptions o;
  o.pseudonym_key = key_of(9);
  o.handle_kind = "reddit";
  Scrubber s(std::move(o));
  const std::string author = s.pseudonymise("reddit", "Quiet_Owl");
  EXPECT_EQ(author, pseudonym(key_of(9), "reddit", "quiet_owl"));
  // A mention of the same account in text maps to the same pseudonym as the author field.
  EXPECT_EQ(s.scrub("thanks u/quiet_owl!"), "thanks u/" + author + "!");
  EXPECT_EQ(Scrubber().pseudonymise("reddit", "Quiet_Owl"), "[USER]");
}

}  // namespace
}  // namespace datadao::privacy
