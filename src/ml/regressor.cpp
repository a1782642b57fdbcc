// The tabular regressor (regressor.hpp): an MLP of DpLinear layers trained by detail::train_loop.
#include "datadao/ml/regressor.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <random>
#include <sstream>

#include "datadao/codec/codec.hpp"
#include "dp_sgd.hpp"
#include "regressor_model.hpp"

namespace datadao::ml {
namespace {

using detail::kMaxFeatures;
using detail::kMaxHidden;
using detail::kMaxLayers;
// A feature (or target) whose training spread is below this is constant: it is centred but not
// scaled, so that dividing by ~0 does not blow up unseen values.
constexpr double kMinStd = 1e-6;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

Result<uint32_t> spec_value(const std::string& key, const std::string& value, uint32_t lo,
                            uint32_t hi) {
  uint64_t v = 0;
  bool ok = !value.empty() && value.size() <= 6;
  for (char c : value) {
    ok = ok && c >= '0' && c <= '9';
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok || v < lo || v > hi) {
    return invalid("regressor spec: " + key + "='" + value + "' is not an integer in " +
                   std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<uint32_t>(v);
}

Status check_dataset(const TabularDataset& data) {
  const size_t width = data.feature_names.size();
  if (width == 0) return invalid("tabular dataset: no features");
  if (width > kMaxFeatures) {
    return invalid("tabular dataset: " + std::to_string(width) + " features, at most " +
                   std::to_string(kMaxFeatures));
  }
  if (data.features.size() != data.targets.size()) {
    return invalid("tabular dataset: " + std::to_string(data.features.size()) + " rows but " +
                   std::to_string(data.targets.size()) + " targets");
  }
  if (data.features.size() < 4) {
    return invalid("tabular dataset: " + std::to_string(data.features.size()) +
                   " examples, at least 4 needed (training and held-out splits)");
  }
  if (!data.baseline_predictions.empty() &&
      data.baseline_predictions.size() != data.targets.size()) {
    return invalid("tabular dataset: " + std::to_string(data.baseline_predictions.size()) +
                   " baseline predictions for " + std::to_string(data.targets.size()) +
                   " examples");
  }
  for (size_t r = 0; r < data.features.size(); ++r) {
    const std::vector<float>& row = data.features[r];
    const std::string where = "tabular dataset row " + std::to_string(r);
    if (row.size() != width) {
      return invalid(where + ": " + std::to_string(row.size()) + " values, expected " +
                     std::to_string(width) + " (one per feature name)");
    }
    for (size_t f = 0; f < width; ++f) {
      if (!std::isfinite(row[f])) {
        return invalid(where + ": feature '" + data.feature_names[f] + "' is not finite");
      }
    }
    if (!std::isfinite(data.targets[r])) return invalid(where + ": target is not finite");
    if (!data.baseline_predictions.empty() && !std::isfinite(data.baseline_predictions[r])) {
      return invalid(where + ": baseline prediction is not finite");
    }
  }
  return Status::Ok();
}

// Deterministic split: a Fisher-Yates shuffle of the row indices driven by std::mt19937_64(seed)
// (with our own unbiased bounded draw, so the split is the same with every standard library);
// the first round(n * holdout_fraction) shuffled rows, clamped to 1..n-1, are held out.
struct Split {
  std::vector<size_t> train;
  std::vector<size_t> holdout;
};

Split split_rows(size_t n, double holdout_fraction, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  for (size_t i = n - 1; i > 0; --i) {
    const uint64_t bound = i + 1;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do {
      x = rng();
    } while (x >= limit);
    std::swap(order[i], order[x % bound]);
  }
  const double wanted = std::round(static_cast<double>(n) * holdout_fraction);
  const size_t held = static_cast<size_t>(std::clamp(wanted, 1.0, static_cast<double>(n - 1)));
  Split split;
  split.holdout.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(held));
  split.train.assign(order.begin() + static_cast<ptrdiff_t>(held), order.end());
  return split;
}

struct Moments {
  double mean = 0;
  double std = 1;
};
// Population mean/std of `values`; std 1 for a constant column (see kMinStd).
Moments moments(const std::vector<double>& values) {
  Moments m;
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  double var = 0;
  for (double v : values) var += (v - m.mean) * (v - m.mean);
  m.std = std::sqrt(var / static_cast<double>(values.size()));
  if (!(m.std >= kMinStd)) m.std = 1;
  return m;
}

uint32_t f32_bits(float v) { return std::bit_cast<uint32_t>(v); }

}  // namespace

Result<RegressorSpec> parse_regressor_spec(const std::string& spec) {
  RegressorSpec out;
  std::istringstream in(spec);
  std::string token;
  while (in >> token) {
    const size_t eq = token.find('=');
    const std::string key = token.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : token.substr(eq + 1);
    if (key == "hidden") {
      DD_ASSIGN(out.hidden, spec_value(key, value, 1, kMaxHidden));
    } else if (key == "layers") {
      DD_ASSIGN(out.layers, spec_value(key, value, 1, kMaxLayers));
    } else {
      return invalid("regressor spec: unknown key '" + key + "' (keys: hidden, layers)");
    }
  }
  return out;
}

// The trained model as plain tensors: inference is a functional forward over them, so const
// methods share nothing mutable (predict may be called from several threads) and the training
// module's DP capture machinery is not involved.
struct Regressor::Impl : detail::RegressorModel {};

Regressor::Regressor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Regressor::Regressor(Regressor&&) noexcept = default;
Regressor& Regressor::operator=(Regressor&&) noexcept = default;
Regressor::~Regressor() = default;

const std::vector<std::string>& Regressor::feature_names() const { return impl_->feature_names; }

Result<Regressor> Regressor::train(const TabularDataset& data, const RegressorSpec& spec,
                                   const TrainConfig& config, const ProgressFn& progress,
                                   TrainReport* report) {
  DD_TRY(check_dataset(data));
  if (spec.hidden < 1 || spec.hidden > kMaxHidden || spec.layers < 1 || spec.layers > kMaxLayers) {
    return invalid("regressor spec: hidden 1..4096 and layers 1..8");
  }
  if (!(config.holdout_fraction >= 0 && config.holdout_fraction < 1)) {
    return invalid("regressor: holdout_fraction must be in [0, 1)");
  }
  const size_t n = data.targets.size();
  const int64_t width = static_cast<int64_t>(data.feature_names.size());
  const Split split = split_rows(n, config.holdout_fraction, config.seed);

  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  impl->feature_names = data.feature_names;

  // Standardisation from the training split only (the held-out split stays unseen). These
  // statistics are stored with the model as regressor.hpp requires but are exact, not noised:
  // with DP, the reported ε covers the weights, not the per-feature means and deviations.
  std::vector<float> mean(static_cast<size_t>(width)), stddev(static_cast<size_t>(width));
  std::vector<double> column(split.train.size());
  for (int64_t f = 0; f < width; ++f) {
    for (size_t i = 0; i < split.train.size(); ++i) column[i] = data.features[split.train[i]][f];
    const Moments m = moments(column);
    mean[f] = static_cast<float>(m.mean);
    stddev[f] = static_cast<float>(m.std);
  }
  for (size_t i = 0; i < split.train.size(); ++i) column[i] = data.targets[split.train[i]];
  const Moments target = moments(column);
  impl->feature_mean = torch::tensor(mean);
  impl->feature_std = torch::tensor(stddev);
  impl->target_mean = static_cast<float>(target.mean);
  impl->target_std = static_cast<float>(target.std);

  auto rows = [&](const std::vector<size_t>& idx) {
    torch::Tensor x = torch::empty({static_cast<int64_t>(idx.size()), width});
    torch::Tensor y = torch::empty({static_cast<int64_t>(idx.size())});
    auto xa = x.accessor<float, 2>();
    auto ya = y.accessor<float, 1>();
    for (size_t i = 0; i < idx.size(); ++i) {
      for (int64_t f = 0; f < width; ++f) xa[i][f] = data.features[idx[i]][f];
      ya[i] = data.targets[idx[i]];
    }
    return std::make_pair(x, y);
  };
  auto [train_x, train_y] = rows(split.train);
  auto [hold_x, hold_y] = rows(split.holdout);
  // The network sees standardised inputs and targets (so that Adam's step size and the clipping
  // norm mean the same whatever the units); losses are reported in target units.
  const torch::Tensor train_xs = (train_x - impl->feature_mean) / impl->feature_std;
  const torch::Tensor train_ys = (train_y - impl->target_mean) / impl->target_std;
  const double loss_scale = target.std * target.std;

  detail::Mlp model(width, spec);
  auto generator = at::detail::createCPUGenerator(config.seed);
  DD_ASSIGN(std::vector<detail::DpLayer*> dp_layers, detail::dp_layers(*model));
  for (detail::DpLayer* layer : dp_layers) layer->reset_parameters(generator);

  // Data and model fingerprint for checkpoints: a checkpoint of another dataset, split or
  // architecture must not be resumed.
  codec::Writer fp;
  fp.str("regressor").u32(spec.hidden).u32(spec.layers).u64(config.seed).u64(n);
  for (const std::string& name : data.feature_names) fp.str(name);
  for (size_t r = 0; r < n; ++r) {
    for (float v : data.features[r]) fp.u32(f32_bits(v));
    fp.u32(f32_bits(data.targets[r]));
  }
  for (size_t r : split.holdout) fp.u64(r);
  const std::string fingerprint = codec::to_hex(crypto::blake2b256(fp.data()));

  auto per_example_loss = [&](const torch::Tensor& indices) {
    torch::Tensor pred = model->forward(train_xs.index_select(0, indices));
    return (pred - train_ys.index_select(0, indices)).pow(2);
  };
  ProgressFn scaled_progress = [&](const Progress& p) {
    Progress in_units = p;
    in_units.loss *= loss_scale;
    return progress ? progress(in_units) : true;
  };
  // TracIn snapshots: the model as save() would write it after those steps. Reading the weights
  // draws nothing from the RNGs, so training is the same with or without them.
  std::vector<std::pair<std::vector<uint8_t>, double>> snapshots;
  uint64_t last_snapshot = 0;
  auto snapshot = [&](uint64_t step) {
    detail::RegressorModel at = *impl;
    at.take_weights(model);
    snapshots.emplace_back(detail::encode_regressor(at), config.learning_rate);
    last_snapshot = step;
  };
  std::function<void(uint64_t)> after_step;
  if (config.snapshot_every > 0) {
    after_step = [&](uint64_t step) {
      if (step % config.snapshot_every == 0) snapshot(step);
    };
  }
  DD_ASSIGN(TrainReport result,
            detail::train_loop(*model, static_cast<int64_t>(split.train.size()), per_example_loss,
                               config, scaled_progress, fingerprint, after_step));
  result.train_loss *= loss_scale;
  // Whatever ended training (the step count, the DP budget, progress), keep the final model.
  if (config.snapshot_every > 0 && result.steps > 0 && last_snapshot != result.steps) {
    snapshot(result.steps);
  }
  result.snapshots = std::move(snapshots);

  impl->take_weights(model);

  // Held-out figures in target units.
  const torch::Tensor pred = impl->forward(hold_x);
  torch::Tensor baseline;
  if (!data.baseline_predictions.empty()) {
    baseline = torch::empty({static_cast<int64_t>(split.holdout.size())});
    for (size_t i = 0; i < split.holdout.size(); ++i) {
      baseline[static_cast<int64_t>(i)] = data.baseline_predictions[split.holdout[i]];
    }
  } else {
    baseline = torch::full({static_cast<int64_t>(split.holdout.size())}, target.mean);
  }
  result.train_examples = split.train.size();
  result.holdout_examples = split.holdout.size();
  result.holdout_rows = split.holdout;
  std::sort(result.holdout_rows.begin(), result.holdout_rows.end());
  result.holdout_loss = (pred - hold_y).pow(2).mean().item<double>();
  result.baseline_loss = (baseline - hold_y).pow(2).mean().item<double>();
  result.metrics["holdout_mae"] = (pred - hold_y).abs().mean().item<double>();
  result.metrics["baseline_mae"] = (baseline - hold_y).abs().mean().item<double>();
  if (report) *report = result;
  return Regressor(std::move(impl));
}

Result<float> Regressor::predict(const std::vector<float>& row) const {
  const size_t width = impl_->feature_names.size();
  if (row.size() != width) {
    return invalid("regressor input: " + std::to_string(row.size()) + " values, the model takes " +
                   std::to_string(width) + " (its feature names)");
  }
  for (size_t f = 0; f < width; ++f) {
    if (!std::isfinite(row[f])) {
      return invalid("regressor input: feature '" + impl_->feature_names[f] + "' is not finite");
    }
  }
  torch::Tensor x = torch::tensor(row).unsqueeze(0);
  return impl_->forward(x)[0].item<float>();
}

crypto::Bytes Regressor::save() const { return detail::encode_regressor(*impl_); }

Result<Regressor> Regressor::load(crypto::ByteView bytes) {
  DD_ASSIGN(detail::RegressorModel model, detail::decode_regressor(bytes));
  auto impl = std::make_unique<Impl>();
  static_cast<detail::RegressorModel&>(*impl) = std::move(model);
  return Regressor(std::move(impl));
}

}  // namespace datadao::ml
