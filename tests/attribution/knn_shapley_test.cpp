// Exact KNN-Shapley: the O(N log N) recursion against the definition (every coalition), the
// efficiency axiom, tie-breaking by row order, determinism across thread counts, input errors.
#include "datadao/attribution/knn_shapley.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace datadao::attribution {
namespace {

constexpr double kTolerance = 1e-12;

// Points on a small integer grid: many exact duplicates and equidistant points, so ties are
// everywhere.
LabeledPoints grid_points(std::mt19937_64& rng, size_t n, size_t dim, int labels) {
  LabeledPoints p;
  p.dim = dim;
  std::uniform_int_distribution<int> coord(0, 2), label(0, labels - 1);
  for (size_t i = 0; i < n * dim; ++i) p.features.push_back(coord(rng));
  for (size_t i = 0; i < n; ++i) p.labels.push_back(label(rng));
  // Some rows copied outright from an earlier one (same features, sometimes the same label).
  for (size_t i = 1; i < n; ++i) {
    if (rng() % 4 == 0) {
      const size_t from = rng() % i;
      std::copy_n(p.features.begin() + from * dim, dim, p.features.begin() + i * dim);
      if (rng() % 2 == 0) p.labels[i] = p.labels[from];
    }
  }
  return p;
}

LabeledPoints gaussian_points(std::mt19937_64& rng, size_t n, size_t dim, int labels) {
  LabeledPoints p;
  p.dim = dim;
  std::normal_distribution<double> g;
  std::uniform_int_distribution<int> label(0, labels - 1);
  for (size_t i = 0; i < n; ++i) {
    const int y = label(rng);
    p.labels.push_back(y);
    for (size_t j = 0; j < dim; ++j) p.features.push_back(g(rng) + (j == size_t(y) ? 2.0 : 0.0));
  }
  return p;
}

// U(full training set) for one validation point, straight from the definition.
double full_set_utility(const LabeledPoints& train, const LabeledPoints& valid, size_t v,
                        uint32_t k) {
  std::vector<double> dist(train.size());
  for (size_t i = 0; i < train.size(); ++i) {
    double acc = 0;
    for (size_t j = 0; j < train.dim; ++j) {
      const double d = train.features[i * train.dim + j] - valid.features[v * valid.dim + j];
      acc += d * d;
    }
    dist[i] = acc;
  }
  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return dist[a] < dist[b]; });
  double hits = 0;
  for (size_t j = 0; j < std::min<size_t>(k, order.size()); ++j) {
    hits += train.labels[order[j]] == valid.labels[v];
  }
  return hits / k;
}

