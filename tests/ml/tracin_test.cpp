#include "datadao/ml/tracin.hpp"

#include <gtest/gtest.h>

#include "tabular_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "datadao/ml/regressor.hpp"

namespace datadao::ml {
namespace {

TabularDataset rows_of(const TabularDataset& d, const std::vector<size_t>& rows) {
  TabularDataset out;
  out.feature_names = d.feature_names;
  for (size_t r : rows) {
    out.features.push_back(d.features[r]);
    out.targets.push_back(d.targets[r]);
  }
  return out;
}

struct Trained {
  std::vector<TracInCheckpoint> checkpoints;
  TabularDataset train;      // the rows that trained the model, in order
  std::vector<size_t> rows;  // their indices in the caller's dataset
};

Trained train_with_snapshots(const TabularDataset& d, uint32_t hidden, uint32_t layers,
                             uint64_t steps, uint64_t every) {
  RegressorSpec spec;
  spec.hidden = hidden;
  spec.layers = layers;
  TrainConfig c;
  c.steps = steps;
  c.batch_size = 32;
  c.learning_rate = 1e-2;
  c.seed = 5;
  c.holdout_fraction = 0.1;
  c.progress_every = 0;
  c.snapshot_every = every;
  TrainReport report;
  auto m = Regressor::train(d, spec, c, nullptr, &report);
  EXPECT_TRUE(m.ok()) << m.error().to_string();
  Trained t;
  for (auto& [bytes, lr] : report.snapshots) t.checkpoints.push_back({bytes, lr});
  for (size_t r = 0, h = 0; r < d.targets.size(); ++r) {
    if (h < report.holdout_rows.size() && report.holdout_rows[h] == r) {
      ++h;
    } else {
      t.rows.push_back(r);
    }
  }
  t.train = rows_of(d, t.rows);
  return t;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

TEST(TracIn, ProjectedInfluenceTracksExactInfluence) {
  // 4,481 parameters projected to 256 numbers.
  const Trained t = train_with_snapshots(test::linear_data(300, 1, 0.5f), 64, 2, 120, 40);
  ASSERT_EQ(t.checkpoints.size(), 3u);
  const TabularDataset valid = test::linear_data(60, 2, 0.5f);
  TracInOptions exact_options;
  exact_options.projection_dim = 0;
  TracInOptions projected_options;
  projected_options.projection_dim = 256;
  auto exact = tracin_regressor(t.checkpoints, t.train, valid, exact_options);
  auto projected = tracin_regressor(t.checkpoints, t.train, valid, projected_options);
  ASSERT_TRUE(exact.ok()) << exact.error().to_string();
  ASSERT_TRUE(projected.ok()) << projected.error().to_string();
  EXPECT_EQ(exact->parameters, 4481u);
  EXPECT_EQ(exact->checkpoints, 3u);
  const double r = pearson(exact->influence, projected->influence);
  std::printf("pearson(exact, d=256) = %.4f over %zu examples\n", r, t.train.targets.size());
  EXPECT_GT(r, 0.95);

  // The examples of largest exact magnitude (top 10%) keep their sign.
  std::vector<size_t> order(exact->influence.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(exact->influence[a]) > std::abs(exact->influence[b]);
  });
  for (size_t k = 0; k < order.size() / 10; ++k) {
    const size_t i = order[k];
    EXPECT_EQ(exact->influence[i] > 0, projected->influence[i] > 0) << "example " << i;
  }
}

TEST(TracIn, NoisyExamplesGetNegativeInfluence) {
  // Clean rows follow the linear rule (targets about -10..25); every tenth row's target is
  // replaced by a large random value (uniform 60..100).
  TabularDataset d = test::linear_data(400, 3, 0.5f);
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<float> large(60, 100);
  for (size_t r = 0; r < d.targets.size(); r += 10) d.targets[r] = large(rng);
  const Trained t = train_with_snapshots(d, 16, 1, 200, 25);
  const TabularDataset valid = test::linear_data(100, 5, 0.5f);
  auto result = tracin_regressor(t.checkpoints, t.train, valid, TracInOptions{});
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const std::vector<double>& infl = result->influence;
  ASSERT_EQ(infl.size(), t.rows.size());

  double noisy_sum = 0, clean_sum = 0;
  size_t noisy = 0, clean = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i] % 10 == 0) {
      noisy_sum += infl[i];
      ++noisy;
    } else {
      clean_sum += infl[i];
      ++clean;
    }
  }
  ASSERT_GT(noisy, 20u);
  const double noisy_mean = noisy_sum / noisy, clean_mean = clean_sum / clean;
  std::printf("mean influence: noisy %.4g, clean %.4g\n", noisy_mean, clean_mean);
  EXPECT_LT(noisy_mean, 0);
  EXPECT_GT(clean_mean, 0);

  // At least 80% of the noisy rows rank in the bottom 20% of all influences.
  std::vector<double> sorted = infl;
  std::sort(sorted.begin(), sorted.end());
  const double cut = sorted[sorted.size() / 5];
  size_t noisy_low = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i] % 10 == 0 && infl[i] < cut) ++noisy_low;
  }
  std::printf("%zu of %zu noisy rows in the bottom 20%%\n", noisy_low, noisy);
  EXPECT_GE(noisy_low * 10, noisy * 8);
}

