// The pool runner: compute-to-data training for the models approved on its pools.
//
// A runner holds the wallet of one or more pools' validator (the pools' box key: it alone can
// open their refined blobs). Each round (run_once):
//   1. Standing consent policies: for every model in voting or consent that draws on a served
//      pool, it asks the node for that pool's contributions whose contributor's policy matches
//      the model and that are neither consented nor opted out (policy-candidates), and records
//      their consent with ApplyConsentPolicy (the ledger re-checks each against the policy).
//   2. Training: for every model in training whose pools are all served by this wallet (the
//      ledger makes pools[0]'s validator the only one who may publish), it
//        - lists the model's consents from the ledger (never anything else); for a cross-pool
//          model keeps only contributors (wallets) with consents in every pool, and joins their
//          records by wallet;
//        - fetches and decrypts exactly those contributions' refined blobs;
//        - builds the examples for the model's kind ("text": the texts of reddit/x records;
//          "sleep": next-night sleep score from Oura; "listening_sleep": the same with Spotify
//          listening joined by wallet), adds secret canaries to text models (the audit);
//        - trains (DP-SGD when the terms require it, stopping before the budget), reporting
//          progress to the node (signed), checkpointing under work_dir so a crash resumes;
//        - seals the weights into the vault under a fresh key shared with the developer's box
//          key only, lists the contributions used (RecordTrainingSet) and publishes
//          (PublishModel: weights hash, metrics, ε spent, steps).
//      The developer gets weights and metrics; records never leave the runner.
//
// Spec keys (the proposal's `spec`, "key=value" separated by spaces): training keys steps,
// batch, lr, noise (σ), clip (C), seed, holdout; every other key goes to the model
// (ml::parse_text_spec / ml::parse_regressor_spec), which rejects unknown ones. A model whose
// spec or data cannot be trained is reported as failed in the round and retried next round.
//
// Not thread-safe; the Backend must outlive the Runner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ml/train.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::runner {

struct RunnerOptions {
  std::string work_dir;   // checkpoints (model-<id>.ckpt); empty = no checkpoints
  uint32_t canaries = 4;  // secret canaries added to a text model's training texts
  uint32_t canary_digits = 4;
  uint32_t canary_repeats = 4;
  int threads = 0;  // libtorch threads; 0 = default
  uint32_t page_size = 500;
  // Called on every progress report (in addition to the node).
  std::function<void(uint64_t model_id, const ml::Progress&)> on_progress;
  // Test hook: called once per model with the training texts / rows count actually used.
  std::function<void(uint64_t model_id, const std::vector<std::string>& texts)> on_text_dataset;
};

struct PublishedModel {
  uint64_t model_id = 0;
  std::string kind;
  uint64_t contributions = 0;
  uint64_t contributors = 0;
  uint64_t examples = 0;
  ml::TrainReport report;
  double canary_exposure_mean = 0;  // text models (0 otherwise)
  double canary_exposure_max = 0;
  double canary_space_bits = 0;
  // Ownership (not for personal models): share units per contributor and their accounts (hex),
  // in the runner's contributor order; sums to ledger::kShareSupply.
  std::vector<uint64_t> shares;
  std::vector<std::string> share_accounts;
};

struct RoundReport {
  uint64_t policy_consents = 0;  // consents recorded from standing policies
  std::vector<PublishedModel> published;
  std::vector<std::pair<uint64_t, Error>> failed;  // model id, why (no secrets, no records)
};

class Runner {
 public:
  // `pools`: ids or names; the wallet must be each pool's validator and hold its box key.
  static Result<std::unique_ptr<Runner>> open(const wallet::Wallet& wallet,
                                              const std::string& node_url,
                                              const std::vector<std::string>& pools,
                                              vault::Backend& backend, RunnerOptions options = {});
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  Result<RoundReport> run_once();

 private:
  struct Impl;
  explicit Runner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace datadao::runner
