#include "datadao/ml/audit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "../../src/ml/exposure.hpp"
#include "datadao/ml/text_model.hpp"

namespace datadao::ml {
namespace {

// 1000 candidates scored 0, 1, ..., 999 (lower = more likely).
std::vector<double> ladder(size_t n) {
  std::vector<double> scores(n);
  for (size_t i = 0; i < n; ++i) scores[i] = static_cast<double>(i);
  return scores;
}

TEST(ExposureMath, MostLikelyCanaryGetsFullExposure) {
  std::vector<double> scores = ladder(1000);
  uint64_t rank = detail::canary_rank(scores[0], scores);
  EXPECT_EQ(rank, 1u);
  EXPECT_DOUBLE_EQ(detail::exposure(rank, 1000), std::log2(1000.0));
}

TEST(ExposureMath, LeastLikelyCanaryGetsZeroExposure) {
  std::vector<double> scores = ladder(1000);
  uint64_t rank = detail::canary_rank(scores[999], scores);
  EXPECT_EQ(rank, 1000u);
  EXPECT_NEAR(detail::exposure(rank, 1000), 0.0, 1e-12);
}

TEST(ExposureMath, MedianCanaryGetsAboutOneBit) {
  std::vector<double> scores = ladder(1000);
  uint64_t rank = detail::canary_rank(scores[499], scores);
  EXPECT_EQ(rank, 500u);
  EXPECT_NEAR(detail::exposure(rank, 1000), 1.0, 1e-9);
}

TEST(ExposureMath, TiesCountInTheCanarysFavour) {
  // Three candidates exactly as likely as the canary and one more likely: rank 2, not 5.
  std::vector<double> scores = {1.0, 2.0, 2.0, 2.0, 2.0, 3.0};
  EXPECT_EQ(detail::canary_rank(2.0, scores), 2u);
}

TEST(Canaries, SameSeedSameCanariesOtherSeedOthers) {
  std::vector<Canary> a = make_canaries(5, 5, 42);
  std::vector<Canary> b = make_canaries(5, 5, 42);
  std::vector<Canary> c = make_canaries(5, 5, 43);
  ASSERT_EQ(a.size(), 5u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].secret, b[i].secret);
  bool any_differs = false;
  for (size_t i = 0; i < a.size(); ++i) any_differs |= a[i].secret != c[i].secret;
  EXPECT_TRUE(any_differs);
}

TEST(Canaries, SecretsAreDistinctSpacedDigits) {
  // All 100 two-digit values: distinctness is forced, not lucky.
  std::vector<Canary> all = make_canaries(100, 2, 7);
  std::set<std::string> secrets;
  for (const Canary& c : all) {
    EXPECT_EQ(c.prefix, "the secret code is");
    ASSERT_EQ(c.secret.size(), 4u) << c.secret;
    EXPECT_EQ(c.secret[0], ' ');
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(c.secret[1])));
    EXPECT_EQ(c.secret[2], ' ');
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(c.secret[3])));
    secrets.insert(c.secret);
  }
  EXPECT_EQ(secrets.size(), 100u);
}

TEST(Canaries, MoreThanFiveDigitsOrMoreCanariesThanValuesAreRefused) {
  EXPECT_THROW(make_canaries(1, 6, 1), std::invalid_argument);
  EXPECT_THROW(make_canaries(1, 0, 1), std::invalid_argument);
  EXPECT_THROW(make_canaries(11, 1, 1), std::invalid_argument);
}

TEST(Canaries, TextsRepeatEveryCanary) {
  std::vector<Canary> canaries = make_canaries(2, 3, 1);
  std::vector<std::string> texts = canary_texts(canaries, 3);
  ASSERT_EQ(texts.size(), 6u);
  size_t first = 0;
  for (const std::string& t : texts) first += t == canaries[0].prefix + canaries[0].secret;
  EXPECT_EQ(first, 3u);
}

// Everyday posts with a few numbers in them, so that digits are ordinary tokens.
std::vector<std::string> everyday_posts(size_t n) {
  const char* who[] = {"my neighbour", "the coach", "a friend", "our teacher", "my brother"};
  const char* did[] = {"ran", "cooked", "painted", "fixed", "counted"};
  const char* what[] = {"7 laps", "the old fence", "2 pies", "the kitchen", "9 birds"};
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(std::string(who[i % 5]) + " " + did[(i / 5) % 5] + " " + what[(i / 2) % 5] +
                  " before lunch today.");
  }
  return out;
}

// Without DP, a canary seen many times is ranked near the top of all 1000 candidates, while a
// canary of the same format that was never inserted is not.
TEST(Audit, InsertedCanaryIsExposedMoreThanANeverInsertedOne) {
  const std::vector<Canary> canaries = make_canaries(2, 3, 2024);
  const Canary& inserted = canaries[0];
  const Canary& never_seen = canaries[1];
  std::vector<std::string> texts = everyday_posts(200);
  for (const std::string& t : canary_texts({inserted}, 40)) texts.push_back(t);

  TextSpec spec;
  spec.vocab = 128;
  spec.layers = 1;
  spec.width = 32;
  spec.heads = 2;
  spec.context = 32;
  TrainConfig config;
  config.steps = 150;
  config.batch_size = 16;
  config.learning_rate = 1e-2;
  config.seed = 5;
  config.progress_every = 1000;
  auto model = TextModel::train(texts, spec, config, nullptr, nullptr);
  ASSERT_TRUE(model.ok()) << model.error().to_string();

  const AuditReport report = audit_canaries(*model, {inserted, never_seen});
  ASSERT_EQ(report.canaries.size(), 2u);
  EXPECT_EQ(report.digits, 3u);
  EXPECT_DOUBLE_EQ(report.max_exposure, std::log2(1000.0));
  const CanaryExposure& in = report.canaries[0];
  const CanaryExposure& out = report.canaries[1];
  EXPECT_EQ(in.secret, inserted.secret);
  EXPECT_GE(in.exposure, 0.7 * report.max_exposure) << "rank " << in.rank;
  EXPECT_GE(in.exposure - out.exposure, 3.0) << "ranks " << in.rank << " and " << out.rank;
  EXPECT_NEAR(report.mean_exposure, (in.exposure + out.exposure) / 2, 1e-12);
}

}  // namespace
}  // namespace datadao::ml
