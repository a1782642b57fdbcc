#include "dp_sgd.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "datadao/privacy/rdp.hpp"
#include "datadao/store/file.hpp"

namespace datadao::ml::detail {
namespace {

using torch::Tensor;

// ---- helpers for the layers -------------------------------------------------------------------

// [B, T, d] (or [B, T] when d == 0) views of each tensor, concatenated along T.
Tensor join(const std::vector<Tensor>& parts, int64_t last_dim) {
  if (parts.empty()) throw std::logic_error("DP layer: no captured forward");
  const int64_t b = parts.front().size(0);
  std::vector<Tensor> flat;
  flat.reserve(parts.size());
  for (const Tensor& p : parts) {
    if (p.size(0) != b) throw std::logic_error("DP layer: uses with different batch sizes");
    flat.push_back(last_dim == 0 ? p.reshape({b, -1}) : p.reshape({b, -1, last_dim}));
  }
  return flat.size() == 1 ? flat.front() : torch::cat(flat, 1);
}

bool trainable(const Tensor& t) { return t.defined() && t.requires_grad(); }

void add_grad(Tensor& param, const Tensor& g) {
  if (!param.mutable_grad().defined()) {
    param.mutable_grad() = g.detach().clone();
  } else {
    param.mutable_grad().add_(g);
  }
}

// Squared Frobenius norm of each example's G_nᵀ X_n, with G [B, T, o], X [B, T, i]. Uses the ghost
// identity <X Xᵀ, G Gᵀ> when its cost (T² (i + o)) is below materialising (T i o).
Tensor linear_sq_norms(const Tensor& g, const Tensor& x) {
  const int64_t t = g.size(1), o = g.size(2), i = x.size(2);
  if (t == 1) {
    return g.pow(2).sum({1, 2}) * x.pow(2).sum({1, 2});
  }
  if (t * (i + o) < i * o) {
    Tensor xx = torch::bmm(x, x.transpose(1, 2));
    Tensor gg = torch::bmm(g, g.transpose(1, 2));
    return (xx * gg).sum({1, 2});
  }
  return torch::bmm(g.transpose(1, 2), x).pow(2).sum({1, 2});
}

// ---- seeds and generators ---------------------------------------------------------------------

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

at::Generator step_generator(uint64_t seed, uint64_t step, uint64_t stream) {
  return at::detail::createCPUGenerator(splitmix64(splitmix64(seed ^ stream) ^ step));
}

constexpr uint64_t kSampleStream = 0x73616d706c65ull;  // "sample"
constexpr uint64_t kNoiseStream = 0x6e6f697365ull;     // "noise"

// ---- capture ----------------------------------------------------------------------------------

// Capture on for the layers while alive; clears what they kept when it ends.
class CaptureScope {
 public:
  explicit CaptureScope(const std::vector<DpLayer*>& layers) : layers_(layers) {
    for (DpLayer* l : layers_) l->set_capture(true);
  }
  ~CaptureScope() {
    for (DpLayer* l : layers_) {
      l->set_capture(false);
      l->clear_capture();
    }
  }
  CaptureScope(const CaptureScope&) = delete;
  CaptureScope& operator=(const CaptureScope&) = delete;

 private:
  const std::vector<DpLayer*>& layers_;
};

// Runs the forward, checks the losses and hands every layer the gradient of sum(losses) with
// respect to each of its captured outputs. Returns the detached losses.
Result<Tensor> forward_and_capture(const std::vector<DpLayer*>& layers,
                                   const std::function<Tensor()>& losses_fn) {
  Tensor losses = losses_fn();
  if (!losses.defined() || losses.dim() != 1 || losses.size(0) == 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "per-example losses must be a non-empty 1-D tensor [B]");
  }
  std::vector<Tensor> outputs;
  for (DpLayer* l : layers) {
    for (const Tensor& o : l->captured_outputs()) outputs.push_back(o);
  }
  if (outputs.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "no DP layer took part in the forward pass");
  }
  std::vector<Tensor> grads = torch::autograd::grad({losses.sum()}, outputs, {},
                                                    /*retain_graph=*/false,
                                                    /*create_graph=*/false, /*allow_unused=*/true);
  size_t k = 0;
  for (DpLayer* l : layers) {
    std::vector<Tensor> mine;
    for (const Tensor& o : l->captured_outputs()) {
      Tensor g = grads[k++];
      mine.push_back(g.defined() ? g : torch::zeros_like(o));
    }
    l->set_output_grads(std::move(mine));
  }
  const int64_t b = losses.size(0);
  for (DpLayer* l : layers) {
    for (const Tensor& o : l->captured_outputs()) {
      if (o.size(0) != b) {
        return make_error(ErrorCode::kInvalidArgument,
                          "a DP layer saw a batch of " + std::to_string(o.size(0)) +
                              " but the losses have " + std::to_string(b));
      }
    }
  }
  return losses.detach();
}

