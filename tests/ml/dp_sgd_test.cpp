#include "../../src/ml/dp_sgd.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "datadao/privacy/rdp.hpp"

namespace datadao::ml::detail {
namespace {

using torch::Tensor;

// Token model touching every DP layer kind: an embedding, a layer norm, a linear layer used
// twice in one forward (weight sharing), a linear whose per-example norm takes the ghost path
// (16x16 over 5 tokens) and two that materialise (16x4, 4x3).
struct TinyImpl : torch::nn::Module {
  TinyImpl() {
    emb = register_module("emb", DpEmbedding(10, 16));
    ln = register_module("ln", DpLayerNorm(16));
    shared = register_module("shared", DpLinear(16, 16));
    head = register_module("head", DpLinear(16, 4));
    out = register_module("out", DpLinear(4, 3, /*bias=*/true));
  }
  Tensor forward(const Tensor& tokens) {
    Tensor h = ln(emb(tokens));
    h = torch::gelu(shared(h));
    h = shared(h) + h;
    return out(torch::tanh(head(h)));
  }
  DpEmbedding emb{nullptr};
  DpLayerNorm ln{nullptr};
  DpLinear shared{nullptr}, head{nullptr}, out{nullptr};
};
TORCH_MODULE(Tiny);

struct TokenData {
  Tensor tokens;   // [N, T]
  Tensor targets;  // [N, T]
};

TokenData token_data(int64_t n, int64_t t) {
  torch::manual_seed(7);
  return {torch::randint(0, 10, {n, t}, torch::kLong), torch::randint(0, 3, {n, t}, torch::kLong)};
}

Tensor token_losses(Tiny& model, const Tensor& tokens, const Tensor& targets) {
  Tensor logits = model->forward(tokens);  // [B, T, 3]
  Tensor nll = torch::nn::functional::cross_entropy(
      logits.reshape({-1, 3}), targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  return nll.reshape(targets.sizes()).mean(1);
}

// Gradients of each example alone, by one backward pass per example.
std::vector<std::vector<Tensor>> loop_gradients(Tiny& model, const TokenData& d) {
  std::vector<std::vector<Tensor>> out;
  for (int64_t n = 0; n < d.tokens.size(0); ++n) {
    model->zero_grad();
    token_losses(model, d.tokens.slice(0, n, n + 1), d.targets.slice(0, n, n + 1)).sum().backward();
    std::vector<Tensor> grads;
    for (const Tensor& p : model->parameters()) grads.push_back(p.grad().clone());
    out.push_back(grads);
  }
  return out;
}

TEST(DpSgd, PerExampleGradientsMatchOneBackwardPerExample) {
  torch::manual_seed(1);
  Tiny model;
  TokenData d = token_data(6, 5);
  auto per_example =
      per_example_gradients(*model, [&] { return token_losses(model, d.tokens, d.targets); });
  ASSERT_TRUE(per_example.ok()) << per_example.error().to_string();
  auto expected = loop_gradients(model, d);
  auto params = model->parameters();
  ASSERT_EQ(per_example->size(), params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    for (int64_t n = 0; n < 6; ++n) {
      EXPECT_TRUE(torch::allclose((*per_example)[i][n], expected[n][i], 1e-4, 1e-5))
          << "parameter " << i << " example " << n << " max diff "
          << ((*per_example)[i][n] - expected[n][i]).abs().max().item<double>();
    }
  }
}

TEST(DpSgd, ClippedSumIsTheSumOfPerExampleGradientsScaledToTheBound) {
  torch::manual_seed(2);
  Tiny model;
  TokenData d = token_data(6, 5);
  auto losses_fn = [&] { return token_losses(model, d.tokens, d.targets); };
  auto per_example = per_example_gradients(*model, losses_fn);
  ASSERT_TRUE(per_example.ok());
  Tensor sq = torch::zeros({6}, torch::kDouble);
  for (const Tensor& g : *per_example) sq += g.reshape({6, -1}).pow(2).sum(1).to(torch::kDouble);
  Tensor norms = sq.sqrt();
  const double clip = norms.median().item<double>();  // half the examples get clipped

  auto step = clipped_gradient_sum(*model, losses_fn, clip);
  ASSERT_TRUE(step.ok()) << step.error().to_string();
  EXPECT_TRUE(torch::allclose(step->norms, norms, 1e-4, 1e-6));  // ghost norms agree
  Tensor coef = (clip / (norms + 1e-6)).clamp_max(1.0).to(torch::kFloat);
  auto params = model->parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    Tensor g = (*per_example)[i];
    std::vector<int64_t> shape(g.dim(), 1);
    shape[0] = 6;
    Tensor expected = (g * coef.view(shape)).sum(0);
    EXPECT_TRUE(torch::allclose(params[i].grad(), expected, 1e-4, 1e-6)) << "parameter " << i;
  }
}

TEST(DpSgd, OneHugeGradientExampleContributesAtMostTheClipNorm) {
  torch::manual_seed(3);
  Tiny model;
  TokenData d = token_data(1, 5);
  const double clip = 0.5;
  auto step = clipped_gradient_sum(
      *model, [&] { return token_losses(model, d.tokens, d.targets) * 1e6; }, clip);
  ASSERT_TRUE(step.ok());
  EXPECT_GT(step->norms[0].item<double>(), 1e3);
  double sq = 0;
  for (const Tensor& p : model->parameters()) sq += p.grad().pow(2).sum().item<double>();
  EXPECT_LE(std::sqrt(sq), clip * (1 + 1e-5));
  EXPECT_GT(std::sqrt(sq), clip * 0.99);  // clipped to the bound, not to zero
}

// ---- train_loop on a tiny linear regression ----------------------------------------------------

struct Regression {
  Tensor x, y;
};
Regression regression_data(int64_t n) {
  torch::manual_seed(11);
  Tensor x = torch::randn({n, 3});
  Tensor y = x.matmul(torch::tensor({1.5f, -2.0f, 0.5f})) + 0.3;
  return {x, y};
}

struct LinearModelImpl : torch::nn::Module {
  LinearModelImpl() { fc = register_module("fc", DpLinear(3, 1)); }
  DpLinear fc{nullptr};
};
TORCH_MODULE(LinearModel);

Result<TrainReport> train_regression(LinearModel& model, const Regression& d,
                                     const TrainConfig& config, const ProgressFn& progress = {},
                                     const std::string& fingerprint = "regression v1") {
  auto loss = [&](const Tensor& idx) {
    return (model->fc(d.x.index_select(0, idx)).squeeze(1) - d.y.index_select(0, idx)).pow(2);
  };
  return train_loop(*model, d.x.size(0), loss, config, progress, fingerprint);
}

double mse(LinearModel& model, const Regression& d) {
  torch::NoGradGuard no_grad;
  return (model->fc(d.x).squeeze(1) - d.y).pow(2).mean().item<double>();
}

TrainConfig dp_config() {
  TrainConfig c;
  c.steps = 20;
  c.batch_size = 16;
  c.learning_rate = 0.05;
  c.seed = 5;
  c.dp.enabled = true;
  c.dp.noise_multiplier = 0.8;
  c.dp.max_grad_norm = 1.0;
  return c;
}

class DpSgdTrain : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datadao_dp_sgd_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DpSgdTrain, NonPrivateTrainingFitsALinearTarget) {
  Regression d = regression_data(200);
  torch::manual_seed(1);
  LinearModel model;
  const double before = mse(model, d);
  TrainConfig c;
  c.steps = 150;
  c.batch_size = 20;
  c.learning_rate = 0.05;
  auto report = train_regression(model, d, c);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->steps, 150u);
  EXPECT_EQ(report->epsilon, 0);
  EXPECT_LT(mse(model, d), before * 0.05);
}

