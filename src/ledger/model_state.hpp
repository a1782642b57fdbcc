// How model records (models.hpp) are laid out in the generic key/value part of State, typed
// read/write helpers for the model transaction types, and the block-end tally. Ids in keys are
// big-endian so that key order is id order and a prefix scan lists one model's records.
//
//   0x20 | model u64                                  -> Model
//   0x21 | pool u64 | model u64                       -> ""  (models drawing on a pool)
//   0x22 | model u64 | contribution u64               -> ConsentRecord
//   0x23 | model u64 | contribution u64               -> ""  (opted out: Consent{consent=false})
//   0x24 | model u64 | contributor [32] | pool u64    -> u64 consented contributions (> 0)
//   0x25 | model u64 | contribution u64               -> ""  (listed by RecordTrainingSet)
//   0x26 | account [32]                               -> ConsentPolicy
//   0x27 | deadline u64 | model u64                   -> ""  (a vote or consent deadline due)
//   0x28 | model u64 | pool u64 | account [32]        -> VoteRecord (ModelVote)
//   0x29 | model u64 | contributor [32]               -> u64 contributions of that contributor
//                                                        listed by RecordTrainingSet (> 0)
//   0x2a | model u64 | account [32]                   -> ShareHolding (shares u64 | reward_debt
//                                                        u128 | owed_units u128)
//   0x2b | account [32] | model u64                   -> ""  (models_held_by index of 0x2a)
//   0x2f | "next_model_id"                            -> u64
// u128 values are two u64: high then low.
//
// 0x24 is maintained on every consent and revocation so that "consented in every pool of the
// model" is at most kMaxModelPools lookups and Model::consenting_contributors a running count:
// neither apply nor end_block scans contributors. 0x27 holds exactly one key per model in
// kVoting or kConsent, so end_block and next_model_deadline touch only the models due.
// 0x29 lets AssignShares check "a contributor of a listed contribution" in one lookup. 0x2a and
// 0x2b exist together: created with a holding, deleted when its shares and owed units are both 0
// (a holding with shares 0 keeps everything it accrued in owed_units). UseModel touches neither:
// it changes only the payer's account and the model record (reward-per-share accumulator).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/common/result.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/ledger/state.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger::detail {

inline constexpr uint8_t kTagModel = 0x20;
inline constexpr uint8_t kTagPoolModel = 0x21;
inline constexpr uint8_t kTagConsent = 0x22;
inline constexpr uint8_t kTagDenied = 0x23;
inline constexpr uint8_t kTagConsentCount = 0x24;
inline constexpr uint8_t kTagTrainingSet = 0x25;
inline constexpr uint8_t kTagPolicy = 0x26;
inline constexpr uint8_t kTagModelDue = 0x27;
inline constexpr uint8_t kTagModelVote = 0x28;
inline constexpr uint8_t kTagContributorCount = 0x29;
inline constexpr uint8_t kTagHolding = 0x2a;
inline constexpr uint8_t kTagHeldBy = 0x2b;
inline constexpr uint8_t kTagModelCounter = 0x2f;

inline constexpr std::string_view kCounterModel = "next_model_id";

inline bool is_model_tag(uint8_t tag) { return tag >= 0x20 && tag <= 0x2f; }

// Decodes a persisted entry of one of the tags above (used by State::from_entries).
Status validate_model_entry(ByteView key, ByteView value);

// Key builders.
Bytes model_key(uint64_t model_id);
Bytes pool_model_key(uint64_t pool_id, uint64_t model_id);
Bytes consent_key(uint64_t model_id, uint64_t contribution_id);
Bytes denied_key(uint64_t model_id, uint64_t contribution_id);
Bytes consent_count_key(uint64_t model_id, const AccountId& contributor, uint64_t pool_id);
Bytes training_set_key(uint64_t model_id, uint64_t contribution_id);
Bytes policy_key(const AccountId& account);
Bytes model_due_key(uint64_t deadline, uint64_t model_id);
Bytes model_vote_key(uint64_t model_id, uint64_t pool_id, const AccountId& voter);
Bytes contributor_count_key(uint64_t model_id, const AccountId& contributor);
Bytes holding_key(uint64_t model_id, const AccountId& account);
Bytes held_by_key(const AccountId& account, uint64_t model_id);

// Value codecs (ids come from the key).
Bytes encode_model(const Model& m);
Result<Model> decode_model(uint64_t id, ByteView value);
Bytes encode_consent(const ConsentRecord& c);
Result<ConsentRecord> decode_consent(ByteView value);
Bytes encode_policy(const ConsentPolicy& p);  // with its height
Result<ConsentPolicy> decode_policy(ByteView value);
Bytes encode_holding(const ShareHolding& h);
Result<ShareHolding> decode_holding(ByteView value);
void write_u128(codec::Writer& w, unsigned __int128 v);  // high u64 then low u64
unsigned __int128 read_u128(codec::Reader& r, std::string_view field);

