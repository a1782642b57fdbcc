#include "datadao/proof/minhash.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "datadao/proof/normalize.hpp"
#include "synthetic_texts.hpp"

namespace datadao::proof {
namespace {

TEST(ProofMinHash, SignaturesAreDeterministicAcrossInstances) {
  auto sh = shingles("the same text on two validators");
  EXPECT_EQ(MinHasher().signature(sh), MinHasher().signature(sh));
  EXPECT_NE(MinHasher(128, 1).signature(sh), MinHasher(128, 2).signature(sh));
  EXPECT_NE(MinHasher(128, 1, MinHashScheme::kClassic).signature(sh),
            MinHasher(128, 1, MinHashScheme::kOnePermutation).signature(sh));
}

TEST(ProofMinHash, IdenticalSetsEstimateOneDisjointNearZero) {
  MinHasher h;
  auto a = h.signature(shingles("identical text for both records here"));
  auto b = h.signature(shingles("a completely different sentence appears"));
  EXPECT_DOUBLE_EQ(estimate_jaccard(a, a), 1.0);
  EXPECT_LT(estimate_jaccard(a, b), 0.1);
}

class ProofMinHashScheme : public ::testing::TestWithParam<MinHashScheme> {};

TEST_P(ProofMinHashScheme, EstimateTracksExactJaccard) {
  // Over pairs spanning Jaccard 0.2..1, the 128-slot estimate stays within 4.5 sigma of the exact
  // value for each pair and its mean absolute error is close to the theoretical ~0.03.
  testing::TextGenerator gen(7);
  MinHasher h(128, kMinHashSeed, GetParam());
  double total_error = 0;
  int pairs = 0;
  for (size_t edits = 0; edits <= 20; edits += 2) {
    for (int rep = 0; rep < 20; ++rep) {
      auto words = gen.words(50);
      auto a = shingles(*normalize_text(testing::TextGenerator::join(words)));
      auto b = shingles(*normalize_text(testing::TextGenerator::join(gen.edit(words, edits))));
      const double exact = exact_jaccard(a, b);
      const double est = estimate_jaccard(h.signature(a), h.signature(b));
      const double sigma = std::sqrt(exact * (1 - exact) / 128.0);
      EXPECT_LE(std::abs(est - exact), 4.5 * sigma + 1e-9) << "edits " << edits;
      total_error += std::abs(est - exact);
      ++pairs;
    }
  }
  EXPECT_LT(total_error / pairs, 0.04);
}

TEST_P(ProofMinHashScheme, ShortTextsWithManyEmptyBinsStillEstimate) {
  // Texts of 3-6 words leave most of the 128 bins empty under one-permutation hashing;
  // densification must keep identical texts at 1 and unrelated ones near 0.
  testing::TextGenerator gen(8);
  MinHasher h(128, kMinHashSeed, GetParam());
  for (int rep = 0; rep < 50; ++rep) {
    auto a = shingles(*normalize_text(gen.text(3 + rep % 4)));
    auto b = shingles(*normalize_text(gen.text(3 + rep % 4)));
    EXPECT_DOUBLE_EQ(estimate_jaccard(h.signature(a), h.signature(a)), 1.0);
    EXPECT_LT(estimate_jaccard(h.signature(a), h.signature(b)), 0.25);
  }
}

INSTANTIATE_TEST_SUITE_P(BothSchemes, ProofMinHashScheme,
                         ::testing::Values(MinHashScheme::kOnePermutation,
                                           MinHashScheme::kClassic));

TEST(ProofMinHash, MismatchedSignatureSizesAreAProgrammingError) {
  std::vector<uint64_t> a(128), b(64);
  EXPECT_THROW(estimate_jaccard(a, b), std::invalid_argument);
  EXPECT_THROW(MinHasher(0), std::invalid_argument);
}

}  // namespace
}  // namespace datadao::proof