TEST_F(DpSgdTrain, PrivateTrainingStillLearnsAndReportsEpsilon) {
  Regression d = regression_data(400);
  torch::manual_seed(1);
  LinearModel model;
  const double before = mse(model, d);
  TrainConfig c = dp_config();
  c.steps = 150;
  c.batch_size = 50;
  auto report = train_regression(model, d, c);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_LT(mse(model, d), before * 0.5);
  const auto& orders = privacy::default_rdp_orders();
  auto eps = privacy::rdp_to_epsilon(orders, privacy::compute_rdp(50.0 / 400, 0.8, 150, orders),
                                     c.dp.delta);
  ASSERT_TRUE(eps.ok());
  EXPECT_DOUBLE_EQ(report->epsilon, eps->epsilon);
}

TEST_F(DpSgdTrain, ParameterOutsideADpLayerIsRejectedUnderDp) {
  struct Mixed : torch::nn::Module {
    Mixed() {
      fc = register_module("fc", DpLinear(3, 4));
      plain = register_module("plain", torch::nn::Linear(4, 1));
    }
    DpLinear fc{nullptr};
    torch::nn::Linear plain{nullptr};
  };
  auto model = std::make_shared<Mixed>();
  Regression d = regression_data(20);
  auto loss = [&](const Tensor& idx) {
    return model->plain(model->fc(d.x.index_select(0, idx))).squeeze(1);
  };
  auto report = train_loop(*model, 20, loss, dp_config(), {}, "mixed");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(report.error().message.find("plain.weight"), std::string::npos)
      << report.error().message;
  // Without DP the same model trains.
  TrainConfig c = dp_config();
  c.dp.enabled = false;
  EXPECT_TRUE(train_loop(*model, 20, loss, c, {}, "mixed").ok());
}

