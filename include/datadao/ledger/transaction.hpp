// Ledger transactions: signed, canonical, strictly decoded.
//
// Wire format (codec rules: fixed-width little-endian integers, u32-length-prefixed bytes/text):
//   body      = version u8 | chain_id str | sender [32] | nonce u64 | type u16 | payload bytes
//   signed    = "datadao/tx/v1" | body           (the domain tag is signed but not stored)
//   encoded   = body | signature [64]            (these bytes are stored and are Merkle leaves)
// Every transaction has exactly one encoding, so tx_id (BLAKE2b-256 of the encoding) is stable.
//
// Each transaction type has one payload struct below and one source file
// (src/ledger/tx_<type>.cpp) holding its codec, validation, apply function and JSON view; the
// registry (src/ledger/registry.cpp) maps TxType to that file's functions, one line per type.
//
// All functions here are pure and thread-safe (they touch no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/ledger/pools.hpp"

namespace datadao::ledger {

using crypto::Bytes;
using crypto::ByteView;
using crypto::Hash32;
using AccountId = crypto::PublicKey;  // the sender's Ed25519 public key is the account id

inline constexpr size_t kMaxTxBytes = 64 * 1024;  // whole encoded tx; decoder rejects larger first
inline constexpr size_t kMaxChainIdBytes = 64;
inline constexpr uint8_t kTxVersion = 1;
inline constexpr std::string_view kTxDomainTag = "datadao/tx/v1";

enum class TxType : uint16_t {
  kTransfer = 1,
  kRegisterFile = 2,
  kGrantAccess = 3,
  kRevokeAccess = 4,
  kCreatePool = 5,
  kContribute = 6,
  kAttest = 7,
  kPropose = 8,
  kVote = 9,
  kProposeModel = 10,
  kModelVote = 11,
  kConsent = 12,
  kSetConsentPolicy = 13,
  kApplyConsentPolicy = 14,
  kRecordTrainingSet = 15,
  kPublishModel = 16,
  kAssignShares = 17,
  kTransferShares = 18,
  kUseModel = 19,
  kClaim = 20,
};

struct Transaction {
  uint8_t version = kTxVersion;
  std::string chain_id;
  AccountId sender{};
  uint64_t nonce = 0;  // must be exactly the sender's last nonce + 1
  TxType type{};
  Bytes payload;  // canonical encoding of the type's payload struct
  crypto::Signature signature{};