std::vector<Tensor> trainable_parameters(torch::nn::Module& model) {
  std::vector<Tensor> out;
  for (const Tensor& p : model.parameters()) {
    if (p.requires_grad()) out.push_back(p);
  }
  return out;
}

// ---- checkpoints ------------------------------------------------------------------------------

std::string config_key(const TrainConfig& c) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "batch=%u lr=%.17g seed=%llu holdout=%.17g dp=%d sigma=%.17g C=%.17g "
                "target=%.17g delta=%.17g",
                c.batch_size, c.learning_rate, static_cast<unsigned long long>(c.seed),
                c.holdout_fraction, c.dp.enabled ? 1 : 0, c.dp.noise_multiplier, c.dp.max_grad_norm,
                c.dp.target_epsilon, c.dp.delta);
  return buf;
}

Status save_checkpoint(const std::string& path, torch::nn::Module& model,
                       torch::optim::Optimizer& optimizer, uint64_t step, double train_loss,
                       const std::string& fingerprint, const std::string& key) {
  torch::serialize::OutputArchive archive;
  archive.write("fingerprint", c10::IValue(fingerprint));
  archive.write("config", c10::IValue(key));
  archive.write("step", c10::IValue(static_cast<int64_t>(step)));
  archive.write("train_loss", c10::IValue(train_loss));
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  std::ostringstream out;
  archive.save_to(out);
  return store::write_file_atomic(path, out.str(), store::WriteOptions{}, "checkpoint " + path);
}

struct Resumed {
  uint64_t step = 0;
  double train_loss = 0;
};

Result<Resumed> load_checkpoint(const std::string& path, torch::nn::Module& model,
                                torch::optim::Optimizer& optimizer, const std::string& fingerprint,
                                const std::string& key) {
  torch::serialize::InputArchive archive;
  c10::IValue fp, cfg, step, loss;
  try {
    archive.load_from(path);
    archive.read("fingerprint", fp);
    archive.read("config", cfg);
    archive.read("step", step);
    archive.read("train_loss", loss);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kCorruption, "checkpoint " + path + ": unreadable");
  }
  if (!fp.isString() || fp.toStringRef() != fingerprint) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "checkpoint " + path + " was made from other data or another model");
  }
  if (!cfg.isString() || cfg.toStringRef() != key) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "checkpoint " + path + " was made with another training config (" +
                          (cfg.isString() ? cfg.toStringRef() : std::string("?")) + ")");
  }
  try {
    torch::serialize::InputArchive model_archive, optimizer_archive;
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model.load(model_archive);
    optimizer.load(optimizer_archive);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kCorruption, "checkpoint " + path +
                                                  ": model or optimizer state "
                                                  "does not fit this model");
  }
  if (!step.isInt() || step.toInt() < 0 || !loss.isDouble()) {
    return make_error(ErrorCode::kCorruption, "checkpoint " + path + ": bad step");
  }
  return Resumed{static_cast<uint64_t>(step.toInt()), loss.toDouble()};
}

double epsilon_after(double q, double sigma, uint64_t steps, double delta) {
  if (steps == 0) return 0;
  const auto& orders = privacy::default_rdp_orders();
  auto eps = privacy::rdp_to_epsilon(orders, privacy::compute_rdp(q, sigma, steps, orders), delta);
  return eps.ok() ? eps->epsilon : std::numeric_limits<double>::infinity();
}

