// From values to ownership: largest-remainder apportionment (exact sums) and per-contributor
// KNN-Shapley (copies earn nothing, noise earns next to nothing).
#include "datadao/attribution/shares.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace datadao::attribution {
namespace {

// ledger::kShareSupply (the ledger is a higher module than attribution; the value is repeated).
constexpr uint64_t kShareSupply = 1'000'000'000;

uint64_t sum(const std::vector<uint64_t>& v) {
  unsigned __int128 s = 0;
  for (uint64_t x : v) s += x;
  EXPECT_LE(s, std::numeric_limits<uint64_t>::max());
  return static_cast<uint64_t>(s);
}

TEST(Apportion, SumsExactlyToSupplyForAnyValues) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int rep = 0; rep < 300; ++rep) {
    const size_t n = 1 + rng() % 200;
    std::vector<double> v(n);
    for (auto& x : v) {
      switch (rng() % 6) {
        case 0:
          x = -unit(rng);
          break;
        case 1:
          x = nan;
          break;
        case 2:
          x = unit(rng) * 1e300;
          break;
        case 3:
          x = unit(rng) * 1e-300;
          break;
        case 4:
          x = 0;
          break;
        default:
          x = unit(rng);
      }
    }
    for (uint64_t supply : {uint64_t{0}, uint64_t{1}, uint64_t{7}, kShareSupply,
                            std::numeric_limits<uint64_t>::max()}) {
      const auto shares = apportion(v, supply);
      ASSERT_TRUE(shares.ok());
      ASSERT_EQ(shares->size(), n);
      EXPECT_EQ(sum(*shares), supply) << "rep " << rep;
      for (size_t i = 0; i < n; ++i) {
        if (!(v[i] > 0) && std::any_of(v.begin(), v.end(), [](double x) { return x > 0; })) {
          EXPECT_EQ((*shares)[i], 0u) << "a non-positive value got units";
        }
      }
    }
  }
}

TEST(Apportion, ProportionalWithinOneUnit) {
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int rep = 0; rep < 200; ++rep) {
    const size_t n = 1 + rng() % 1000;
    std::vector<double> v(n);
    for (auto& x : v) x = rng() % 5 == 0 ? 0.0 : std::pow(unit(rng), 4);  // skewed
    v[rng() % n] = 0.5;                                                   // at least one positive
    const auto shares = apportion(v, kShareSupply);
    ASSERT_TRUE(shares.ok());
    long double total = 0;
    for (double x : v) total += x;
    for (size_t i = 0; i < n; ++i) {
      const long double exact = static_cast<long double>(kShareSupply) * v[i] / total;
      EXPECT_LT(std::fabs(static_cast<long double>((*shares)[i]) - exact), 1.0L)
          << "rep " << rep << " entry " << i;
    }
  }
}

TEST(Apportion, LargestRemainderTiesGoToLowerIndex) {
  EXPECT_EQ(*apportion({1, 1, 1}, 100), (std::vector<uint64_t>{34, 33, 33}));
  // 1.5 / 3 / 1.5: rows 0 and 2 tie for the last unit. (Ratios like 1:3 are not exact after
  // scaling to 2^52 / max, so ties are only exact for ratios that are powers of two apart.)
  EXPECT_EQ(*apportion({1, 2, 1}, 6), (std::vector<uint64_t>{2, 3, 1}));
  EXPECT_EQ(*apportion({0.5, 1, 0.5}, 5), (std::vector<uint64_t>{1, 3, 1}));
  EXPECT_EQ(*apportion({0.2, 0.5, 0.3}, 10), (std::vector<uint64_t>{2, 5, 3}));
  EXPECT_EQ(*apportion({1e-300, 1e300}, kShareSupply), (std::vector<uint64_t>{0, kShareSupply}));
}

TEST(Apportion, NothingPositiveSplitsEqually) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(*apportion({0, -1, nan}, 10), (std::vector<uint64_t>{4, 3, 3}));
  EXPECT_EQ(*apportion({0, 0}, kShareSupply),
            (std::vector<uint64_t>{kShareSupply / 2, kShareSupply / 2}));
}

TEST(Apportion, RejectsEmptyAndInfinite) {
  const auto empty = apportion({}, kShareSupply);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  const auto inf = apportion({1, std::numeric_limits<double>::infinity()}, kShareSupply);
  ASSERT_FALSE(inf.ok());
  EXPECT_NE(inf.error().message.find("value 1 is +infinity"), std::string::npos);
}

// 4 labels = 4 cluster centres on the unit sphere (sharing a common direction, as embeddings
// do), 10 honest contributors per cluster with 5 records each near their centre, validation
// points near the centres. Fingerprints are unique per record.
struct World {
  static constexpr size_t kDim = 32, kLabels = 4, kHonest = 40, kRecords = 5, kValid = 200;
  std::mt19937_64 rng{2026};
  std::normal_distribution<double> gauss;
  std::vector<std::vector<double>> centres;
  ContributorRecordSet records;
  LabeledPoints valid;
  uint64_t next_fingerprint = 1;