TEST(KnnShapley, ExactRecursionEqualsBruteForceShapley) {
  std::mt19937_64 rng(20261126);
  size_t cases = 0;
  for (size_t n = 1; n <= 10; ++n) {
    for (uint32_t k :
         {1u, 2u, 3u, 5u, static_cast<uint32_t>(n + 1), static_cast<uint32_t>(n + 7)}) {
      for (int rep = 0; rep < 4; ++rep) {
        const int labels = 2 + rep % 2;
        const size_t m = 1 + rng() % 5;
        const size_t dim = 1 + rep % 3;
        const auto train = grid_points(rng, n, dim, labels);
        const auto valid = grid_points(rng, m, dim, labels);
        const auto fast = knn_shapley(train, valid, {.k = k, .threads = 1});
        const auto slow = knn_shapley_brute_force(train, valid, k);
        ASSERT_TRUE(fast.ok()) << fast.error().to_string();
        ASSERT_TRUE(slow.ok()) << slow.error().to_string();
        ASSERT_EQ(fast->size(), n);
        for (size_t i = 0; i < n; ++i) {
          EXPECT_NEAR((*fast)[i], (*slow)[i], kTolerance)
              << "n=" << n << " k=" << k << " m=" << m << " row " << i;
        }
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 240u);
}

TEST(KnnShapley, RecursionEqualsBruteForceAcrossChunksAndThreads) {
  // More validation points than one chunk, two threads: the chunked sum is still the average.
  std::mt19937_64 rng(7);
  const auto train = grid_points(rng, 9, 2, 3);
  const auto valid = grid_points(rng, 37, 2, 3);
  const auto fast = knn_shapley(train, valid, {.k = 3, .threads = 2});
  const auto slow = knn_shapley_brute_force(train, valid, 3);
  ASSERT_TRUE(fast.ok() && slow.ok());
  for (size_t i = 0; i < 9; ++i) EXPECT_NEAR((*fast)[i], (*slow)[i], kTolerance);
}

// The recursion over a plain std::stable_sort by distance (no blocking, no bucket sort).
std::vector<double> plain_recursion(const LabeledPoints& train, const LabeledPoints& valid,
                                    uint32_t k) {
  const size_t n = train.size();
  std::vector<double> total(n, 0.0), dist(n);
  std::vector<size_t> order(n);
  for (size_t v = 0; v < valid.size(); ++v) {
    for (size_t i = 0; i < n; ++i) {
      double acc = 0;
      for (size_t j = 0; j < train.dim; ++j) {
        const double d = train.features[i * train.dim + j] - valid.features[v * valid.dim + j];
        acc += d * d;
      }
      dist[i] = acc;
    }
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return dist[a] < dist[b]; });
    auto match = [&](size_t r) { return train.labels[order[r]] == valid.labels[v] ? 1.0 : 0.0; };
    double s = match(n - 1) / static_cast<double>(std::max<size_t>(n, k));
    total[order[n - 1]] += s;
    for (size_t r = n - 1; r-- > 0;) {
      const double rank = static_cast<double>(r + 1);
      s = s + (match(r) - match(r + 1)) / k * std::min<double>(k, rank) / rank;
      total[order[r]] += s;
    }
  }
  for (double& t : total) t /= static_cast<double>(valid.size());
  return total;
}

TEST(KnnShapley, EqualsPlainSortedRecursionOnLargeTieHeavySets) {
  // Thousands of rows on a small grid: exact duplicates, distance 0 next to large distances
  // (so the packed sort keys are cut and ties are re-sorted on the full distance), and a
  // spread-out set whose distances span many binades. At most 8 validation points: one chunk,
  // so the summation order is the plain one and the values must be identical.
  std::mt19937_64 rng(99);
  for (int rep = 0; rep < 3; ++rep) {
    LabeledPoints train = grid_points(rng, 5000, 3, 3);
    LabeledPoints valid = grid_points(rng, 8, 3, 3);
    if (rep == 2) {
      for (double& x : train.features) {
        const int exponent = int(rng() % 60) - 30;  // drawn first, as g++ did from one call
        x = std::ldexp(x + 0.1 * (rng() % 7), exponent);
      }
    }
    for (uint32_t k : {1u, 5u, 64u}) {
      const auto fast = knn_shapley(train, valid, {.k = k, .threads = 1});
      ASSERT_TRUE(fast.ok());
      EXPECT_EQ(*fast, plain_recursion(train, valid, k)) << "rep " << rep << " k " << k;
    }
  }
}

TEST(KnnShapley, ValuesSumToMeanUtilityOfFullSet) {
  std::mt19937_64 rng(11);
  for (uint32_t k : {1u, 5u, 40u, 500u}) {
    const auto train = gaussian_points(rng, 300, 6, 3);
    const auto valid = gaussian_points(rng, 50, 6, 3);
    const auto values = knn_shapley(train, valid, {.k = k, .threads = 2});
    ASSERT_TRUE(values.ok());
    double expected = 0;
    for (size_t v = 0; v < valid.size(); ++v) expected += full_set_utility(train, valid, v, k);
    expected /= static_cast<double>(valid.size());
    EXPECT_GT(expected, 0.0);
    EXPECT_NEAR(std::accumulate(values->begin(), values->end(), 0.0), expected, kTolerance)
        << "k=" << k;
  }
}

