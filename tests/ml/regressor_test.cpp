#include "datadao/ml/regressor.hpp"
#include "datadao/testing/assertions.hpp"

#include <gtest/gtest.h>

#include "tabular_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace datadao::ml {
namespace {

TrainConfig quick_config() {
  TrainConfig c;
  c.steps = 300;
  c.batch_size = 32;
  c.learning_rate = 1e-2;
  c.seed = 3;
  c.holdout_fraction = 0.2;
  c.progress_every = 1000;
  return c;
}

RegressorSpec small_spec() {
  RegressorSpec s;
  s.hidden = 16;
  s.layers = 1;
  return s;
}

TEST(Regressor, LearnsALinearTargetAndBeatsTheMeanBaseline) {
  TrainReport report;
  auto m =
      Regressor::train(test::linear_data(400, 1), small_spec(), quick_config(), nullptr, &report);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(report.train_examples, 320u);
  EXPECT_EQ(report.holdout_examples, 80u);
  // The target's variance is about 4*8.3 + 8.3 = 41: the mean baseline's MSE is near that.
  EXPECT_GT(report.baseline_loss, 20);
  EXPECT_LT(report.holdout_loss, 0.05 * report.baseline_loss);
  EXPECT_LT(report.metrics.at("holdout_mae"), 0.25 * report.metrics.at("baseline_mae"));
  auto y = m->predict({5, 2, 7});
  ASSERT_TRUE(y.ok());
  EXPECT_NEAR(*y, 8.0, 1.0);
}

TEST(Regressor, WithDpTheReportedEpsilonStaysWithinTheTarget) {
  TrainConfig c = quick_config();
  c.steps = 2000;
  c.dp.enabled = true;
  c.dp.noise_multiplier = 2.0;  // q = 0.1: the budget allows a few dozen steps
  c.dp.max_grad_norm = 1.0;
  c.dp.target_epsilon = 2.0;
  c.dp.delta = 1e-5;
  TrainReport report;
  double last_progress_epsilon = -1;
  ProgressFn progress = [&](const Progress& p) {
    last_progress_epsilon = p.epsilon;
    return true;
  };
  c.progress_every = 10;
  auto m = Regressor::train(test::linear_data(400, 2), small_spec(), c, progress, &report);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_TRUE(report.stopped_by_budget);
  EXPECT_GT(report.steps, 0u);
  EXPECT_LT(report.steps, 2000u);
  EXPECT_GT(report.epsilon, 1.0) << report.steps << " steps";
  EXPECT_LE(report.epsilon, 2.0);
  EXPECT_LE(last_progress_epsilon, 2.0);
}

TEST(Regressor, RaggedRowIsRejectedNamingTheRow) {
  TabularDataset d = test::linear_data(10, 3);
  d.features[6].pop_back();
  auto m = Regressor::train(d, small_spec(), quick_config(), nullptr, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(m.error().message.find("row 6"), std::string::npos) << m.error().message;
}

TEST(Regressor, NonFiniteValuesAreRejectedNamingTheRowAndFeature) {
  TabularDataset d = test::linear_data(10, 4);
  d.features[4][1] = std::numeric_limits<float>::quiet_NaN();
  auto m = Regressor::train(d, small_spec(), quick_config(), nullptr, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(m.error().message.find("row 4: feature 'b'"), std::string::npos) << m.error().message;

  d = test::linear_data(10, 4);
  d.targets[8] = std::numeric_limits<float>::infinity();
  m = Regressor::train(d, small_spec(), quick_config(), nullptr, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("row 8: target"), std::string::npos) << m.error().message;
}

TEST(Regressor, FewerThanFourExamplesAreRejected) {
  auto m =
      Regressor::train(test::linear_data(3, 5), small_spec(), quick_config(), nullptr, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
}

TEST(Regressor, SaveLoadRoundTripPredictsIdentically) {
  TrainConfig c = quick_config();
  c.steps = 50;
  auto m = Regressor::train(test::linear_data(100, 6), small_spec(), c, nullptr, nullptr);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  const crypto::Bytes bytes = m->save();
  auto back = Regressor::load(bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->feature_names(), m->feature_names());
  for (const auto& row : test::linear_data(20, 7).features) {
    EXPECT_EQ(*back->predict(row), *m->predict(row));
  }
  EXPECT_EQ(back->save(), bytes);
}

TEST(Regressor, CorruptOrTruncatedWeightsAreErrors) {
  TrainConfig c = quick_config();
  c.steps = 5;
  auto m = Regressor::train(test::linear_data(20, 8), small_spec(), c, nullptr, nullptr);
  ASSERT_TRUE(m.ok());
  const crypto::Bytes good = m->save();

  crypto::Bytes flipped = good;
  flipped[flipped.size() / 2] ^= 0x01;
  auto r = Regressor::load(flipped);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);

  crypto::Bytes truncated(good.begin(), good.end() - 7);
  EXPECT_ERROR_CODE(Regressor::load(truncated), ErrorCode::kCorruption);
  EXPECT_ERROR_CODE(Regressor::load(crypto::Bytes{}), ErrorCode::kCorruption);
  crypto::Bytes other_magic = good;
  other_magic[0] = 'X';
  EXPECT_ERROR_CODE(Regressor::load(other_magic), ErrorCode::kCorruption);
}

TEST(Regressor, PredictRejectsARowOfTheWrongWidth) {
  TrainConfig c = quick_config();
  c.steps = 5;
  auto m = Regressor::train(test::linear_data(20, 9), small_spec(), c, nullptr, nullptr);
  ASSERT_TRUE(m.ok());
  auto y = m->predict({1, 2});
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.error().code, ErrorCode::kInvalidArgument);
}

TEST(Regressor, GivenBaselinePredictionsTheBaselineLossIsTheirs) {
  // A baseline off by exactly 1 everywhere has MSE 1 and MAE 1 on any held-out split; the
  // training mean would give about 41.
  TabularDataset d = test::linear_data(100, 10);
  for (float t : d.targets) d.baseline_predictions.push_back(t + 1.0f);
  TrainConfig c = quick_config();
  c.steps = 5;
  TrainReport report;
  auto m = Regressor::train(d, small_spec(), c, nullptr, &report);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(report.baseline_loss, 1.0, 1e-4);
  EXPECT_NEAR(report.metrics.at("baseline_mae"), 1.0, 1e-4);
}

TEST(Regressor, SameSeedSameModel) {
  TrainConfig c = quick_config();
  c.steps = 30;
  auto a = Regressor::train(test::linear_data(100, 11), small_spec(), c, nullptr, nullptr);
  auto b = Regressor::train(test::linear_data(100, 11), small_spec(), c, nullptr, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->save(), b->save());
}

TEST(Regressor, SnapshotsDoNotChangeTraining) {
  TrainConfig plain = quick_config();
  plain.steps = 110;
  TrainConfig snapshotting = plain;
  snapshotting.snapshot_every = 25;
  TrainReport without, with;
  auto a = Regressor::train(test::linear_data(200, 12), small_spec(), plain, nullptr, &without);
  auto b = Regressor::train(test::linear_data(200, 12), small_spec(), snapshotting, nullptr, &with);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->save(), b->save());
  EXPECT_TRUE(without.snapshots.empty());
  // Steps 25, 50, 75, 100 and the last one (110).
  ASSERT_EQ(with.snapshots.size(), 5u);
  for (const auto& [bytes, lr] : with.snapshots) {
    EXPECT_EQ(lr, plain.learning_rate);
    EXPECT_TRUE(Regressor::load(bytes).ok());
  }
  EXPECT_EQ(with.snapshots.back().first, b->save());
  EXPECT_NE(with.snapshots.front().first, with.snapshots[1].first);

  // A run whose length is a multiple of snapshot_every does not repeat the last snapshot.
  snapshotting.steps = 100;
  auto c = Regressor::train(test::linear_data(200, 12), small_spec(), snapshotting, nullptr, &with);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(with.snapshots.size(), 4u);
  EXPECT_EQ(with.snapshots.back().first, c->save());
}

TEST(Regressor, HoldoutRowsAreTheHeldOutSplit) {
  const TabularDataset d = test::linear_data(150, 13);
  TrainReport report;
  auto m = Regressor::train(d, small_spec(), quick_config(), nullptr, &report);
  ASSERT_TRUE(m.ok());
  const std::vector<size_t>& rows = report.holdout_rows;
  ASSERT_EQ(rows.size(), report.holdout_examples);
  EXPECT_EQ(rows.size(), 30u);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end()), rows.end());
  EXPECT_LT(rows.back(), d.targets.size());
  EXPECT_EQ(d.targets.size() - rows.size(), report.train_examples);
  // The reported held-out loss is the model's MSE on exactly these rows.
  double mse = 0;
  for (size_t r : rows) {
    const double e = *m->predict(d.features[r]) - d.targets[r];
    mse += e * e;
  }
  mse /= static_cast<double>(rows.size());
  EXPECT_NEAR(mse, report.holdout_loss, 1e-4 * report.holdout_loss);
  // The same seed holds out the same rows; another seed other rows.
  TrainReport again, other;
  TrainConfig c = quick_config();
  c.steps = 1;
  ASSERT_TRUE(Regressor::train(d, small_spec(), c, nullptr, &again).ok());
  c.seed = 4;
  ASSERT_TRUE(Regressor::train(d, small_spec(), c, nullptr, &other).ok());
  EXPECT_EQ(again.holdout_rows, rows);
  EXPECT_NE(other.holdout_rows, rows);
}

TEST(RegressorSpec, ParsesKeysOverDefaultsAndNamesBadOnes) {
  auto s = parse_regressor_spec("layers=3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->hidden, 32u);
  EXPECT_EQ(s->layers, 3u);
  s = parse_regressor_spec("hidden=64 layers=1");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->hidden, 64u);

  auto bad = parse_regressor_spec("width=3");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("width"), std::string::npos);
  EXPECT_ERROR_CODE(parse_regressor_spec("layers=9"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(parse_regressor_spec("hidden=0"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(parse_regressor_spec("hidden=4097"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(parse_regressor_spec("hidden=1e3"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(parse_regressor_spec("hidden"), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::ml
