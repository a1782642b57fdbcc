// The tabular regressor (regressor.hpp): an MLP of DpLinear layers trained by detail::train_loop.
#include "datadao/ml/regressor.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <sstream>

#include "datadao/codec/codec.hpp"
#include "dp_sgd.hpp"

namespace datadao::ml {
namespace {

constexpr char kMagic[4] = {'D', 'D', 'R', 'G'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint32_t kMaxHidden = 4096;
constexpr uint32_t kMaxLayers = 8;
constexpr uint32_t kMaxFeatures = 4096;
constexpr size_t kMaxFeatureNameBytes = 256;
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

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t in, const RegressorSpec& spec) {
    int64_t width = in;
    for (uint32_t i = 0; i < spec.layers; ++i) {
      layers_.push_back(
          register_module("hidden" + std::to_string(i),
                          detail::DpLinear(width, static_cast<int64_t>(spec.hidden))));
      width = spec.hidden;
    }
    layers_.push_back(register_module("out", detail::DpLinear(width, 1)));
  }
  torch::Tensor forward(torch::Tensor x) {
    for (size_t i = 0; i < layers_.size(); ++i) {
      x = layers_[i]->forward(x);
      if (i + 1 < layers_.size()) x = torch::relu(x);
    }
    return x.squeeze(1);
  }
  const std::vector<detail::DpLinear>& layers() const { return layers_; }

 private:
  std::vector<detail::DpLinear> layers_;
};
TORCH_MODULE(Mlp);

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
struct Regressor::Impl {
  RegressorSpec spec;
  std::vector<std::string> feature_names;
  torch::Tensor feature_mean;  // [F] float
  torch::Tensor feature_std;   // [F] float
  float target_mean = 0;
  float target_std = 1;
  std::vector<torch::Tensor> weights;  // [out, in] per layer, the last one [1, hidden]
  std::vector<torch::Tensor> biases;   // [out]

  // x: [B, F] raw features -> [B] predictions in target units.
  torch::Tensor forward(const torch::Tensor& x) const {
    torch::NoGradGuard no_grad;
    torch::Tensor h = (x - feature_mean) / feature_std;
    for (size_t i = 0; i < weights.size(); ++i) {
      h = torch::linear(h, weights[i], biases[i]);
      if (i + 1 < weights.size()) h = torch::relu(h);
    }
    return h.squeeze(1) * target_std + target_mean;
  }
};

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

  Mlp model(width, spec);
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
  DD_ASSIGN(TrainReport result,
            detail::train_loop(*model, static_cast<int64_t>(split.train.size()), per_example_loss,
                               config, scaled_progress, fingerprint));
  result.train_loss *= loss_scale;

