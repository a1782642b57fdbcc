// Models on the ledger: a developer's proposal to train a model on one or more pools, the pools'
// token-weighted approval, contributors' consent (explicit or by a standing policy), the training
// set the pool runner used, and the published model. These are the state records that the model
// transaction types (ProposeModel, ModelVote, Consent, SetConsentPolicy, ApplyConsentPolicy,
// RecordTrainingSet, PublishModel; transaction.hpp) read and write. Plain value types.
//
// Life of a model (status):
//   kVoting    ProposeModel escrows the training fee from the developer's credits. Each pool
//              named votes with its own pool tokens (ModelVote); at `vote_deadline` every pool
//              must reach its quorum_bps of its supply at proposal time with yes > no.
//              Personal models skip the vote (they start in kConsent).
//   kConsent   contributors opt specific attested contributions in (Consent), or the pool runner
//              applies their standing policies (ApplyConsentPolicy); either is revocable by the
//              contributor until `consent_deadline`. Consent may already be given in kVoting.
//   kTraining  at the end of block `consent_deadline`: if fewer than min_contributors contributors
//              consented in EVERY pool of the model, the model is kCancelled and the fee refunded;
//              otherwise consent is frozen and the runner (the validator of pools[0]) trains. It
//              lists the contributions it used (RecordTrainingSet, in chunks, each one checked to
//              be consented) and publishes (PublishModel); the fee goes to the runner.
//   kPublished weights hash, metrics, ε spent, the training set's size.
//   kRejected  the vote failed: the fee is refunded.
// A cross-pool model (2+ pools) joins records by the contributing wallet (never by a platform
// identity) and only for contributors who consented in every pool. A personal model names one
// pool, skips the vote, and only its proposer may consent (their own contributions); the proposer
// is its sole owner.
// Fractions never reach state: ε is stored in thousandths, δ in units of 1e-12, metrics in
// millionths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/crypto/crypto.hpp"

namespace datadao::ledger {

using AccountId = crypto::PublicKey;

inline constexpr size_t kMaxModelPools = 4;
inline constexpr size_t kMaxModelKindBytes = 32;     // [a-z0-9_]{1,32}: "text", "sleep", ...
inline constexpr size_t kMaxModelPurposeBytes = 32;  // [a-z0-9_]{1,32}: "research", ...
inline constexpr size_t kMaxModelDescriptionBytes = 512;
inline constexpr size_t kMaxModelFields = 16;         // which record fields it reads
inline constexpr size_t kMaxModelFieldBytes = 32;     // [a-z0-9_.]{1,32}
inline constexpr size_t kMaxModelSpecBytes = 1024;    // "key=value key=value" hyperparameters
inline constexpr size_t kMaxConsentBatch = 1024;      // contribution ids per Consent/Apply tx
inline constexpr size_t kMaxTrainingSetChunk = 4096;  // contribution ids per RecordTrainingSet
inline constexpr size_t kMaxModelMetrics = 16;
inline constexpr size_t kMaxMetricNameBytes = 32;  // [a-z0-9_]{1,32}
inline constexpr size_t kMaxPolicyPurposes = 16;
inline constexpr size_t kMaxPolicyPools = 64;
inline constexpr uint64_t kMaxConsentBlocks = 1'000'000;
inline constexpr uint64_t kEpsilonScale = 1000;                // epsilon_milli = ε × 1000
inline constexpr uint64_t kDeltaScale = 1'000'000'000'000ull;  // delta_e12 = δ × 10^12
inline constexpr int64_t kMetricScale = 1'000'000;             // metric value_micro = value × 10^6

// What a proposal asks of contributors: shown to them before anything is used, and what
// standing policies are matched against.
struct ModelTerms {
  bool dp_required = false;    // train with DP-SGD
  uint64_t epsilon_milli = 0;  // the privacy budget ε × 1000 (> 0 when dp_required)
  uint64_t delta_e12 = 0;      // δ × 10^12: 1..10^10 (1e-12 <= δ <= 0.01) when dp_required
  uint32_t min_contributors = 1;
  uint64_t price_per_call = 0;  // credits per use of the published model
  uint64_t training_fee = 0;    // credits escrowed from the developer at proposal
  uint64_t consent_blocks = 0;  // length of the consent window after approval, 1..kMaxConsentBlocks
  bool operator==(const ModelTerms&) const = default;
};

enum class ModelStatus : uint8_t {
  kVoting = 0,
  kConsent = 1,
  kTraining = 2,
  kPublished = 3,
  kRejected = 4,
  kCancelled = 5,
};
std::string_view model_status_name(ModelStatus s);  // "voting", "consent", ...

struct ModelMetric {
  std::string name;
  int64_t value_micro = 0;
  bool operator==(const ModelMetric&) const = default;
};

struct Model {
  uint64_t id = 0;
  AccountId developer{};
  crypto::PublicKey developer_box_key{};  // the weights key is sealed to it at publication
  std::vector<uint64_t> pools;            // distinct; pools[0]'s validator is the runner
  bool personal = false;
  std::string kind;
  std::string purpose;
  std::string description;
  std::vector<std::string> fields;
  std::string spec;
  ModelTerms terms;
  ModelStatus status = ModelStatus::kVoting;
  uint64_t created_height = 0;
  uint64_t vote_deadline = 0;     // last height at which ModelVote counts (0 for personal)
  uint64_t consent_deadline = 0;  // last height at which Consent counts (set at approval)
  std::vector<uint64_t> supply_at_creation;  // per pool, same order as pools
  std::vector<uint64_t> yes;                 // per pool token weight
  std::vector<uint64_t> no;
  uint64_t consents = 0;                 // consented contributions (explicit + policy), all pools
  uint64_t consenting_contributors = 0;  // contributors with a consent in every pool
  uint64_t training_set_size = 0;        // contributions listed by RecordTrainingSet
  // Set by PublishModel.
  crypto::Hash32 weights_hash{};
  uint64_t weights_size = 0;
  crypto::Bytes weights_sealed_key;  // the weights blob key sealed to developer_box_key
  uint64_t epsilon_spent_milli = 0;  // ε actually spent × 1000 (0 without DP)
  uint64_t steps = 0;
  std::vector<ModelMetric> metrics;
  uint64_t closed_height = 0;  // height of the last status change
  bool operator==(const Model&) const = default;
};

// One contribution's consent to one model.
struct ConsentRecord {
  bool by_policy = false;  // applied by the runner from the contributor's standing policy
  uint64_t height = 0;
  bool operator==(const ConsentRecord&) const = default;
};

// A contributor's standing consent policy (deny by default: without one, or with enabled =
// false, nothing is consented automatically). A proposal matches when every rule holds:
//   DP required with ε <= max_epsilon_milli (if require_dp), price_per_call >= min_price_per_call,
//   purpose in `purposes` (empty = none allowed), and every OTHER pool of the model in
//   `join_pools` (a single-pool model needs none). A contributor counts for a cross-pool model
//   only with consents in all of its pools, and each pool is "other" to the rest, so a model of
//   2+ pools matches only when all of its pools are in `join_pools`. Personal models are never
//   matched.
struct ConsentPolicy {
  bool enabled = false;
  bool require_dp = true;
  uint64_t max_epsilon_milli = 0;
  uint64_t min_price_per_call = 0;
  std::vector<std::string> purposes;
  std::vector<uint64_t> join_pools;
  uint64_t height = 0;  // when it was set
  bool operator==(const ConsentPolicy&) const = default;
};

// Pure check of the rule above (used by the ledger and by the runner before applying).
bool policy_matches(const ConsentPolicy& policy, const Model& model);

}  // namespace datadao::ledger