TEST(KnnShapley, TiesBrokenByRowOrder) {
  // Rows 0 and 2 are the same point with the same label; row 1 (another label) is exactly as
  // far from the validation point. With K = 1 the nearest of a coalition is its lowest row among
  // the tied ones, so row 0 is worth more than its copy row 2: 5/6, -1/6, 1/3.
  LabeledPoints train{.dim = 2, .features = {1, 0, -1, 0, 1, 0}, .labels = {1, 0, 1}};
  LabeledPoints valid{.dim = 2, .features = {0, 0}, .labels = {1}};
  const auto fast = knn_shapley(train, valid, {.k = 1, .threads = 1});
  const auto slow = knn_shapley_brute_force(train, valid, 1);
  ASSERT_TRUE(fast.ok() && slow.ok());
  const std::vector<double> expected{5.0 / 6, -1.0 / 6, 1.0 / 3};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR((*fast)[i], expected[i], kTolerance) << "row " << i;
    EXPECT_NEAR((*slow)[i], expected[i], kTolerance) << "row " << i;
  }
  EXPECT_GT((*fast)[0], (*fast)[2]);

  // With the other point last in row order, the copies are adjacent in every order and get the
  // same value: the row order, not the point, made the difference above.
  LabeledPoints swapped{.dim = 2, .features = {1, 0, 1, 0, -1, 0}, .labels = {1, 1, 0}};
  const auto again = knn_shapley(swapped, valid, {.k = 1, .threads = 1});
  ASSERT_TRUE(again.ok());
  EXPECT_NEAR((*again)[0], 0.5, kTolerance);
  EXPECT_NEAR((*again)[1], 0.5, kTolerance);
  EXPECT_NEAR((*again)[2], 0.0, kTolerance);
  const auto again_slow = knn_shapley_brute_force(swapped, valid, 1);
  ASSERT_TRUE(again_slow.ok());
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR((*again)[i], (*again_slow)[i], kTolerance);
}

TEST(KnnShapley, ThreadCountDoesNotChangeValues) {
  std::mt19937_64 rng(3);
  const auto train = gaussian_points(rng, 3000, 16, 5);
  const auto valid = gaussian_points(rng, 101, 16, 5);
  const auto one = knn_shapley(train, valid, {.k = 5, .threads = 1});
  ASSERT_TRUE(one.ok());
  for (int threads : {2, 3, 8}) {
    const auto many = knn_shapley(train, valid, {.k = 5, .threads = threads});
    ASSERT_TRUE(many.ok());
    // The summation order is fixed by chunks, not threads: identical, not merely close.
    EXPECT_EQ(*many, *one) << threads << " threads";
  }
  EXPECT_TRUE(std::any_of(one->begin(), one->end(), [](double v) { return v != 0; }));
}

TEST(KnnShapley, RejectsBadInputNamingIt) {
  LabeledPoints train{.dim = 2, .features = {0, 0, 1, 1}, .labels = {0, 1}};
  LabeledPoints valid{.dim = 2, .features = {0, 1}, .labels = {1}};
  const LabeledPoints empty{.dim = 2, .features = {}, .labels = {}};
  auto message = [](const Result<std::vector<double>>& r) {
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.ok() ? ErrorCode::kInternal : r.error().code, ErrorCode::kInvalidArgument);
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(message(knn_shapley(train, valid, {.k = 0})).find("k must be"), std::string::npos);
  EXPECT_NE(message(knn_shapley(train, valid, {.k = 1, .threads = 0})).find("threads"),
            std::string::npos);
  EXPECT_NE(message(knn_shapley(empty, valid, {})).find("training set is empty"),
            std::string::npos);
  EXPECT_NE(message(knn_shapley(train, empty, {})).find("validation set is empty"),
            std::string::npos);
  LabeledPoints wide{.dim = 3, .features = {0, 1, 2}, .labels = {1}};
  EXPECT_NE(message(knn_shapley(train, wide, {})).find("dim"), std::string::npos);
  LabeledPoints ragged{.dim = 2, .features = {0, 0, 1}, .labels = {0, 1}};
  EXPECT_NE(message(knn_shapley(ragged, valid, {})).find("3 feature values for 2 rows"),
            std::string::npos);
  LabeledPoints nan = train;
  nan.features[3] = std::nan("");
  EXPECT_NE(message(knn_shapley(nan, valid, {})).find("row 1 feature 1 is not finite"),
            std::string::npos);
  std::mt19937_64 rng(1);
  const auto big = grid_points(rng, 17, 2, 2);
  EXPECT_NE(message(knn_shapley_brute_force(big, valid, 1)).find("at most 16"), std::string::npos);
}

}  // namespace
}  // namespace datadao::attribution