Status validate(const TrainConfig& c, int64_t n_train) {
  if (n_train < 1) return make_error(ErrorCode::kInvalidArgument, "no training examples");
  if (c.batch_size == 0) return make_error(ErrorCode::kInvalidArgument, "batch_size must be >= 1");
  if (!(c.learning_rate > 0) || !std::isfinite(c.learning_rate)) {
    return make_error(ErrorCode::kInvalidArgument, "learning_rate must be > 0");
  }
  if (c.dp.enabled) {
    if (!(c.dp.noise_multiplier >= 0) || !std::isfinite(c.dp.noise_multiplier)) {
      return make_error(ErrorCode::kInvalidArgument, "dp noise_multiplier must be >= 0");
    }
    if (!(c.dp.max_grad_norm > 0) || !std::isfinite(c.dp.max_grad_norm)) {
      return make_error(ErrorCode::kInvalidArgument, "dp max_grad_norm must be > 0");
    }
    if (!(c.dp.delta > 0 && c.dp.delta < 1)) {
      return make_error(ErrorCode::kInvalidArgument, "dp delta must be in (0, 1)");
    }
    if (!(c.dp.target_epsilon >= 0)) {
      return make_error(ErrorCode::kInvalidArgument, "dp target_epsilon must be >= 0");
    }
  }
  return Status::Ok();
}

}  // namespace

// ---- DpLayer ----------------------------------------------------------------------------------

void DpLayer::set_capture(bool on) { capturing_ = on; }

void DpLayer::clear_capture() {
  inputs_.clear();
  outputs_.clear();
  output_grads_.clear();
}

void DpLayer::capture(const Tensor& input, const Tensor& output) {
  if (capturing_ && output.requires_grad() && torch::GradMode::is_enabled()) {
    inputs_.push_back(input.detach());
    outputs_.push_back(output);
  }
}

Tensor DpLayer::joined_inputs(int64_t last_dim) const { return join(inputs_, last_dim); }
Tensor DpLayer::joined_output_grads(int64_t last_dim) const {
  return join(output_grads_, last_dim);
}

// ---- DpLinear ---------------------------------------------------------------------------------

DpLinearImpl::DpLinearImpl(int64_t in, int64_t out, bool with_bias) : in_(in), out_(out) {
  weight = register_parameter("weight", torch::empty({out, in}));
  if (with_bias) bias = register_parameter("bias", torch::empty({out}));
  reset_parameters(c10::nullopt);
}

Tensor DpLinearImpl::forward(const Tensor& x) {
  Tensor y = torch::linear(x, weight, bias);
  capture(x, y);
  return y;
}

std::vector<Tensor> DpLinearImpl::dp_parameters() const {
  std::vector<Tensor> out{weight};
  if (bias.defined()) out.push_back(bias);
  return out;
}

void DpLinearImpl::reset_parameters(c10::optional<at::Generator> gen) {
  // nn::Linear: kaiming_uniform(a = sqrt(5)) reduces to U(-1/sqrt(in), 1/sqrt(in)); bias alike.
  torch::NoGradGuard no_grad;
  const double bound = in_ > 0 ? 1.0 / std::sqrt(static_cast<double>(in_)) : 0.0;
  weight.uniform_(-bound, bound, gen);
  if (bias.defined()) bias.uniform_(-bound, bound, gen);
}

Tensor DpLinearImpl::per_example_sq_norms() {
  Tensor x = joined_inputs(in_), g = joined_output_grads(out_);
  Tensor sq = torch::zeros({g.size(0)}, g.options());
  if (trainable(weight)) sq = sq + linear_sq_norms(g, x);
  if (trainable(bias)) sq = sq + g.sum(1).pow(2).sum(1);
  return sq;
}

void DpLinearImpl::accumulate_clipped(const Tensor& coef) {
  Tensor x = joined_inputs(in_), g = joined_output_grads(out_);
  Tensor gc = g * coef.to(g.dtype()).view({-1, 1, 1});
  if (trainable(weight)) add_grad(weight, gc.reshape({-1, out_}).t().mm(x.reshape({-1, in_})));
  if (trainable(bias)) add_grad(bias, gc.sum(at::IntArrayRef{0, 1}));
}

std::vector<Tensor> DpLinearImpl::per_example_grads() {
  Tensor x = joined_inputs(in_), g = joined_output_grads(out_);
  std::vector<Tensor> out;
  out.push_back(trainable(weight) ? torch::bmm(g.transpose(1, 2), x) : Tensor());
  if (bias.defined()) out.push_back(trainable(bias) ? g.sum(1) : Tensor());
  return out;
}

// ---- DpEmbedding ------------------------------------------------------------------------------

DpEmbeddingImpl::DpEmbeddingImpl(int64_t count, int64_t dim) : count_(count), dim_(dim) {
  weight = register_parameter("weight", torch::empty({count, dim}));
  reset_parameters(c10::nullopt);
}

