#include "datadao/proof/uniqueness.hpp"

#include <gtest/gtest.h>

#include "synthetic_texts.hpp"

namespace datadao::proof {
namespace {

using testing::TextGenerator;

struct Pool {
  ExactIndex exact;
  NearDuplicateIndex near;
  void add(uint64_t id, const std::string& text) {
    exact.insert(*record_content_hash(text), id);
    ASSERT_TRUE(near.add(id, text).ok());
  }
};

UniquenessReport run(const std::vector<std::string>& texts, const Pool& pool,
                     AssessOptions options = {}) {
  auto r = assess(texts, pool.exact, pool.near, options);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? *r : UniquenessReport{};
}

TEST(ProofUniqueness, ReuploadIsExactDuplicateOfThePoolRecord) {
  Pool pool;
  pool.add(10, "My sourdough finally rose! Took three weeks of feeding the starter.");
  auto r = run({"My sourdough finally rose! Took three weeks of feeding the starter."}, pool);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].verdict, Verdict::kExactDuplicate);
  EXPECT_FALSE(r.records[0].within_batch);
  EXPECT_EQ(r.records[0].duplicate_of, 10u);
  EXPECT_EQ(r.unique_count, 0u);
  EXPECT_DOUBLE_EQ(r.unique_fraction, 0.0);
}

TEST(ProofUniqueness, TriviallyAlteredCopyIsExactDuplicate) {
  Pool pool;
  pool.add(1, "Hello world, this is my post");
  // Case, spacing, punctuation, fullwidth letters and a zero-width space.
  auto r = run({"HELLO   world this is my post!!!",
                "\xEF\xBC\xA8"
                "ello w\xE2\x80\x8Borld, this is my post"},
               pool);
  EXPECT_EQ(r.records[0].verdict, Verdict::kExactDuplicate);
  EXPECT_EQ(r.records[1].verdict, Verdict::kExactDuplicate);
}

TEST(ProofUniqueness, EditedCopyOfSomeoneElsesPostIsNearDuplicate) {
  TextGenerator gen(11);
  Pool pool;
  for (uint64_t id = 0; id < 300; ++id) pool.add(id, gen.text(50));
  auto original = gen.words(50);
  pool.add(500, TextGenerator::join(original));
  auto r = run({TextGenerator::join(gen.edit(original, 2)), gen.text(50)}, pool);
  EXPECT_EQ(r.records[0].verdict, Verdict::kNearDuplicate);
  EXPECT_EQ(r.records[0].duplicate_of, 500u);
  EXPECT_GE(r.records[0].jaccard, 0.7);
  EXPECT_LT(r.records[0].jaccard, 1.0);
  EXPECT_EQ(r.records[1].verdict, Verdict::kUnique);
  EXPECT_DOUBLE_EQ(r.unique_fraction, 0.5);
}

TEST(ProofUniqueness, RepeatsWithinOneContributionEarnOnce) {
  TextGenerator gen(12);
  Pool pool;
  auto words = gen.words(40);
  const std::string a = TextGenerator::join(words);
  auto r = run({a, a, TextGenerator::join(gen.edit(words, 1)), gen.text(40)}, pool);
  EXPECT_EQ(r.records[0].verdict, Verdict::kUnique);
  EXPECT_EQ(r.records[1].verdict, Verdict::kExactDuplicate);
  EXPECT_TRUE(r.records[1].within_batch);
  EXPECT_EQ(r.records[1].duplicate_of, 0u);
  EXPECT_EQ(r.records[2].verdict, Verdict::kNearDuplicate);
  EXPECT_TRUE(r.records[2].within_batch);
  EXPECT_EQ(r.records[3].verdict, Verdict::kUnique);
  EXPECT_EQ(r.unique_count, 2u);
  EXPECT_EQ(r.exact_duplicate_count, 1u);
  EXPECT_EQ(r.near_duplicate_count, 1u);

  AssessOptions off;
  off.within_batch = false;
  EXPECT_EQ(run({a, a}, pool, off).unique_count, 2u);
}

TEST(ProofUniqueness, EmptyRecordsEarnNothing) {
  Pool pool;
  auto r = run({"", "  !!! ", "actual content here"}, pool);
  EXPECT_EQ(r.records[0].verdict, Verdict::kEmpty);
  EXPECT_EQ(r.records[1].verdict, Verdict::kEmpty);
  EXPECT_EQ(r.records[2].verdict, Verdict::kUnique);
  EXPECT_EQ(r.empty_count, 2u);
  EXPECT_NEAR(r.unique_fraction, 1.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(run({}, pool).unique_fraction, 0.0);
}

TEST(ProofUniqueness, AssessDoesNotAddToThePool) {
  Pool pool;
  (void)run({"first time this is said"}, pool);
  EXPECT_EQ(pool.exact.size(), 0u);
  EXPECT_EQ(pool.near.size(), 0u);
}

TEST(ProofUniqueness, MalformedRecordFailsNamingItsIndexNotItsText) {
  Pool pool;
  auto r = assess({"fine", "secret\xFF"}, pool.exact, pool.near);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("record 1"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("secret"), std::string::npos);
}

TEST(ProofContentHash, IgnoresCaseAndSpacingButNotKeyFields) {
  auto a = record_content_hash("Hello  World");
  auto b = record_content_hash("hello world!");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  std::vector<std::string_view> k1{"reddit", "2024-01-01"}, k2{"reddit", "2024-01-02"};
  EXPECT_NE(*record_content_hash("hello world", k1), *record_content_hash("hello world", k2));
  // Field boundaries are unambiguous: ("ab","c") differs from ("a","bc").
  std::vector<std::string_view> k3{"ab", "c"}, k4{"a", "bc"};
  EXPECT_NE(*record_content_hash("x", k3), *record_content_hash("x", k4));
  EXPECT_NE(*a, *record_content_hash("hello world", k1));
}

TEST(ProofExactIndex, KeepsTheFirstRecordId) {
  ExactIndex index;
  auto h = *record_content_hash("post");
  EXPECT_TRUE(index.insert(h, 5));
  EXPECT_FALSE(index.insert(h, 9));
  EXPECT_EQ(index.find(h), std::optional<uint64_t>(5));
  EXPECT_EQ(index.find(*record_content_hash("other")), std::nullopt);
  EXPECT_EQ(index.size(), 1u);
}

}  // namespace
}  // namespace datadao::proof
