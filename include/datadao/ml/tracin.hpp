// Gradient-similarity influence (TracIn, Pruthi et al., NeurIPS 2020, the "TracInCP" form) of
// each training example on a validation set, over checkpoints saved during training:
//   influence(z) = Σ_checkpoints η_t · ⟨ P·∇ℓ(w_t, z), Σ_{v ∈ valid} P·∇ℓ(w_t, v) ⟩
// where P is a random projection (d × params, entries ±1/√d drawn from a counter-based
// generator keyed by `seed`, never materialised whole when params·d is large) so that memory is
// O(batch · params + d · chunk) whatever the number of examples: per-example gradients are taken
// a batch at a time (ml's per_example_gradients) and reduced to d numbers before the next batch.
// Positive influence = the example's gradient pointed the way that lowered the validation loss
// (a proponent); noise and mislabelled examples come out negative.
//
// Plain types only (libtorch stays inside src/ml/tracin.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ml/regressor.hpp"

namespace datadao::ml {

struct TracInOptions {
  uint32_t projection_dim = 256;  // d; 0 = no projection (exact gradient dot products)
  uint64_t seed = 1;
  uint32_t batch = 256;  // examples per per-example-gradient pass
};

// One checkpoint: Regressor::save() bytes at some step and the learning rate used after it.
struct TracInCheckpoint {
  crypto::Bytes weights;
  double learning_rate = 0;
};

struct TracInResult {
  std::vector<double> influence;  // one per training example, in order
  size_t checkpoints = 0;
  size_t parameters = 0;            // gradient length before projection
  size_t peak_gradient_floats = 0;  // largest per-batch gradient buffer held (memory bound)
};

// kInvalidArgument for no checkpoints, empty train or valid sets, feature width different from
// the checkpoints' model, or a checkpoint that does not load.
Result<TracInResult> tracin_regressor(const std::vector<TracInCheckpoint>& checkpoints,
                                      const TabularDataset& train, const TabularDataset& valid,
                                      const TracInOptions& options);

}  // namespace datadao::ml