Tensor DpEmbeddingImpl::forward(const Tensor& indices) {
  Tensor y = torch::embedding(weight, indices);
  capture(indices, y);
  return y;
}

std::vector<Tensor> DpEmbeddingImpl::dp_parameters() const { return {weight}; }

void DpEmbeddingImpl::reset_parameters(c10::optional<at::Generator> gen) {
  torch::NoGradGuard no_grad;
  weight.normal_(0, 1, gen);
}

Tensor DpEmbeddingImpl::per_example_sq_norms() {
  Tensor idx = joined_inputs(0), g = joined_output_grads(dim_);
  if (!trainable(weight)) return torch::zeros({g.size(0)}, g.options());
  // Rows of the same token add up: ||grad_n||² = sum over positions t, s with equal tokens of
  // <g_t, g_s>.
  Tensor same = (idx.unsqueeze(2) == idx.unsqueeze(1)).to(g.dtype());
  return (torch::bmm(g, g.transpose(1, 2)) * same).sum({1, 2});
}

void DpEmbeddingImpl::accumulate_clipped(const Tensor& coef) {
  if (!trainable(weight)) return;
  Tensor idx = joined_inputs(0), g = joined_output_grads(dim_);
  Tensor gc = (g * coef.to(g.dtype()).view({-1, 1, 1})).reshape({-1, dim_});
  add_grad(weight, torch::zeros_like(weight).index_add_(0, idx.reshape({-1}), gc));
}

std::vector<Tensor> DpEmbeddingImpl::per_example_grads() {
  if (!trainable(weight)) return {Tensor()};
  Tensor idx = joined_inputs(0), g = joined_output_grads(dim_);
  const int64_t b = g.size(0);
  Tensor out = torch::zeros({b, count_, dim_}, g.options());
  out.scatter_add_(1, idx.unsqueeze(2).expand({b, idx.size(1), dim_}), g);
  return {out};
}

// ---- DpLayerNorm ------------------------------------------------------------------------------

DpLayerNormImpl::DpLayerNormImpl(int64_t dim, double eps) : dim_(dim), eps_(eps) {
  weight = register_parameter("weight", torch::ones({dim}));
  bias = register_parameter("bias", torch::zeros({dim}));
}

Tensor DpLayerNormImpl::forward(const Tensor& x) {
  Tensor y = torch::layer_norm(x, {dim_}, weight, bias, eps_);
  capture(x, y);
  return y;
}

std::vector<Tensor> DpLayerNormImpl::dp_parameters() const { return {weight, bias}; }

void DpLayerNormImpl::reset_parameters(c10::optional<at::Generator>) {
  torch::NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
}

namespace {
// Per-example (weight, bias) gradients of a layer norm: sum over tokens of g ⊙ x̂ and of g.
std::pair<Tensor, Tensor> layer_norm_grads(const Tensor& x, const Tensor& g, int64_t dim,
                                           double eps) {
  Tensor normalised = torch::layer_norm(x, {dim}, {}, {}, eps);
  return {(g * normalised).sum(1), g.sum(1)};
}
}  // namespace

Tensor DpLayerNormImpl::per_example_sq_norms() {
  auto [gw, gb] = layer_norm_grads(joined_inputs(dim_), joined_output_grads(dim_), dim_, eps_);
  Tensor sq = torch::zeros({gw.size(0)}, gw.options());
  if (trainable(weight)) sq = sq + gw.pow(2).sum(1);
  if (trainable(bias)) sq = sq + gb.pow(2).sum(1);
  return sq;
}

void DpLayerNormImpl::accumulate_clipped(const Tensor& coef) {
  auto [gw, gb] = layer_norm_grads(joined_inputs(dim_), joined_output_grads(dim_), dim_, eps_);
  Tensor c = coef.to(gw.dtype()).view({-1, 1});
  if (trainable(weight)) add_grad(weight, (gw * c).sum(0));
  if (trainable(bias)) add_grad(bias, (gb * c).sum(0));
}

std::vector<Tensor> DpLayerNormImpl::per_example_grads() {
  auto [gw, gb] = layer_norm_grads(joined_inputs(dim_), joined_output_grads(dim_), dim_, eps_);
  return {trainable(weight) ? gw : Tensor(), trainable(bias) ? gb : Tensor()};
}

// ---- engine -----------------------------------------------------------------------------------