TEST(TracIn, DuplicatedRowsGetEqualInfluence) {
  const Trained t = train_with_snapshots(test::linear_data(200, 6, 0.5f), 16, 1, 60, 20);
  TabularDataset train = t.train;
  // Row 3 again at 40 and at the end; with batches of 16 the copies are in different batches.
  train.features.insert(train.features.begin() + 40, train.features[3]);
  train.targets.insert(train.targets.begin() + 40, train.targets[3]);
  train.features.push_back(train.features[3]);
  train.targets.push_back(train.targets[3]);
  TracInOptions o;
  o.batch = 16;
  for (uint32_t dim : {0u, 64u}) {
    o.projection_dim = dim;
    auto a = tracin_regressor(t.checkpoints, train, test::linear_data(30, 7, 0.5f), o);
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    const std::vector<double>& infl = a->influence;
    const double tol = 1e-9 * std::abs(infl[3]);
    EXPECT_NEAR(infl[40], infl[3], tol) << "d = " << dim;
    EXPECT_NEAR(infl.back(), infl[3], tol) << "d = " << dim;
    EXPECT_NE(infl[3], infl[4]);
    // And the same inputs give the same numbers, bit for bit.
    auto b = tracin_regressor(t.checkpoints, train, test::linear_data(30, 7, 0.5f), o);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->influence, infl);
  }
}

TEST(TracIn, MemoryDoesNotGrowWithExamples) {
  const Trained t = train_with_snapshots(test::linear_data(200, 8, 0.5f), 16, 1, 40, 20);
  const TabularDataset valid = test::linear_data(50, 9, 0.5f);
  TracInOptions o;  // d = 256, batches of 256
  auto small = tracin_regressor(t.checkpoints, test::linear_data(1000, 10, 0.5f), valid, o);
  auto large = tracin_regressor(t.checkpoints, test::linear_data(4000, 11, 0.5f), valid, o);
  ASSERT_TRUE(small.ok() && large.ok());
  EXPECT_EQ(large->influence.size(), 4000u);
  EXPECT_GT(small->peak_gradient_floats, 0u);
  EXPECT_EQ(small->peak_gradient_floats, large->peak_gradient_floats);
  // One batch of per-example gradients, its projection and the projection matrix.
  const size_t p = small->parameters;
  EXPECT_EQ(p, 3u * 16 + 16 + 16 + 1);
  EXPECT_EQ(small->peak_gradient_floats, 256 * p + 256 * p + 256 * 256);
}

TEST(TracIn, BadInputsAreNamed) {
  const Trained t = train_with_snapshots(test::linear_data(40, 12, 0.5f), 8, 1, 10, 5);
  const TabularDataset valid = test::linear_data(10, 13, 0.5f);
  const TracInOptions o;
  auto none = tracin_regressor({}, t.train, valid, o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(none.error().message.find("no checkpoints"), std::string::npos);

  TabularDataset empty;
  empty.feature_names = valid.feature_names;
  auto no_train = tracin_regressor(t.checkpoints, empty, valid, o);
  ASSERT_FALSE(no_train.ok());
  EXPECT_NE(no_train.error().message.find("training set is empty"), std::string::npos);
  auto no_valid = tracin_regressor(t.checkpoints, t.train, empty, o);
  ASSERT_FALSE(no_valid.ok());
  EXPECT_NE(no_valid.error().message.find("validation set is empty"), std::string::npos);

  TabularDataset narrow = valid;
  narrow.features[2].pop_back();
  auto wrong_width = tracin_regressor(t.checkpoints, t.train, narrow, o);
  ASSERT_FALSE(wrong_width.ok());
  EXPECT_EQ(wrong_width.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong_width.error().message.find("validation row 2"), std::string::npos)
      << wrong_width.error().message;

  std::vector<TracInCheckpoint> broken = t.checkpoints;
  broken[1].weights[10] ^= 1;
  auto corrupt = tracin_regressor(broken, t.train, valid, o);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(corrupt.error().message.find("checkpoint 1"), std::string::npos)
      << corrupt.error().message;
}

}  // namespace
}  // namespace datadao::ml
