// DP-SGD engine shared by every model in src/ml (internal to the module; includes libtorch).
//
// Per-example gradients follow Opacus's approach without materialising them when it can avoid
// it: each DP layer keeps the input of its forward and the output tensor; one autograd pass
// over sum(losses) yields the gradient of every layer output, from which the layer computes
// per-example squared norms (the "ghost norm" identity ||G^T X||² = <X Xᵀ, G Gᵀ> when that is
// cheaper than materialising) and the sum of clipped per-example gradients (one matmul with the
// clip factors folded into G). A layer called several times in one forward (weight sharing) is
// handled: its uses are concatenated along the token dimension.
//
// Contract for models trained with DP: every trainable parameter belongs to a DP layer below,
// and a DP layer's parameters are used only through that layer's forward (reading .weight
// directly elsewhere would bypass clipping). Examples must be independent in the forward
// (no batch norm, no mixing across the batch dimension), and a layer's output must not be
// modified in place.
//
// Not thread-safe: a model is trained by one thread at a time.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ml/train.hpp"

namespace datadao::ml::detail {

// Base of layers whose per-example gradients the engine computes. Users only construct the
// concrete layers; the virtual methods are the engine's.
class DpLayer {
 public:
  virtual ~DpLayer() = default;

  // Parameters the layer owns, in the order per_example_grads() returns them.
  virtual std::vector<torch::Tensor> dp_parameters() const = 0;
  // Re-draws the parameters with the layer's default init from `gen` (nullopt: global RNG).
  virtual void reset_parameters(c10::optional<at::Generator> gen) = 0;

  // ---- engine side: valid after capture_output_grads() ----
  // [B] squared L2 norm of each example's gradient over the layer's trainable parameters.
  virtual torch::Tensor per_example_sq_norms() = 0;
  // Adds sum_n coef[n] * grad_n to each trainable parameter's .grad (coef: [B]).
  virtual void accumulate_clipped(const torch::Tensor& coef) = 0;
  // [B, ...shape] per trainable parameter (undefined tensor for a frozen one).
  virtual std::vector<torch::Tensor> per_example_grads() = 0;

  void set_capture(bool on);
  void clear_capture();
  const std::vector<torch::Tensor>& captured_outputs() const { return outputs_; }
  void set_output_grads(std::vector<torch::Tensor> grads) { output_grads_ = std::move(grads); }

 protected:
  // Called by forward(): remembers (input, output) while capturing and the output needs grad.
  void capture(const torch::Tensor& input, const torch::Tensor& output);
  // Inputs and output grads of all uses, each reshaped to [B, T, last-dim] and concatenated
  // along T. Output grads of uses that did not reach the loss are zeros.
  torch::Tensor joined_inputs(int64_t last_dim) const;
  torch::Tensor joined_output_grads(int64_t last_dim) const;

  bool capturing_ = false;
  std::vector<torch::Tensor> inputs_;
  std::vector<torch::Tensor> outputs_;
  std::vector<torch::Tensor> output_grads_;
};

// nn::Linear replacement that supports per-example gradients. Same init as nn::Linear.
class DpLinearImpl : public torch::nn::Module, public DpLayer {
 public:
  DpLinearImpl(int64_t in, int64_t out, bool bias = true);
  torch::Tensor forward(const torch::Tensor& x);  // x: [B, ..., in]

  std::vector<torch::Tensor> dp_parameters() const override;
  void reset_parameters(c10::optional<at::Generator> gen) override;
  torch::Tensor per_example_sq_norms() override;
  void accumulate_clipped(const torch::Tensor& coef) override;
  std::vector<torch::Tensor> per_example_grads() override;

  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out] or undefined

 private:
  int64_t in_;
  int64_t out_;
};
TORCH_MODULE(DpLinear);

// nn::Embedding replacement (no padding index, no max_norm). Init N(0, 1) like nn::Embedding.
class DpEmbeddingImpl : public torch::nn::Module, public DpLayer {
 public:
  DpEmbeddingImpl(int64_t count, int64_t dim);
  torch::Tensor forward(const torch::Tensor& indices);  // [B, ...] int64 -> [B, ..., dim]

