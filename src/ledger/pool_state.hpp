// How pool records (pools.hpp) are laid out in the generic key/value part of State, and typed
// read/write helpers for the pool transaction types. Ids in keys are big-endian so that key
// order is id order and a prefix scan lists one pool's records.
//
//   0x10 | pool u64                              -> Pool
//   0x11 | contribution u64                      -> Contribution (with its attestation)
//   0x12 | pool u64 | contribution u64           -> ""   (a pool's contributions)
//   0x13 | pool u64 | contribution u64           -> ""   (pending: not yet attested)
//   0x14 | pool u64 | account [32]               -> token balance u64
//   0x15 | pool u64 | handle tag [32]            -> account [32] (who owns the handle)
//   0x16 | pool u64 | file u64                   -> contribution u64 (one per file and pool)
//   0x17 | pool u64 | proposal u64               -> Proposal
//   0x18 | pool u64 | proposal u64 | account     -> VoteRecord
//   0x19 | deadline u64 | pool u64 | proposal u64 -> "" (open proposals by deadline)
//   0x1a | account [32] | contribution u64       -> "" (an account's contributions)
//   0x1b | pool name                             -> pool u64
//   0x1f | counter name                          -> u64 (next_pool_id, next_contribution_id)
#pragma once

#include <optional>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/ledger/pools.hpp"
#include "datadao/ledger/state.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger::detail {

inline constexpr uint8_t kTagPool = 0x10;
inline constexpr uint8_t kTagContribution = 0x11;
inline constexpr uint8_t kTagPoolContribution = 0x12;
inline constexpr uint8_t kTagPending = 0x13;
inline constexpr uint8_t kTagTokens = 0x14;
inline constexpr uint8_t kTagHandle = 0x15;
inline constexpr uint8_t kTagPoolFile = 0x16;
inline constexpr uint8_t kTagProposal = 0x17;
inline constexpr uint8_t kTagVote = 0x18;
inline constexpr uint8_t kTagDue = 0x19;
inline constexpr uint8_t kTagByContributor = 0x1a;
inline constexpr uint8_t kTagPoolName = 0x1b;
inline constexpr uint8_t kTagCounter = 0x1f;

inline constexpr std::string_view kCounterPool = "next_pool_id";
inline constexpr std::string_view kCounterContribution = "next_contribution_id";

inline bool is_pool_tag(uint8_t tag) { return tag >= 0x10 && tag <= 0x1f; }

// Decodes a persisted entry of one of the tags above (used by State::from_entries).
Status validate_pool_entry(ByteView key, ByteView value);

// Key builders.
Bytes pool_key(uint64_t pool_id);
Bytes contribution_key(uint64_t contribution_id);
Bytes pool_contribution_key(uint64_t pool_id, uint64_t contribution_id);
Bytes pending_key(uint64_t pool_id, uint64_t contribution_id);
Bytes tokens_key(uint64_t pool_id, const AccountId& holder);
Bytes handle_key(uint64_t pool_id, const crypto::Hash32& tag);
Bytes pool_file_key(uint64_t pool_id, uint64_t file_id);
Bytes proposal_key(uint64_t pool_id, uint64_t proposal_id);
Bytes vote_key(uint64_t pool_id, uint64_t proposal_id, const AccountId& voter);
Bytes due_key(uint64_t deadline, uint64_t pool_id, uint64_t proposal_id);
Bytes by_contributor_key(const AccountId& contributor, uint64_t contribution_id);
Bytes pool_name_key(std::string_view name);
Bytes counter_key(std::string_view name);

// Codecs (values only; ids come from the key).
Bytes encode_pool(const Pool& p);
Result<Pool> decode_pool(uint64_t id, ByteView value);
Bytes encode_contribution(const Contribution& c);
Result<Contribution> decode_contribution(uint64_t id, ByteView value);
Bytes encode_proposal(const Proposal& p);
Result<Proposal> decode_proposal(uint64_t pool_id, uint64_t id, ByteView value);
Bytes encode_vote(const VoteRecord& v);
Result<VoteRecord> decode_vote(ByteView value);
Bytes encode_u64(uint64_t v);
Result<uint64_t> decode_u64(ByteView value, std::string_view what);

// Range checks shared by CreatePool and Propose; errors name the parameter.
Status check_pool_params(const PoolParams& p);
Status check_param_value(PoolParam param, uint64_t value);
void set_param(PoolParams& params, PoolParam param, uint64_t value);

// Entries are validated when loaded and written only by the encoders, so a decode failure in a
// query is a bug; it reads as "absent" rather than crashing the query.
template <class T>
std::optional<T> opt(Result<T> r) {
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

// Typed access through a mutator (writes are journaled).
std::optional<Pool> get_pool(const StateMutator& m, uint64_t pool_id);
void put_pool(StateMutator& m, const Pool& p);
std::optional<Contribution> get_contribution(const StateMutator& m, uint64_t id);
void put_contribution(StateMutator& m, const Contribution& c);
uint64_t get_u64(const StateMutator& m, const Bytes& key, uint64_t if_absent);
// Returns the counter's value (1 if never used) and stores value + 1.
uint64_t next_id(StateMutator& m, std::string_view counter);

// Tallies every open proposal whose deadline is <= ctx.height (State::end_block).
void tally_due_proposals(StateMutator& m, const BlockContext& ctx);

}  // namespace datadao::ledger::detail