Result<std::vector<DpLayer*>> dp_layers(torch::nn::Module& model) {
  std::vector<DpLayer*> layers;
  if (auto* self = dynamic_cast<DpLayer*>(&model)) layers.push_back(self);
  for (const auto& m : model.modules(/*include_self=*/false)) {
    if (auto* l = dynamic_cast<DpLayer*>(m.get())) layers.push_back(l);
  }
  std::unordered_set<const void*> owned;
  for (DpLayer* l : layers) {
    for (const Tensor& p : l->dp_parameters()) owned.insert(p.unsafeGetTensorImpl());
  }
  for (const auto& item : model.named_parameters(/*recurse=*/true)) {
    if (item.value().requires_grad() && !owned.count(item.value().unsafeGetTensorImpl())) {
      return make_error(ErrorCode::kInvalidArgument,
                        "parameter '" + item.key() +
                            "' is not in a DP layer (use DpLinear, DpEmbedding, DpLayerNorm): "
                            "DP-SGD cannot clip its per-example gradients");
    }
  }
  return layers;
}

Result<std::vector<Tensor>> per_example_gradients(torch::nn::Module& model,
                                                  const std::function<Tensor()>& losses_fn) {
  auto layers = dp_layers(model);
  if (!layers.ok()) return layers.error();
  CaptureScope scope(*layers);
  auto losses = forward_and_capture(*layers, losses_fn);
  if (!losses.ok()) return losses.error();
  std::unordered_map<const void*, Tensor> by_param;
  for (DpLayer* l : *layers) {
    std::vector<Tensor> params = l->dp_parameters();
    std::vector<Tensor> grads = l->per_example_grads();
    for (size_t i = 0; i < params.size() && i < grads.size(); ++i) {
      if (grads[i].defined()) by_param[params[i].unsafeGetTensorImpl()] = grads[i];
    }
  }
  std::vector<Tensor> out;
  for (const Tensor& p : trainable_parameters(model)) {
    auto it = by_param.find(p.unsafeGetTensorImpl());
    out.push_back(it != by_param.end() ? it->second
                                       : torch::zeros(
                                             [&] {
                                               std::vector<int64_t> s{losses->size(0)};
                                               for (int64_t d : p.sizes()) s.push_back(d);
                                               return s;
                                             }(),
                                             p.options().requires_grad(false)));
  }
  return out;
}

Result<ClippedStep> clipped_gradient_sum(torch::nn::Module& model,
                                         const std::function<Tensor()>& losses_fn,
                                         double max_grad_norm) {
  auto layers = dp_layers(model);
  if (!layers.ok()) return layers.error();
  CaptureScope scope(*layers);
  auto losses = forward_and_capture(*layers, losses_fn);
  if (!losses.ok()) return losses.error();
  torch::NoGradGuard no_grad;
  Tensor sq = torch::zeros({losses->size(0)}, torch::kDouble);
  for (DpLayer* l : *layers) {
    if (!l->captured_outputs().empty()) sq += l->per_example_sq_norms().to(torch::kDouble);
  }
  Tensor norms = sq.sqrt();
  Tensor coef = (max_grad_norm / (norms + 1e-6)).clamp_max(1.0);
  for (Tensor& p : trainable_parameters(model)) {
    if (p.mutable_grad().defined()) {
      p.mutable_grad().zero_();
    } else {
      p.mutable_grad() = torch::zeros_like(p);
    }
  }
  for (DpLayer* l : *layers) {
    if (!l->captured_outputs().empty()) l->accumulate_clipped(coef);
  }
  return ClippedStep{*losses, norms};
}

Tensor poisson_batch(uint64_t seed, uint64_t step, int64_t n, double q) {
  at::Generator gen = step_generator(seed, step, kSampleStream);
  Tensor u = torch::rand({n}, gen, torch::kDouble);
  return torch::nonzero(u < q).reshape({-1});
}