  std::vector<torch::Tensor> dp_parameters() const override;
  void reset_parameters(c10::optional<at::Generator> gen) override;
  torch::Tensor per_example_sq_norms() override;
  void accumulate_clipped(const torch::Tensor& coef) override;
  std::vector<torch::Tensor> per_example_grads() override;

  torch::Tensor weight;  // [count, dim]

 private:
  int64_t count_;
  int64_t dim_;
};
TORCH_MODULE(DpEmbedding);

// nn::LayerNorm over the last dimension with elementwise affine (weight 1, bias 0 at init).
class DpLayerNormImpl : public torch::nn::Module, public DpLayer {
 public:
  explicit DpLayerNormImpl(int64_t dim, double eps = 1e-5);
  torch::Tensor forward(const torch::Tensor& x);  // [B, ..., dim]

  std::vector<torch::Tensor> dp_parameters() const override;
  void reset_parameters(c10::optional<at::Generator> gen) override;
  torch::Tensor per_example_sq_norms() override;
  void accumulate_clipped(const torch::Tensor& coef) override;
  std::vector<torch::Tensor> per_example_grads() override;

  torch::Tensor weight;  // [dim]
  torch::Tensor bias;    // [dim]

 private:
  int64_t dim_;
  double eps_;
};
TORCH_MODULE(DpLayerNorm);

// The DP layers of `model` (itself included). kInvalidArgument naming the first trainable
// parameter that no DP layer owns.
Result<std::vector<DpLayer*>> dp_layers(torch::nn::Module& model);

// Runs `losses_fn` (a forward of `model` returning [B] per-example losses) with capture on and
// returns, for each trainable parameter of model.parameters() in that order, its per-example
// gradients [B, ...shape]. For tests and per-example influence; training uses the clipped sum.
Result<std::vector<torch::Tensor>> per_example_gradients(
    torch::nn::Module& model, const std::function<torch::Tensor()>& losses_fn);

struct ClippedStep {
  torch::Tensor losses;  // [B], detached
  torch::Tensor norms;   // [B] per-example gradient norms before clipping
};
// Runs `losses_fn` with capture on and sets each trainable parameter's .grad to the sum over
// examples of its gradient scaled by min(1, max_grad_norm / (norm + 1e-6)) (no noise, no
// division). B must be >= 1.
Result<ClippedStep> clipped_gradient_sum(torch::nn::Module& model,
                                         const std::function<torch::Tensor()>& losses_fn,
                                         double max_grad_norm);

// Runs the shared training rules of train.hpp: Poisson sampling of indices in [0, n_train),
// per_example_loss(indices) -> [B] losses (B = number of sampled indices, may be 0: the forward
// is skipped but the step counts, and under DP the update is noise only), Adam, DP-SGD with
// per-example clipping + Gaussian noise + RDP accounting and budget stop, progress callbacks,
// checkpoints/resume (fingerprint: caller's string identifying the data + model config).
// Fills steps, resumed_from, stopped_by_budget, epsilon, train_loss, train_examples (n_train)
// and seconds; the caller fills the held-out figures.
//
// Step s draws its batch and its noise from generators seeded by (config.seed, s), so a run
// resumed from a checkpoint at step s continues exactly as the uninterrupted run would.
//
// `after_step` (optional) is called with the step count after every optimizer step, before
// progress and checkpoints; it must not touch the model's parameters or the RNGs (it may read
// the weights, e.g. to keep TracIn snapshots).
Result<TrainReport> train_loop(
    torch::nn::Module& model, int64_t n_train,
    const std::function<torch::Tensor(const torch::Tensor& indices)>& per_example_loss,
    const TrainConfig& config, const ProgressFn& progress, const std::string& fingerprint,
    const std::function<void(uint64_t step)>& after_step = {});

// The indices of step `step`'s Poisson batch (each of [0, n) with probability q), sorted.
torch::Tensor poisson_batch(uint64_t seed, uint64_t step, int64_t n, double q);

}  // namespace datadao::ml::detail