  static void normalise(std::vector<double>& x) {
    double n = 0;
    for (double v : x) n += v * v;
    for (double& v : x) v /= std::sqrt(n);
  }
  std::vector<double> near(size_t label, double sigma) {
    std::vector<double> x = centres[label];
    for (double& v : x) v += sigma * gauss(rng);
    normalise(x);
    return x;
  }
  void add_record(uint32_t contributor, const std::vector<double>& x, int64_t label,
                  uint64_t fingerprint) {
    records.embeddings.insert(records.embeddings.end(), x.begin(), x.end());
    records.labels.push_back(label);
    records.contributor_of.push_back(contributor);
    records.fingerprints.push_back(fingerprint);
  }
  uint32_t new_contributor() { return static_cast<uint32_t>(records.contributors++); }

  World() {
    records.dim = kDim;
    valid.dim = kDim;
    for (size_t c = 0; c < kLabels; ++c) {
      std::vector<double> centre(kDim, 0.0);
      centre[0] = 1.0;      // the common direction
      centre[1 + c] = 1.0;  // the cluster's own
      normalise(centre);
      centres.push_back(centre);
    }
    for (size_t h = 0; h < kHonest; ++h) {
      const uint32_t c = new_contributor();
      const size_t label = h % kLabels;
      for (size_t r = 0; r < kRecords; ++r)
        add_record(c, near(label, 0.05), label, next_fingerprint++);
    }
    for (size_t v = 0; v < kValid; ++v) {
      const size_t label = v % kLabels;
      const auto x = near(label, 0.05);
      valid.features.insert(valid.features.end(), x.begin(), x.end());
      valid.labels.push_back(static_cast<int64_t>(label));
    }
  }
  // Copies every record of `original` (same content, so the same fingerprints).
  uint32_t add_copy_of(uint32_t original) {
    const uint32_t c = new_contributor();
    const size_t n = records.labels.size();
    for (size_t i = 0; i < n; ++i) {
      if (records.contributor_of[i] != original) continue;
      std::vector<double> x(records.embeddings.begin() + i * kDim,
                            records.embeddings.begin() + (i + 1) * kDim);
      add_record(c, x, records.labels[i], records.fingerprints[i]);
    }
    return c;
  }
  // Records in random directions with random labels.
  uint32_t add_noise() {
    const uint32_t c = new_contributor();
    const int64_t label = static_cast<int64_t>(rng() % kLabels);
    for (size_t r = 0; r < kRecords; ++r) {
      std::vector<double> x(kDim);
      for (double& v : x) v = gauss(rng);
      normalise(x);
      add_record(c, x, label, next_fingerprint++);
    }
    return c;
  }
};

TEST(ContributorKnnShapley, DuplicatedContributorGetsZeroItsOriginalKeepsTheValue) {
  World alone;
  const auto before = contributor_knn_shapley(alone.records, alone.valid, {.k = 5, .threads = 2});
  ASSERT_TRUE(before.ok()) << before.error().to_string();
  EXPECT_EQ(before->duplicate_records, 0u);

  World world;  // same seed: the same honest data, plus a copy of contributor 3
  const uint32_t copy = world.add_copy_of(3);
  const auto after = contributor_knn_shapley(world.records, world.valid, {.k = 5, .threads = 2});
  ASSERT_TRUE(after.ok()) << after.error().to_string();
  EXPECT_EQ(after->values[copy], 0.0);
  EXPECT_TRUE(after->duplicate_only[copy]);
  EXPECT_EQ(after->duplicate_records, World::kRecords);
  for (size_t c = 0; c < World::kHonest; ++c) {
    EXPECT_FALSE(after->duplicate_only[c]);
    EXPECT_EQ(after->values[c], before->values[c]) << "contributor " << c;  // exactly
  }
  EXPECT_GT(after->values[3], 0.0);

  const auto shares = apportion(after->values, kShareSupply);
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ((*shares)[copy], 0u);
  EXPECT_EQ(sum(*shares), kShareSupply);
}

TEST(ContributorKnnShapley, NoiseContributorIsWorthLittleAndGetsUnderOnePercent) {
  World world;
  const uint32_t noise = world.add_noise();
  const auto result = contributor_knn_shapley(world.records, world.valid, {.k = 5, .threads = 2});
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  std::vector<double> honest(result->values.begin(), result->values.begin() + World::kHonest);
  std::sort(honest.begin(), honest.end());
  const double median = honest[honest.size() / 2];
  ASSERT_GT(honest.front(), 0.0);
  const double v = result->values[noise];
  // A point farther from every validation point than all others is worth 1/N on the validation
  // points whose label it carries and 0 elsewhere: (matching validation points)/(M·N). With 4
  // labels that is about a quarter of an honest contributor's 1/N (the exact recursion cannot
  // give less to a far point with a right label), far below any honest contributor.
  const auto labels = world.records.labels;
  const int64_t noise_label = labels.back();
  const double matching = static_cast<double>(
      std::count(world.valid.labels.begin(), world.valid.labels.end(), noise_label));
  const double n = static_cast<double>(World::kHonest + 1);
  EXPECT_NEAR(v, matching / (World::kValid * n), 1e-12);
  EXPECT_LT(std::fabs(v), 0.3 * median);
  EXPECT_LT(v, honest.front());

  const auto shares = apportion(result->values, kShareSupply);
  ASSERT_TRUE(shares.ok());
  EXPECT_LT((*shares)[noise], kShareSupply / 100);
  EXPECT_EQ(sum(*shares), kShareSupply);
}

