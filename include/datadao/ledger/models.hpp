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

// ---- Ownership (shares) and rewards -------------------------------------------------------------
// A published model has exactly kShareSupply share units, held by its contributors in proportion
// to their attributed value (AssignShares before PublishModel; personal model: all to the
// proposer). Shares move with TransferShares.
//
// Rewards are kept in reward units: 1 credit = kRewardUnitsPerCredit units, and
// kRewardUnitsPerCredit == kShareSupply, so a use paying `price` credits adds exactly `price`
// reward units per share unit to the model's accumulator (Model::reward_per_share): there is no
// division and no rounding when a model is used, whatever the number of owners (O(1)).
// A holder's accrued units = owed_units + shares × (reward_per_share − reward_debt); every
// change of a holder's shares first settles (owed_units += shares × (acc − debt); debt = acc).
// Claim pays floor(accrued / kRewardUnitsPerCredit) whole credits and leaves the sub-credit rest
// accrued to the same holder. Conservation (tested after random uses, transfers and claims):
//   rewards_paid × kRewardUnitsPerCredit
//     == Σ_holders accrued_units + rewards_claimed × kRewardUnitsPerCredit + reward_remainder
// reward_remainder is the model's explicit remainder account: 0 under the rules above (no
// operation rounds); it exists so that any future rounding rule has an account to go to, and
// the conservation test checks it.
inline constexpr uint64_t kShareSupply = 1'000'000'000;          // share units per model
inline constexpr uint64_t kRewardUnitsPerCredit = kShareSupply;  // reward units per credit
inline constexpr size_t kMaxShareChunk = 1024;                   // holders per AssignShares

// How the runner measures each contributor's value (src/attribution). Named by the proposal.
enum class AttributionMethod : uint8_t {
  kKnnShapley = 1,  // exact KNN-Shapley over record embeddings (Jia et al., VLDB 2019)
  kTracIn = 2,      // gradient-similarity influence over training checkpoints (TracIn)
};
std::string_view attribution_method_name(AttributionMethod m);  // "knn_shapley", "tracin"

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
  AttributionMethod attribution = AttributionMethod::kKnnShapley;
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
// A model kind, purpose, field or metric name: [a-z0-9_]{1,max_len}, plus '.' when allow_dot
// (field names).
bool is_model_word(std::string_view s, size_t max_len, bool allow_dot = false);

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
  // The node that serves metered inference (PublishModel): its box key and the weights key
  // sealed to it (empty: the model is not served).
  crypto::PublicKey server_box_key{};
  crypto::Bytes server_sealed_key;
  uint64_t closed_height = 0;  // height of the last status change
  // Ownership and rewards (see kShareSupply above).
  uint64_t shares_assigned = 0;  // share units assigned so far; kShareSupply once published
  uint64_t share_holders = 0;    // holders with shares > 0
  uint64_t uses = 0;             // UseModel transactions applied
  uint64_t rewards_paid = 0;     // credits paid by uses (held in the model's reward escrow)
  uint64_t rewards_claimed = 0;  // credits claimed out of it
  unsigned __int128 reward_per_share = 0;  // accumulator: reward units per share unit
  unsigned __int128 reward_remainder = 0;  // explicit remainder account, reward units
  bool operator==(const Model&) const = default;
};

// One holder's shares of one model and their reward bookkeeping.
struct ShareHolding {
  uint64_t shares = 0;
  unsigned __int128 reward_debt = 0;  // Model::reward_per_share at the last settlement
  unsigned __int128 owed_units = 0;   // settled, unclaimed reward units
  bool operator==(const ShareHolding&) const = default;
};
// Reward units accrued and not yet claimed: owed_units + shares × (acc − reward_debt).
unsigned __int128 accrued_units(const Model& model, const ShareHolding& holding);
// Whole credits a Claim would pay now: accrued_units / kRewardUnitsPerCredit.
uint64_t claimable_credits(const Model& model, const ShareHolding& holding);

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