  for (const detail::DpLinear& layer : model->layers()) {
    impl->weights.push_back(layer->weight.detach().clone());
    impl->biases.push_back(layer->bias.detach().clone());
  }

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

// Format (codec rules: little-endian, u32-length-prefixed strings):
//   "DDRG" u32 version, u32 hidden, u32 layers, u32 features, feature names,
//   f32 mean and f32 std per feature, f32 target mean, f32 target std,
//   per linear layer f32 weights (row-major [out, in]) then f32 biases,
//   blake2b-256 of everything before it.
crypto::Bytes Regressor::save() const {
  const Impl& m = *impl_;
  codec::Writer w;
  w.fixed(crypto::ByteView(reinterpret_cast<const uint8_t*>(kMagic), sizeof(kMagic)));
  w.u32(kFormatVersion).u32(m.spec.hidden).u32(m.spec.layers);
  w.u32(static_cast<uint32_t>(m.feature_names.size()));
  for (const std::string& name : m.feature_names) w.str(name);
  auto put = [&](const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous();
    const float* p = c.data_ptr<float>();
    for (int64_t i = 0; i < c.numel(); ++i) w.u32(f32_bits(p[i]));
  };
  put(m.feature_mean);
  put(m.feature_std);
  w.u32(f32_bits(m.target_mean)).u32(f32_bits(m.target_std));
  for (size_t i = 0; i < m.weights.size(); ++i) {
    put(m.weights[i]);
    put(m.biases[i]);
  }
  const crypto::Hash32 digest = crypto::blake2b256(w.data());
  w.fixed(digest);
  return w.take();
}

Result<Regressor> Regressor::load(crypto::ByteView bytes) {
  auto corrupt = [](const std::string& why) {
    return make_error(ErrorCode::kCorruption, "regressor weights: " + why);
  };
  if (bytes.size() < sizeof(kMagic) + crypto::kHashBytes ||
      !std::equal(kMagic, kMagic + sizeof(kMagic), bytes.begin())) {
    return corrupt("not a regressor (bad magic)");
  }
  const crypto::ByteView body = bytes.first(bytes.size() - crypto::kHashBytes);
  const crypto::Hash32 digest = crypto::blake2b256(body);
  if (!std::equal(digest.begin(), digest.end(), bytes.end() - crypto::kHashBytes)) {
    return corrupt("checksum mismatch");
  }

  codec::Reader r(body.subspan(sizeof(kMagic)), "regressor weights");
  const uint32_t version = r.u32("version");
  if (r.ok() && version != kFormatVersion) {
    return corrupt("format version " + std::to_string(version) + ", this build reads " +
                   std::to_string(kFormatVersion));
  }
  auto impl = std::make_unique<Impl>();
  impl->spec.hidden = r.u32("hidden");
  impl->spec.layers = r.u32("layers");
  const uint32_t width = r.u32("features");
  if (!r.ok()) return r.error();
  if (impl->spec.hidden < 1 || impl->spec.hidden > kMaxHidden || impl->spec.layers < 1 ||
      impl->spec.layers > kMaxLayers || width < 1 || width > kMaxFeatures) {
    return corrupt("shape out of range (hidden " + std::to_string(impl->spec.hidden) + ", layers " +
                   std::to_string(impl->spec.layers) + ", features " + std::to_string(width) + ")");
  }
  for (uint32_t f = 0; f < width && r.ok(); ++f) {
    impl->feature_names.push_back(r.str("feature name", kMaxFeatureNameBytes));
  }
  if (!r.ok()) return r.error();

  // Layer shapes follow from the header; the rest of the input must hold exactly their floats,
  // checked before anything is allocated.
  std::vector<std::pair<int64_t, int64_t>> shapes;  // (out, in)
  int64_t in = width;
  for (uint32_t i = 0; i < impl->spec.layers; ++i) {
    shapes.emplace_back(impl->spec.hidden, in);
    in = impl->spec.hidden;
  }
  shapes.emplace_back(1, in);
  uint64_t floats = 2ull * width + 2;
  for (auto [o, i] : shapes) floats += static_cast<uint64_t>(o) * (i + 1);
  if (r.remaining() != floats * 4) {
    return corrupt(std::to_string(r.remaining()) + " bytes of parameters, the shape needs " +
                   std::to_string(floats * 4));
  }
  bool finite = true;
  auto take = [&](std::vector<int64_t> shape) {
    torch::Tensor t = torch::empty(shape);
    float* p = t.data_ptr<float>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      p[i] = std::bit_cast<float>(r.u32("parameter"));
      finite = finite && std::isfinite(p[i]);
    }
    return t;
  };
  impl->feature_mean = take({width});
  impl->feature_std = take({width});
  impl->target_mean = take({1})[0].item<float>();
  impl->target_std = take({1})[0].item<float>();
  for (auto [o, i] : shapes) {
    impl->weights.push_back(take({o, i}));
    impl->biases.push_back(take({o}));
  }
  DD_TRY(r.finish());
  if (!finite) return corrupt("a parameter is not finite");
  if (!(impl->feature_std > 0).all().item<bool>() || !(impl->target_std > 0)) {
    return corrupt("a standard deviation is not positive");
  }
  return Regressor(std::move(impl));
}

}  // namespace datadao::ml
