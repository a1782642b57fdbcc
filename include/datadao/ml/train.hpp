// Training configuration and reports shared by every model in src/ml. Plain types: no libtorch
// here (libtorch headers stay inside src/ml/*.cpp so that including this is cheap).
//
// Every trainer:
//   - splits the examples deterministically (by seed) into a training set and a held-out set of
//     `holdout_fraction` (at least one example each when there are two or more);
//   - samples each step's batch by Poisson sampling: every training example is in the batch
//     independently with probability q = batch_size / n_train (what the RDP accountant assumes);
//   - with dp.enabled: clips each example's gradient to dp.max_grad_norm (L2 over all parameters),
//     sums, adds N(0, (σ · max_grad_norm)²) noise per coordinate, divides by the EXPECTED batch
//     size (q · n_train), and steps; the accountant (privacy/rdp.hpp) is advanced each step and
//     training stops BEFORE a step that would take ε above dp.target_epsilon at dp.delta;
//   - calls `progress` every `progress_every` steps and at the end; returning false stops early;
//   - with a checkpoint_path, saves (weights, optimizer, step, accountant, RNG state) every
//     checkpoint_every steps (write to a temp file, then rename), and on start resumes from an
//     existing checkpoint whose config and data fingerprint match (else kFailedPrecondition).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace datadao::ml {

struct DpConfig {
  bool enabled = false;
  double noise_multiplier = 1.0;  // σ
  double max_grad_norm = 1.0;     // C
  double target_epsilon = 0;      // stop before exceeding it; 0 = no budget (DP still applied)
  double delta = 1e-5;
};

struct TrainConfig {
  uint64_t steps = 200;         // upper bound; a DP budget may stop earlier
  uint32_t batch_size = 32;     // expected batch size (Poisson)
  double learning_rate = 1e-3;  // Adam
  uint64_t seed = 1;
  double holdout_fraction = 0.1;
  DpConfig dp;
  std::string checkpoint_path;  // empty = no checkpoints
  uint64_t checkpoint_every = 50;
  uint64_t progress_every = 10;
  int threads = 0;  // 0 = libtorch's default
  // TracIn checkpoints (tracin.hpp): keep the serialised model every `snapshot_every` steps and
  // after the last one (0 = none). Only trainers that document it honour it (Regressor).
  uint64_t snapshot_every = 0;
};

struct Progress {
  uint64_t step = 0;
  uint64_t total_steps = 0;
  double loss = 0;         // mean training loss of the last step's batch
  double epsilon = 0;      // ε spent so far (0 without DP)
  double eta_seconds = 0;  // estimated time to finish
};
// Return false to stop training after this step.
using ProgressFn = std::function<bool(const Progress&)>;

struct TrainReport {
  uint64_t steps = 0;              // steps actually taken (resumed ones included)
  uint64_t resumed_from = 0;       // step the run resumed from (0 = fresh)
  bool stopped_by_budget = false;  // the next step would have exceeded dp.target_epsilon
  double epsilon = 0;              // ε spent at dp.delta (0 without DP)
  double train_loss = 0;           // last step's batch loss
  double holdout_loss = 0;         // on the held-out split (cross-entropy / MSE)
  double baseline_loss = 0;        // the model's baseline on the same split (see each model)
  uint64_t train_examples = 0;
  uint64_t holdout_examples = 0;
  double seconds = 0;
  std::map<std::string, double> metrics;  // model-specific extras (e.g. "holdout_mae")
  // Rows of the caller's dataset held out (validation split), ascending; the rest trained.
  std::vector<size_t> holdout_rows;
  // With config.snapshot_every: the serialised model (the trainer's save() format) at those
  // steps, oldest first, each with the learning rate used.
  std::vector<std::pair<std::vector<uint8_t>, double>> snapshots;
};

}  // namespace datadao::ml
