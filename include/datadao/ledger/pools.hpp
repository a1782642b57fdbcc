// Data DAOs on the ledger: pools, contributions and their attested scores, pool tokens, and
// token-weighted governance of the pool's parameters. These are the state records that the
// pool transaction types (CreatePool, Contribute, Attest, Propose, Vote; transaction.hpp) read
// and write. Plain value types.
//
// Life of a contribution:
//   Contribute  the owner of a registered file puts it in a pool: the file key and the claimed
//               export handle, each sealed to the pool's box key (only the validator reads them).
//   Attest      the pool's validator (and only it) records the scores: authenticity, ownership,
//               uniqueness (exact / near duplicates) and quality counts, and the refined blob.
//               points = accepted records if authentic and owned, else 0;
//               tokens = points * reward_per_point, minted to the contributor.
//               Ownership: a handle (stored only as a keyed tag) belongs to the first wallet
//               attested owning it in the pool; a later claim by another wallet is not owned.
// Governance: a token holder proposes a new value for one pool parameter; holders vote with
// their balance at the time they vote, once each; after `voting_period` blocks the proposal
// passes if the votes cast reach quorum_bps of the token supply at proposal time and yes > no.
// Pool tokens are not transferable (they record contribution; transfers are not built yet).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "datadao/crypto/crypto.hpp"

namespace datadao::ledger {

using AccountId = crypto::PublicKey;

inline constexpr size_t kMaxPoolNameBytes = 64;
inline constexpr uint32_t kBasisPoints = 10'000;
inline constexpr uint64_t kMaxVotingPeriodBlocks = 1'000'000;
// 10^6 tokens per point: a supply of 2^64 then holds 1.8 * 10^13 points (18 million exports of a
// million records) before minting would overflow and attestations be refused.
inline constexpr uint64_t kMaxRewardPerPoint = 1'000'000ull;
inline constexpr size_t kMaxHandleBytes = 128;
inline constexpr size_t kMaxSealedClaimBytes = kMaxHandleBytes + crypto::kSealOverheadBytes;
inline constexpr size_t kMaxAttestNoteBytes = 512;
inline constexpr size_t kMaxProposalDescriptionBytes = 256;

// The parameters token holders govern.
struct PoolParams {
  uint64_t reward_per_point = 0;  // pool tokens minted per score point, 1..kMaxRewardPerPoint
  uint32_t quorum_bps = 0;        // share of the token supply that must vote, 1..10000
  uint64_t voting_period = 0;     // blocks a proposal stays open, 1..kMaxVotingPeriodBlocks
  bool accepting = true;          // whether new contributions are accepted
  bool operator==(const PoolParams&) const = default;
};

enum class PoolParam : uint8_t {
  kRewardPerPoint = 1,
  kQuorumBps = 2,
  kVotingPeriod = 3,
  kAccepting = 4,  // value 0 or 1
};
std::string_view pool_param_name(PoolParam p);  // "reward_per_point", ...; "unknown"
bool parse_pool_param(std::string_view name, PoolParam* out);

struct Pool {
  uint64_t id = 0;
  AccountId creator{};
  std::string name;
  std::string source;  // the file source it takes ("reddit", "x", "oura", "spotify", ...)
  uint32_t schema_version = 0;
  AccountId validator{};        // the only account that may attest
  crypto::PublicKey box_key{};  // contributors seal file keys and claims to this key
  PoolParams params;
  uint64_t token_supply = 0;
  uint64_t contributions = 0;  // Contribute transactions accepted
  uint64_t attested = 0;       // of which attested
  uint64_t next_proposal_id = 1;
  uint64_t created_height = 0;
  bool operator==(const Pool&) const = default;
};

// The validator's findings; see Attest in transaction.hpp for the rules.
struct Attestation {
  bool authentic = false;
  bool owned = false;            // as recorded: the validator said so and the handle was free
  bool handle_conflict = false;  // the validator said owned, but another wallet holds the handle
  crypto::Hash32 handle_tag{};   // keyed hash of the normalised handle (never the handle)
  uint32_t records_total = 0;
  uint32_t exact_duplicates = 0;
  uint32_t near_duplicates = 0;
  uint32_t low_quality = 0;            // empty, spam or implausible records
  uint32_t accepted = 0;               // unique and of acceptable quality
  uint64_t points = 0;                 // accepted if authentic and owned, else 0
  uint64_t tokens = 0;                 // points * reward_per_point at attestation
  crypto::Hash32 refined_blob_hash{};  // vault blob of the refined records (zero if none)
  uint64_t refined_size = 0;
  crypto::Bytes refined_sealed_key;  // key of the refined blob sealed to the pool box key
  std::string note;                  // the validator's explanation (no PII)
  uint64_t height = 0;
  bool operator==(const Attestation&) const = default;
};

struct Contribution {
  uint64_t id = 0;
  uint64_t pool_id = 0;
  uint64_t file_id = 0;
  AccountId contributor{};
  crypto::Bytes sealed_key;    // file key sealed to the pool box key
  crypto::Bytes sealed_claim;  // claimed export handle sealed to the pool box key
  uint64_t height = 0;
  bool attested = false;
  Attestation attestation;  // meaningful when attested
  bool operator==(const Contribution&) const = default;
};

enum class ProposalStatus : uint8_t { kOpen = 0, kPassed = 1, kRejected = 2 };
std::string_view proposal_status_name(ProposalStatus s);

struct Proposal {
  uint64_t pool_id = 0;
  uint64_t id = 0;
  AccountId proposer{};
  PoolParam param = PoolParam::kRewardPerPoint;
  uint64_t value = 0;
  std::string description;
  uint64_t created_height = 0;
  uint64_t deadline = 0;  // last height at which votes count; tallied at its block's end
  uint64_t supply_at_creation = 0;
  uint64_t yes = 0;  // token weight
  uint64_t no = 0;
  ProposalStatus status = ProposalStatus::kOpen;
  uint64_t closed_height = 0;
  bool operator==(const Proposal&) const = default;
};

struct VoteRecord {
  bool approve = false;
  uint64_t weight = 0;
  uint64_t height = 0;
  bool operator==(const VoteRecord&) const = default;
};

}  // namespace datadao::ledger