TEST(ContributorKnnShapley, SumOfRecordsGameGivesCopiesNothingAndNoiseLittle) {
  World world;
  const uint32_t copy = world.add_copy_of(3);
  const uint32_t noise = world.add_noise();
  const KnnShapleyOptions opt{.k = 5, .threads = 2};
  const auto result =
      contributor_knn_shapley(world.records, world.valid, opt, ContributorGame::kSumOfRecords);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result->values[copy], 0.0);
  EXPECT_TRUE(result->duplicate_only[copy]);
  EXPECT_EQ(result->duplicate_records, World::kRecords);
  std::vector<double> honest(result->values.begin(), result->values.begin() + World::kHonest);
  std::sort(honest.begin(), honest.end());
  ASSERT_GT(honest.front(), 0.0);
  EXPECT_LT(std::fabs(result->values[noise]), 0.3 * honest[honest.size() / 2]);

  // Each contributor's value is exactly the sum of its kept records' values in the record game.
  LabeledPoints kept;
  kept.dim = world.records.dim;
  std::vector<uint32_t> owner;
  for (size_t i = 0; i < world.records.labels.size(); ++i) {
    if (world.records.contributor_of[i] == copy) continue;  // all of its records are copies
    kept.features.insert(
        kept.features.end(),
        world.records.embeddings.begin() + static_cast<ptrdiff_t>(i * kept.dim),
        world.records.embeddings.begin() + static_cast<ptrdiff_t>((i + 1) * kept.dim));
    kept.labels.push_back(world.records.labels[i]);
    owner.push_back(world.records.contributor_of[i]);
  }
  const auto per_record = knn_shapley(kept, world.valid, opt);
  ASSERT_TRUE(per_record.ok());
  std::vector<double> summed(world.records.contributors, 0.0);
  for (size_t p = 0; p < owner.size(); ++p) summed[owner[p]] += (*per_record)[p];
  for (size_t c = 0; c < summed.size(); ++c) EXPECT_EQ(result->values[c], summed[c]) << c;

  const auto shares = apportion(result->values, kShareSupply);
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ((*shares)[copy], 0u);
  EXPECT_LT((*shares)[noise], kShareSupply / 100);
  EXPECT_EQ(sum(*shares), kShareSupply);
}

TEST(ContributorKnnShapley, ContributorPointIsNormalisedMeanWithMostFrequentLabel) {
  // Two contributors; contributor 0's records (labels 7, 3, 3, 7) tie: the smallest label wins.
  ContributorRecordSet r{.contributors = 2,
                         .dim = 2,
                         .embeddings = {2, 0, 0, 2, 2, 0, 0, 2, -1, 0},
                         .labels = {7, 3, 3, 7, 5},
                         .contributor_of = {0, 0, 0, 0, 1},
                         .fingerprints = {1, 2, 3, 4, 5}};
  // Validation point on contributor 0's mean direction (1,1)/√2 with label 3: with K = 1 the
  // nearest point carries it, so contributor 0 is worth everything, contributor 1 nothing.
  LabeledPoints valid{
      .dim = 2, .features = {0.70710678118654752, 0.70710678118654752}, .labels = {3}};
  const auto out = contributor_knn_shapley(r, valid, {.k = 1});
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_NEAR(out->values[0], 1.0, 1e-12);
  EXPECT_NEAR(out->values[1], 0.0, 1e-12);
  valid.labels = {7};
  const auto other = contributor_knn_shapley(r, valid, {.k = 1});
  ASSERT_TRUE(other.ok());
  EXPECT_NEAR(other->values[0], 0.0, 1e-12);
}

TEST(ContributorKnnShapley, RejectsMismatchedRecordVectors) {
  ContributorRecordSet r{.contributors = 1,
                         .dim = 2,
                         .embeddings = {1, 0},
                         .labels = {1},
                         .contributor_of = {0},
                         .fingerprints = {}};
  LabeledPoints valid{.dim = 2, .features = {1, 0}, .labels = {1}};
  auto bad = contributor_knn_shapley(r, valid, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("0 fingerprints"), std::string::npos);
  r.fingerprints = {9};
  r.contributor_of = {4};
  bad = contributor_knn_shapley(r, valid, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("record 0 belongs to contributor 4 of 1"), std::string::npos);
}

}  // namespace
}  // namespace datadao::attribution