  bool operator==(const Transaction&) const = default;
};

// The bytes the sender signs: domain tag + every field but the signature.
Bytes signing_bytes(const Transaction& tx);
// body || signature: the stored bytes and the Merkle leaf data.
Bytes encode(const Transaction& tx);
// Strict: rejects input above kMaxTxBytes before parsing, unknown version or type, a payload
// that does not decode for its type, invalid UTF-8 and trailing bytes. Does NOT check the
// signature (verify_signature does) nor any state rule (State::apply does).
Result<Transaction> decode(ByteView bytes);
// BLAKE2b-256 of encode(tx).
Hash32 tx_id(const Transaction& tx);
// Short printable form of a tx id or account id for messages: first 8 hex digits + "..".
std::string short_hex(const Hash32& id);
// True only if `signature` is the sender's Ed25519 signature over signing_bytes(tx).
bool verify_signature(const Transaction& tx);
// Sets tx.sender to key's public key and signs signing_bytes(tx).
void sign(Transaction& tx, const crypto::SigningKeyPair& key);
// Registry name of a type ("transfer", "register_file", ...); "unknown" if not registered.
std::string_view type_name(TxType type);

// ---- Payloads (one per type; codec and rules live in src/ledger/tx_<type>.cpp) -------------

// Moves credits from the sender to `to`. amount > 0; to != sender.
struct Transfer {
  AccountId to{};
  uint64_t amount = 0;
  bool operator==(const Transfer&) const = default;
};

// Registers an encrypted blob owned by the sender. The state assigns the file id.
inline constexpr size_t kMaxSourceBytes = 32;  // [a-z0-9_-]{1,32}
inline constexpr size_t kMaxLocatorBytes = 512;
bool is_valid_source(std::string_view source);  // [a-z0-9_-]{1,32}
struct RegisterFile {
  Hash32 blob_hash{};
  uint64_t size = 0;
  std::string source;
  std::string locator;
  bool operator==(const RegisterFile&) const = default;
};

// Gives `grantee` access to a file: the file key sealed to the grantee's box key.
inline constexpr size_t kSealedFileKeyBytes =
    crypto::kSymmetricKeyBytes + crypto::kSealOverheadBytes;
inline constexpr size_t kMaxPurposeBytes = 256;
struct GrantAccess {
  uint64_t file_id = 0;
  AccountId grantee{};
  crypto::PublicKey grantee_box_key{};
  Bytes sealed_key;
  std::string purpose;
  uint64_t expires_at = 0;  // unix seconds, 0 = never
  bool operator==(const GrantAccess&) const = default;
};

struct RevokeAccess {
  uint64_t file_id = 0;
  AccountId grantee{};
  bool operator==(const RevokeAccess&) const = default;
};

// ---- Pools (data DAOs; state records and rules in pools.hpp) ---------------------------------

// Creates a pool; the state assigns its id. name: 1..64 bytes of UTF-8, unique on the chain;
// source as in RegisterFile; params within the ranges in pools.hpp.
struct CreatePool {
  std::string name;
  std::string source;
  uint32_t schema_version = 1;
  AccountId validator{};
  crypto::PublicKey box_key{};
  PoolParams params;
  bool operator==(const CreatePool&) const = default;
};

// Puts one of the sender's registered files in a pool (once per file and pool). The file's
// source must be the pool's and the pool must be accepting.
struct Contribute {
  uint64_t pool_id = 0;
  uint64_t file_id = 0;
  Bytes sealed_key;    // the file key sealed to the pool's box key (80 bytes)
  Bytes sealed_claim;  // the export handle the sender claims, sealed to the pool's box key
  bool operator==(const Contribute&) const = default;
};

// The pool validator's scores for a pending contribution. Rules: sender is the pool's validator;
// exact_duplicates + near_duplicates + low_quality + accepted <= records_total; owned requires a
// non-zero handle_tag; if accepted > 0 and authentic and owned, a refined blob (hash, size > 0,
// key sealed to the pool: 80 bytes) is required; note <= 512 bytes of UTF-8.
struct Attest {
  uint64_t contribution_id = 0;
  bool authentic = false;
  bool owned = false;
  crypto::Hash32 handle_tag{};
  uint32_t records_total = 0;
  uint32_t exact_duplicates = 0;
  uint32_t near_duplicates = 0;
  uint32_t low_quality = 0;
  uint32_t accepted = 0;
  crypto::Hash32 refined_blob_hash{};
  uint64_t refined_size = 0;
  Bytes refined_sealed_key;
  std::string note;
  bool operator==(const Attest&) const = default;
};

// A token holder of the pool proposes a new value for one parameter.
struct Propose {
  uint64_t pool_id = 0;
  PoolParam param = PoolParam::kRewardPerPoint;
  uint64_t value = 0;
  std::string description;
  bool operator==(const Propose&) const = default;
};

// A token holder votes once per proposal, with their token balance, until the deadline.
struct Vote {
  uint64_t pool_id = 0;
  uint64_t proposal_id = 0;
  bool approve = false;
  bool operator==(const Vote&) const = default;
};

// ---- Models (state records and rules in models.hpp) ------------------------------------------

// A developer proposes a model; the state assigns its id and escrows terms.training_fee from the
// sender's credits. pools: 1..kMaxModelPools distinct existing pools; personal requires exactly
// one pool in which the sender has an attested contribution with points > 0; strings within the
// limits in models.hpp; terms as described there (consent_blocks >= 1; dp_required needs
// epsilon_milli > 0 and delta_e12 in 1..10^10).
struct ProposeModel {
  std::vector<uint64_t> pools;
  bool personal = false;
  std::string kind;
  std::string purpose;
  std::string description;
  std::vector<std::string> fields;
  std::string spec;
  ModelTerms terms;
  crypto::PublicKey developer_box_key{};
  bool operator==(const ProposeModel&) const = default;
};

// A holder of pool_id's tokens votes on a model drawing on that pool, once, with their token
// balance, until the model's vote_deadline.
struct ModelVote {
  uint64_t model_id = 0;
  uint64_t pool_id = 0;
  bool approve = false;
  bool operator==(const ModelVote&) const = default;
};

// The contributor of each listed contribution opts it in (consent = true) or out (false) of a
// model in kVoting or kConsent. Each contribution must be the sender's, attested with points > 0,
// and in one of the model's pools; personal models accept only their proposer's. Opting out
// removes a consent (explicit or by policy) and bars the policy from re-applying it.
// 1..kMaxConsentBatch distinct ids.
struct Consent {
  uint64_t model_id = 0;
  std::vector<uint64_t> contribution_ids;
  bool consent = true;
  bool operator==(const Consent&) const = default;
};

// Sets (replaces) the sender's standing consent policy; limits in models.hpp.
struct SetConsentPolicy {
  ConsentPolicy policy;  // `height` is ignored (the state sets it)
  bool operator==(const SetConsentPolicy&) const = default;
};

// The runner (validator of the contribution's pool) records consent on behalf of contributors
// whose standing policy matches the model (policy_matches), for a model in kVoting or kConsent.
// Contributions already consented, or opted out, are rejected. 1..kMaxConsentBatch distinct ids.
struct ApplyConsentPolicy {
  uint64_t model_id = 0;
  std::vector<uint64_t> contribution_ids;
  bool operator==(const ApplyConsentPolicy&) const = default;
};

// The runner (validator of pools[0]) lists contributions it trains on, for a model in kTraining.
// Each must be consented, not listed before, and (cross-pool) its contributor must have consented
// in every pool of the model. 1..kMaxTrainingSetChunk distinct ids.
struct RecordTrainingSet {
  uint64_t model_id = 0;
  std::vector<uint64_t> contribution_ids;
  bool operator==(const RecordTrainingSet&) const = default;
};

// The runner publishes a model in kTraining: weights blob (hash, size > 0, key sealed to the
// developer's box key: 80 bytes), ε spent (<= terms.epsilon_milli when dp_required; 0 allowed
// only without DP), steps, metrics (<= kMaxModelMetrics, distinct names). training_set_size must
// equal the number of contributions listed and be >= 1. The escrowed fee goes to the runner.
// Shares: exactly kShareSupply units must have been assigned (AssignShares), except for a
// personal model, whose proposer receives all kShareSupply units here. Serving: server_sealed_key
// empty (not served), or 80 bytes (the weights key sealed to server_box_key, non-zero).
struct PublishModel {
  uint64_t model_id = 0;
  crypto::Hash32 weights_hash{};
  uint64_t weights_size = 0;
  Bytes weights_sealed_key;
  uint64_t epsilon_spent_milli = 0;
  uint64_t steps = 0;
  std::vector<ModelMetric> metrics;
  uint64_t training_set_size = 0;
  crypto::PublicKey server_box_key{};
  Bytes server_sealed_key;
  bool operator==(const PublishModel&) const = default;
};

// ---- Ownership and rewards (models.hpp: kShareSupply, reward units) ---------------------------
// The runner (validator of pools[0]) assigns share units of a model in kTraining to contributors,
// in chunks: 1..kMaxShareChunk entries, distinct accounts, each shares > 0, each account a
// contributor of a contribution listed by RecordTrainingSet and not assigned before, and the
// model's total never above kShareSupply. Not for personal models.
struct ShareEntry {
  AccountId account{};
  uint64_t shares = 0;
  bool operator==(const ShareEntry&) const = default;
};
struct AssignShares {
  uint64_t model_id = 0;
  std::vector<ShareEntry> entries;
  bool operator==(const AssignShares&) const = default;
};
// Moves `amount` (> 0, <= the sender's) share units of a published model to `to` (!= sender).
// Both holdings are settled first, so rewards accrued before the transfer stay with the sender.
struct TransferShares {
  uint64_t model_id = 0;
  AccountId to{};
  uint64_t amount = 0;
  bool operator==(const TransferShares&) const = default;
};
// One paid call of a published model: moves terms.price_per_call credits from the sender into
// the model's reward escrow and adds price_per_call reward units per share unit (O(1)).
// request_hash binds the payment to one request (node/serving.hpp computes it); the node serves
// the call only once this transaction is in a committed block.
struct UseModel {
  uint64_t model_id = 0;
  Hash32 request_hash{};
  bool operator==(const UseModel&) const = default;
};
// Settles the sender's holding of a model and pays its whole accrued credits (>= 1) from the
// model's reward escrow to the sender's credits; the sub-credit rest stays accrued.
struct Claim {
  uint64_t model_id = 0;
  bool operator==(const Claim&) const = default;
};

Bytes encode_payload(const Transfer& p);
Bytes encode_payload(const RegisterFile& p);
Bytes encode_payload(const GrantAccess& p);
Bytes encode_payload(const RevokeAccess& p);
Bytes encode_payload(const CreatePool& p);
Bytes encode_payload(const Contribute& p);
Bytes encode_payload(const Attest& p);
Bytes encode_payload(const Propose& p);
Bytes encode_payload(const Vote& p);
Bytes encode_payload(const ProposeModel& p);
Bytes encode_payload(const ModelVote& p);
Bytes encode_payload(const Consent& p);
Bytes encode_payload(const SetConsentPolicy& p);
Bytes encode_payload(const ApplyConsentPolicy& p);
Bytes encode_payload(const RecordTrainingSet& p);
Bytes encode_payload(const PublishModel& p);
Bytes encode_payload(const AssignShares& p);
Bytes encode_payload(const TransferShares& p);
Bytes encode_payload(const UseModel& p);
Bytes encode_payload(const Claim& p);

constexpr TxType type_of(const Transfer&) { return TxType::kTransfer; }
constexpr TxType type_of(const RegisterFile&) { return TxType::kRegisterFile; }
constexpr TxType type_of(const GrantAccess&) { return TxType::kGrantAccess; }
constexpr TxType type_of(const RevokeAccess&) { return TxType::kRevokeAccess; }
constexpr TxType type_of(const CreatePool&) { return TxType::kCreatePool; }
constexpr TxType type_of(const Contribute&) { return TxType::kContribute; }
constexpr TxType type_of(const Attest&) { return TxType::kAttest; }
constexpr TxType type_of(const Propose&) { return TxType::kPropose; }
constexpr TxType type_of(const Vote&) { return TxType::kVote; }
constexpr TxType type_of(const ProposeModel&) { return TxType::kProposeModel; }
constexpr TxType type_of(const ModelVote&) { return TxType::kModelVote; }
constexpr TxType type_of(const Consent&) { return TxType::kConsent; }
constexpr TxType type_of(const SetConsentPolicy&) { return TxType::kSetConsentPolicy; }
constexpr TxType type_of(const ApplyConsentPolicy&) { return TxType::kApplyConsentPolicy; }
constexpr TxType type_of(const RecordTrainingSet&) { return TxType::kRecordTrainingSet; }
constexpr TxType type_of(const PublishModel&) { return TxType::kPublishModel; }
constexpr TxType type_of(const AssignShares&) { return TxType::kAssignShares; }
constexpr TxType type_of(const TransferShares&) { return TxType::kTransferShares; }
constexpr TxType type_of(const UseModel&) { return TxType::kUseModel; }
constexpr TxType type_of(const Claim&) { return TxType::kClaim; }

// Strict payload decoders (exact length, field limits, UTF-8). Errors name the payload.
Result<Transfer> decode_payload(ByteView bytes, std::type_identity<Transfer>);
Result<RegisterFile> decode_payload(ByteView bytes, std::type_identity<RegisterFile>);
Result<GrantAccess> decode_payload(ByteView bytes, std::type_identity<GrantAccess>);
Result<RevokeAccess> decode_payload(ByteView bytes, std::type_identity<RevokeAccess>);
Result<CreatePool> decode_payload(ByteView bytes, std::type_identity<CreatePool>);
Result<Contribute> decode_payload(ByteView bytes, std::type_identity<Contribute>);
Result<Attest> decode_payload(ByteView bytes, std::type_identity<Attest>);
Result<Propose> decode_payload(ByteView bytes, std::type_identity<Propose>);
Result<Vote> decode_payload(ByteView bytes, std::type_identity<Vote>);
Result<ProposeModel> decode_payload(ByteView bytes, std::type_identity<ProposeModel>);
Result<ModelVote> decode_payload(ByteView bytes, std::type_identity<ModelVote>);
Result<Consent> decode_payload(ByteView bytes, std::type_identity<Consent>);
Result<SetConsentPolicy> decode_payload(ByteView bytes, std::type_identity<SetConsentPolicy>);
Result<ApplyConsentPolicy> decode_payload(ByteView bytes, std::type_identity<ApplyConsentPolicy>);
Result<RecordTrainingSet> decode_payload(ByteView bytes, std::type_identity<RecordTrainingSet>);
Result<PublishModel> decode_payload(ByteView bytes, std::type_identity<PublishModel>);
Result<AssignShares> decode_payload(ByteView bytes, std::type_identity<AssignShares>);
Result<TransferShares> decode_payload(ByteView bytes, std::type_identity<TransferShares>);
Result<UseModel> decode_payload(ByteView bytes, std::type_identity<UseModel>);
Result<Claim> decode_payload(ByteView bytes, std::type_identity<Claim>);

// Builds and signs a transaction carrying `payload`.
template <class P>
Transaction make_tx(std::string chain_id, const crypto::SigningKeyPair& key, uint64_t nonce,
                    const P& payload) {
  Transaction tx;
  tx.chain_id = std::move(chain_id);
  tx.sender = key.public_key;
  tx.nonce = nonce;
  tx.type = type_of(payload);
  tx.payload = encode_payload(payload);
  sign(tx, key);
  return tx;
}

// Decodes the payload as P; kInvalidArgument if the transaction's type is not P's.
template <class P>
Result<P> payload_as(const Transaction& tx) {
  if (tx.type != type_of(P{})) {
    return make_error(ErrorCode::kInvalidArgument,
                      "transaction of type " + std::string(type_name(tx.type)) + " is not a " +
                          std::string(type_name(type_of(P{}))));
  }
  return decode_payload(ByteView(tx.payload.data(), tx.payload.size()), std::type_identity<P>{});
}

}  // namespace datadao::ledger