Result<TrainReport> train_loop(torch::nn::Module& model, int64_t n_train,
                               const std::function<Tensor(const Tensor& indices)>& per_example_loss,
                               const TrainConfig& config, const ProgressFn& progress,
                               const std::string& fingerprint,
                               const std::function<void(uint64_t step)>& after_step) {
  if (Status s = validate(config, n_train); !s.ok()) return s.error();
  if (config.threads > 0) torch::set_num_threads(config.threads);
  const auto started = std::chrono::steady_clock::now();
  const bool dp = config.dp.enabled;
  const double q = std::min(1.0, static_cast<double>(config.batch_size) / n_train);
  const double sigma = config.dp.noise_multiplier, clip = config.dp.max_grad_norm;
  if (dp) {
    auto layers = dp_layers(model);
    if (!layers.ok()) return layers.error();
  }
  // The accountant's state is a function of the step count (q and σ are fixed for a run), so the
  // budget becomes a step limit computed once.
  uint64_t last_step = config.steps;
  if (dp && config.dp.target_epsilon > 0) {
    last_step = privacy::max_steps_within(q, sigma, config.dp.delta, config.dp.target_epsilon,
                                          config.steps);
  }

  std::vector<Tensor> params = trainable_parameters(model);
  if (params.empty()) return make_error(ErrorCode::kInvalidArgument, "model has no parameters");
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(config.learning_rate));

  TrainReport report;
  report.train_examples = static_cast<uint64_t>(n_train);
  const std::string key = config_key(config);
  uint64_t step = 0;
  if (!config.checkpoint_path.empty() && std::filesystem::exists(config.checkpoint_path)) {
    auto resumed = load_checkpoint(config.checkpoint_path, model, optimizer, fingerprint, key);
    if (!resumed.ok()) return resumed.error();
    step = resumed->step;
    report.resumed_from = step;
    report.train_loss = resumed->train_loss;
  }
  const uint64_t first_step = step;

  try {
    model.train();
    while (step < config.steps) {
      if (step >= last_step) {
        report.stopped_by_budget = true;
        break;
      }
      Tensor indices = poisson_batch(config.seed, step, n_train, q);
      optimizer.zero_grad();
      const bool empty = indices.size(0) == 0;
      if (!empty) {
        if (dp) {
          auto clipped = clipped_gradient_sum(
              model, [&] { return per_example_loss(indices); }, clip);
          if (!clipped.ok()) return clipped.error();
          report.train_loss = clipped->losses.mean().item<double>();
        } else {
          Tensor losses = per_example_loss(indices);
          if (losses.dim() != 1 || losses.size(0) != indices.size(0)) {
            return make_error(ErrorCode::kInvalidArgument,
                              "per-example losses must have one value per sampled index");
          }
          Tensor loss = losses.mean();
          loss.backward();
          report.train_loss = loss.item<double>();
        }
      }
      if (dp) {
        torch::NoGradGuard no_grad;
        at::Generator gen = step_generator(config.seed, step, kNoiseStream);
        const double denominator = q * static_cast<double>(n_train);
        for (Tensor& p : params) {
          if (!p.mutable_grad().defined()) p.mutable_grad() = torch::zeros_like(p);
          Tensor noise = torch::randn(p.sizes(), gen, p.options().requires_grad(false));
          p.mutable_grad().add_(noise, sigma * clip).div_(denominator);
        }
      }
      if (dp || !empty) optimizer.step();
      ++step;
      if (after_step) after_step(step);

      const bool last = step == config.steps || step == last_step;
      const bool report_now =
          (config.progress_every > 0 && step % config.progress_every == 0) || last;
      if (progress && report_now) {
        Progress p;
        p.step = step;
        p.total_steps = std::min(config.steps, last_step);
        p.loss = report.train_loss;
        p.epsilon = dp ? epsilon_after(q, sigma, step, config.dp.delta) : 0;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        p.eta_seconds = elapsed / static_cast<double>(step - first_step) *
                        static_cast<double>(p.total_steps - step);
        if (!progress(p)) {
          if (!config.checkpoint_path.empty()) {
            if (Status s = save_checkpoint(config.checkpoint_path, model, optimizer, step,
                                           report.train_loss, fingerprint, key);
                !s.ok()) {
              return s.error();
            }
          }
          break;
        }
      }
      if (!config.checkpoint_path.empty() &&
          ((config.checkpoint_every > 0 && step % config.checkpoint_every == 0) || last)) {
        if (Status s = save_checkpoint(config.checkpoint_path, model, optimizer, step,
                                       report.train_loss, fingerprint, key);
            !s.ok()) {
          return s.error();
        }
      }
    }
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal,
                      "training step " + std::to_string(step) + ": " + std::string(e.what()));
  }
  // A resumed run that had already reached the budget stops at once: still say so.
  if (dp && step >= last_step && last_step < config.steps) report.stopped_by_budget = true;
  report.steps = step;
  report.epsilon = dp ? epsilon_after(q, sigma, step, config.dp.delta) : 0;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace datadao::ml::detail