TEST_F(DpSgdTrain, ResumedRunEndsWithTheWeightsOfAnUninterruptedOne) {
  Regression d = regression_data(100);
  TrainConfig c = dp_config();

  torch::manual_seed(1);
  LinearModel straight;
  ASSERT_TRUE(train_regression(straight, d, c).ok());

  c.checkpoint_path = (dir_ / "ckpt").string();
  c.checkpoint_every = 5;
  {
    torch::manual_seed(1);
    LinearModel first;
    TrainConfig half = c;
    half.steps = 10;
    auto r = train_regression(first, d, half);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->steps, 10u);
  }                        // "crash": the model and optimizer are gone, only the checkpoint remains
  torch::manual_seed(99);  // a different initialisation: the checkpoint must override it
  LinearModel resumed;
  auto r = train_regression(resumed, d, c);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->resumed_from, 10u);
  EXPECT_EQ(r->steps, 20u);
  EXPECT_TRUE(torch::equal(resumed->fc->weight, straight->fc->weight));
  EXPECT_TRUE(torch::equal(resumed->fc->bias, straight->fc->bias));
}

TEST_F(DpSgdTrain, CheckpointOfOtherDataOrConfigIsRefused) {
  Regression d = regression_data(100);
  TrainConfig c = dp_config();
  c.steps = 4;
  c.checkpoint_path = (dir_ / "ckpt").string();
  torch::manual_seed(1);
  LinearModel model;
  ASSERT_TRUE(train_regression(model, d, c).ok());

  auto other_data = train_regression(model, d, c, {}, "regression v2");
  ASSERT_FALSE(other_data.ok());
  EXPECT_EQ(other_data.error().code, ErrorCode::kFailedPrecondition);

  TrainConfig other = c;
  other.learning_rate = 0.01;
  auto other_config = train_regression(model, d, other);
  ASSERT_FALSE(other_config.ok());
  EXPECT_EQ(other_config.error().code, ErrorCode::kFailedPrecondition);

  std::filesystem::resize_file(c.checkpoint_path, 100);
  auto corrupt = train_regression(model, d, c);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code, ErrorCode::kCorruption);
}

TEST_F(DpSgdTrain, BudgetStopsBeforeTheStepThatWouldExceedIt) {
  Regression d = regression_data(100);
  TrainConfig c = dp_config();
  c.steps = 1000;
  c.dp.noise_multiplier = 2.0;
  c.dp.target_epsilon = 2.0;
  torch::manual_seed(1);
  LinearModel model;
  auto r = train_regression(model, d, c);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->stopped_by_budget);
  EXPECT_GT(r->steps, 0u);
  EXPECT_LT(r->steps, 1000u);
  EXPECT_LE(r->epsilon, 2.0);
  const auto& orders = privacy::default_rdp_orders();
  auto next = privacy::rdp_to_epsilon(
      orders, privacy::compute_rdp(16.0 / 100, 2.0, r->steps + 1, orders), c.dp.delta);
  EXPECT_GT(next->epsilon, 2.0);  // one more step would have exceeded it
}

TEST_F(DpSgdTrain, EmptyPoissonBatchesCountAsStepsAndStillAddNoise) {
  Regression d = regression_data(1000);
  TrainConfig c = dp_config();
  c.batch_size = 1;  // q = 0.001: most batches are empty
  c.steps = 5;
  int64_t empty = 0;
  for (uint64_t s = 0; s < c.steps; ++s)
    empty += poisson_batch(c.seed, s, 1000, 0.001).size(0) == 0;
  ASSERT_GT(empty, 0);
  torch::manual_seed(1);
  LinearModel model;
  Tensor before = model->fc->weight.clone();
  auto r = train_regression(model, d, c);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->steps, 5u);
  EXPECT_FALSE(torch::equal(before, model->fc->weight));
}

TEST_F(DpSgdTrain, ProgressSeesEverySteppingPointAndCanStop) {
  Regression d = regression_data(100);
  TrainConfig c = dp_config();
  c.steps = 30;
  c.progress_every = 5;
  std::vector<uint64_t> seen;
  torch::manual_seed(1);
  LinearModel model;
  auto r = train_regression(model, d, c, [&](const Progress& p) {
    seen.push_back(p.step);
    EXPECT_GT(p.epsilon, 0);
    EXPECT_EQ(p.total_steps, 30u);
    return p.step < 15;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{5, 10, 15}));
  EXPECT_EQ(r->steps, 15u);
}

TEST(DpSgdPoisson, BatchesAreDeterministicPerStepAndAboutQTimesN) {
  Tensor a = poisson_batch(1, 3, 10000, 0.05);
  EXPECT_TRUE(torch::equal(a, poisson_batch(1, 3, 10000, 0.05)));
  EXPECT_FALSE(torch::equal(a, poisson_batch(1, 4, 10000, 0.05)));
  EXPECT_NEAR(a.size(0), 500, 100);  // 4.5 standard deviations
}

}  // namespace
}  // namespace datadao::ml::detail
