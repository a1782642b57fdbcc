#include "datadao/proof/near_duplicate_index.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "datadao/proof/normalize.hpp"
#include "datadao/testing/assertions.hpp"
#include "synthetic_texts.hpp"

namespace datadao::proof {
namespace {

using testing::TextGenerator;

double jaccard_of(std::string_view a, std::string_view b) {
  return exact_jaccard(shingles(*normalize_text(a)), shingles(*normalize_text(b)));
}

bool contains(const std::vector<Match>& m, uint64_t id) {
  return std::any_of(m.begin(), m.end(), [&](const Match& x) { return x.record_id == id; });
}

TEST(ProofNearDuplicateIndex, FewWordsChangedInFiftyWordPostIsFound) {
  TextGenerator gen(1);
  NearDuplicateIndex index;
  for (uint64_t id = 0; id < 500; ++id) ASSERT_TRUE(index.add(id, gen.text(50)).ok());
  auto original = gen.words(50);
  ASSERT_TRUE(index.add(1000, TextGenerator::join(original)).ok());
  for (size_t edits = 1; edits <= 3; ++edits) {
    const std::string copy = TextGenerator::join(gen.edit(original, edits));
    auto m = index.query(copy, 0.8);
    ASSERT_TRUE(m.ok());
    ASSERT_FALSE(m->empty()) << edits << " edits, exact Jaccard "
                             << jaccard_of(copy, TextGenerator::join(original));
    EXPECT_EQ(m->front().record_id, 1000u);
    EXPECT_EQ(m->size(), 1u);
  }
}

TEST(ProofNearDuplicateIndex, ExactCopyMatchesWithEstimateOne) {
  NearDuplicateIndex index;
  ASSERT_TRUE(index.add(42, "Just finished my first marathon, legs are jelly but so happy").ok());
  auto m = index.query("just finished my FIRST marathon... legs are jelly, but so happy!", 0.8);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ(m->front().record_id, 42u);
  EXPECT_DOUBLE_EQ(m->front().jaccard_estimate, 1.0);
}

TEST(ProofNearDuplicateIndex, UnrelatedTextsAreNotMatched) {
  TextGenerator gen(2);
  NearDuplicateIndex index;
  for (uint64_t id = 0; id < 2000; ++id) ASSERT_TRUE(index.add(id, gen.text(40)).ok());
  size_t matched = 0;
  for (int q = 0; q < 500; ++q) matched += !index.query(gen.text(40), 0.8)->empty();
  EXPECT_EQ(matched, 0u);
}

TEST(ProofNearDuplicateIndex, RecallOfPlantedNearDuplicatesIsAtLeast95Percent) {
  // 20k records; 1000 of them get a planted copy with 1-8 of 50 words replaced. Pairs whose exact
  // Jaccard is >= 0.8 must be found (recall >= 0.95); matches of queries against records that
  // are not their planted original are false positives (bounded by 1% of queries).
  TextGenerator gen(3);
  constexpr size_t kRecords = 20000, kPlanted = 1000;
  NearDuplicateIndex index;
  index.reserve(kRecords);
  std::vector<std::vector<std::string>> originals;
  for (uint64_t id = 0; id < kRecords; ++id) {
    auto w = gen.words(50);
    ASSERT_TRUE(index.add(id, TextGenerator::join(w)).ok());
    if (id < kPlanted) originals.push_back(std::move(w));
  }
  size_t eligible = 0, found = 0, false_positive_queries = 0;
  std::uniform_int_distribution<size_t> edits(1, 8);
  for (uint64_t id = 0; id < kPlanted; ++id) {
    const std::string copy = TextGenerator::join(gen.edit(originals[id], edits(gen.rng())));
    const double j = jaccard_of(copy, TextGenerator::join(originals[id]));
    auto m = index.query(copy, 0.8);
    ASSERT_TRUE(m.ok());
    if (j >= 0.8) {
      ++eligible;
      found += contains(*m, id);
    }
    false_positive_queries +=
        std::any_of(m->begin(), m->end(), [&](const Match& x) { return x.record_id != id; });
  }
  const double recall = static_cast<double>(found) / static_cast<double>(eligible);
  std::printf("planted pairs at J>=0.8: %zu, recall %.4f, queries with a false match: %zu/%zu\n",
              eligible, recall, false_positive_queries, kPlanted);
  EXPECT_GE(eligible, 300u);
  EXPECT_GE(recall, 0.95);
  EXPECT_LE(false_positive_queries, kPlanted / 100);
}

TEST(ProofNearDuplicateIndex, RecallJustAboveTheThresholdIsAtLeast95Percent) {
  // The hard cases: pairs whose exact Jaccard is in [0.8, 0.85), where banding and the noisy
  // estimate both bite. Theory (see the header) puts recall here at about 0.97.
  TextGenerator gen(6);
  NearDuplicateIndex index;
  size_t eligible = 0, found = 0;
  for (uint64_t id = 0; eligible < 400 && id < 20000; ++id) {
    auto words = gen.words(50);
    const std::string original = TextGenerator::join(words);
    const std::string copy = TextGenerator::join(gen.edit(words, 3));
    const double j = jaccard_of(copy, original);
    if (j < 0.8 || j >= 0.85) continue;
    ASSERT_TRUE(index.add(id, original).ok());
    ++eligible;
    found += contains(*index.query(copy, 0.8), id);
  }
  const double recall = static_cast<double>(found) / static_cast<double>(eligible);
  std::printf("pairs at 0.8 <= J < 0.85: %zu, recall %.4f\n", eligible, recall);
  EXPECT_GE(eligible, 400u);
  EXPECT_GE(recall, 0.95);
}

TEST(ProofNearDuplicateIndex, EmptyTextIsNotIndexedAndNeverMatches) {
  NearDuplicateIndex index;
  ASSERT_TRUE(index.add(1, "").ok());
  ASSERT_TRUE(index.add(2, " ?!... ").ok());
  EXPECT_EQ(index.size(), 0u);
  ASSERT_TRUE(index.add(3, "something").ok());
  EXPECT_TRUE(index.query("", 0.8)->empty());
  EXPECT_TRUE(index.query("...", 0.0)->empty());
}

TEST(ProofNearDuplicateIndex, ShortTextsMatchOnlyTheirNormalisedCopies) {
  NearDuplicateIndex index;
  ASSERT_TRUE(index.add(1, "lol").ok());
  ASSERT_TRUE(index.add(2, "cat").ok());
  auto m = index.query("LOL!", 0.8);
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ(m->front().record_id, 1u);
  EXPECT_TRUE(index.query("car", 0.8)->empty());
}

TEST(ProofNearDuplicateIndex, MalformedUtf8FailsNamingTheRecord) {
  NearDuplicateIndex index;
  Status s = index.add(77, "bad \xC3");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("record 77"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("byte 4"), std::string::npos) << s.error().message;
  EXPECT_ERROR_CODE(index.query("\xFF", 0.8), ErrorCode::kInvalidArgument);
}

TEST(ProofNearDuplicateIndex, MemoryPerRecordStaysUnderDocumentedBound) {
  TextGenerator gen(4);
  NearDuplicateIndex index;
  for (uint64_t id = 0; id < 5000; ++id) ASSERT_TRUE(index.add(id, gen.text(30)).ok());
  EXPECT_EQ(index.size(), 5000u);
  // Documented: ~430-520 bytes per record, plus vector growth slack (capacity up to 2x).
  EXPECT_LT(index.memory_bytes() / index.size(), 1100u);
  NearDuplicateIndex reserved;
  reserved.reserve(5000);
  for (uint64_t id = 0; id < 5000; ++id) ASSERT_TRUE(reserved.add(id, gen.text(30)).ok());
  EXPECT_LT(reserved.memory_bytes() / reserved.size(), 530u);
}

TEST(ProofNearDuplicateIndex, GrowingPastTheTableKeepsEarlierRecordsFindable) {
  TextGenerator gen(5);
  NearDuplicateIndex index;  // starts with a 1024-bucket table, re-hashed as it grows
  std::vector<std::string> texts;
  for (uint64_t id = 0; id < 3000; ++id) {
    texts.push_back(gen.text(20));
    ASSERT_TRUE(index.add(id, texts.back()).ok());
  }
  for (uint64_t id = 0; id < 3000; id += 97)
    EXPECT_TRUE(contains(*index.query(texts[id], 0.9), id));
}

TEST(ProofNearDuplicateIndex, ManyCopiesOfOneTextKeepQueriesBounded) {
  NearDuplicateOptions options;
  options.max_bucket_walk = 100;
  NearDuplicateIndex index(options);
  for (uint64_t id = 0; id < 1000; ++id) ASSERT_TRUE(index.add(id, "the same spam again").ok());
  auto m = index.query("the same spam again", 0.8);
  ASSERT_FALSE(m->empty());
  EXPECT_LE(m->size(), 100u * options.bands);
}

TEST(ProofNearDuplicateIndex, ClassicSchemeFindsEditedCopiesToo) {
  TextGenerator gen(9);
  NearDuplicateOptions options;
  options.scheme = MinHashScheme::kClassic;
  NearDuplicateIndex index(options);
  std::vector<std::vector<std::string>> originals;
  for (uint64_t id = 0; id < 300; ++id) {
    originals.push_back(gen.words(50));
    ASSERT_TRUE(index.add(id, TextGenerator::join(originals.back())).ok());
  }
  size_t found = 0;
  for (uint64_t id = 0; id < 300; ++id) {
    found += contains(*index.query(TextGenerator::join(gen.edit(originals[id], 1)), 0.8), id);
  }
  EXPECT_GE(found, 297u);
  EXPECT_TRUE(index.query(gen.text(50), 0.8)->empty());
}

TEST(ProofNearDuplicateIndex, InvalidOptionsAreAProgrammingError) {
  NearDuplicateOptions o;
  o.bands = 30;  // 30 * 6 > 128
  EXPECT_THROW(NearDuplicateIndex{o}, std::invalid_argument);
}

}  // namespace
}  // namespace datadao::proof