// Field codecs shared by the payloads and the records. Lists are a u32 count then the items;
// readers reject a count above `max` before allocating, fewer bytes than the count needs, and
// repeated items (every list here is a set).
void write_ids(codec::Writer& w, const std::vector<uint64_t>& ids);
std::vector<uint64_t> read_ids(codec::Reader& r, std::string_view field, size_t max);
void write_strs(codec::Writer& w, const std::vector<std::string>& items);
std::vector<std::string> read_strs(codec::Reader& r, std::string_view field, size_t max,
                                   size_t max_len);
void write_terms(codec::Writer& w, const ModelTerms& t);
ModelTerms read_terms(codec::Reader& r);
// The policy's rules without its height (SetConsentPolicy's payload).
void write_policy_rules(codec::Writer& w, const ConsentPolicy& p);
ConsentPolicy read_policy_rules(codec::Reader& r);
void write_metrics(codec::Writer& w, const std::vector<ModelMetric>& metrics);
std::vector<ModelMetric> read_metrics(codec::Reader& r);
// Reads a 1..max list of distinct contribution ids (the batch payloads).
std::vector<uint64_t> read_batch(codec::Reader& r, size_t max);

// The payload of the transaction types that are a model id and a batch of contribution ids
// (ApplyConsentPolicy, RecordTrainingSet): u64 model_id | ids, at most `max` of them.
template <class P>
Bytes encode_model_batch(const P& p) {
  codec::Writer w(12 + 8 * p.contribution_ids.size());
  w.u64(p.model_id);
  write_ids(w, p.contribution_ids);
  return w.take();
}
template <class P>
Result<P> decode_model_batch(ByteView bytes, std::string_view what, size_t max) {
  codec::Reader r(bytes, std::string(what));
  P p;
  p.model_id = r.u64("model_id");
  p.contribution_ids = read_batch(r, max);
  DD_TRY(r.finish());
  return p;
}

// Typed access through a mutator (writes are journaled).
std::optional<Model> get_model(const StateMutator& m, uint64_t model_id);
// Returns the next model id (1 first) and advances the counter.
uint64_t next_model_id(StateMutator& m);
void put_model(StateMutator& m, const Model& model);
// A holder's share holding of a model (nullopt if none).
std::optional<ShareHolding> get_holding(const StateMutator& m, uint64_t model_id,
                                        const AccountId& account);
// Writes a holding and keeps the 0x2b index in step: an empty holding (shares 0, owed 0) is
// deleted with its index entry; a new one creates its index entry.
void put_holding(StateMutator& m, uint64_t model_id, const AccountId& account,
                 const ShareHolding& h);
// owed_units += shares × (acc − debt); debt = acc. Cannot overflow: acc <= rewards_paid (u64)
// and shares <= kShareSupply, so the product is below 2^94 and owed below rewards_paid × units.
void settle(const Model& model, ShareHolding& h);
// Moves `amount` credits into `account` (refund or fee payout). The sum of credits and escrowed
// fees is the genesis supply, so it cannot overflow u64; kInternal if it would.
Status credit(StateMutator& m, const AccountId& account, uint64_t amount);

// The model, if it exists and still takes Consent / ApplyConsentPolicy at `height` (kVoting, or
// kConsent up to its deadline); otherwise why not ("consent is frozen: training started at
// height H", ...).
Result<Model> model_taking_consent(const StateMutator& m, uint64_t model_id, uint64_t height);
// The model, if it exists, is in kTraining and `sender` is its runner (the validator of
// pools[0]); otherwise why not.
Result<Model> model_in_training(const StateMutator& m, uint64_t model_id, const AccountId& sender);
// The model, if it exists and is kPublished; otherwise why not (kNotFound / kFailedPrecondition).
Result<Model> published_model(const StateMutator& m, uint64_t model_id);
// The contribution, if it may consent to the model: it exists, is attested with points > 0 and
// is in one of the model's pools. Errors name the contribution.
Result<Contribution> consentable(const StateMutator& m, const Model& model, uint64_t id);
// Number of the model's pools in which the contributor has a consented contribution.
size_t pools_consented(const StateMutator& m, const Model& model, const AccountId& contributor);
// Records / removes one consent and keeps Model::consents, the per-pool counts (0x24) and
// Model::consenting_contributors up to date. `model` is updated in memory; the caller puts it.
void add_consent(StateMutator& m, Model& model, const Contribution& c, const ConsentRecord& rec);
void remove_consent(StateMutator& m, Model& model, const Contribution& c);

// Tallies votes of models whose vote deadline is <= ctx.height and closes consent windows whose
// deadline is <= ctx.height (State::end_block). O(models due).
void close_due_models(StateMutator& m, const BlockContext& ctx);

}  // namespace datadao::ledger::detail
