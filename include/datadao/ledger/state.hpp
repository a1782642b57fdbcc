// The ledger state machine: accounts, files, grants. Pure and deterministic: no I/O, no clock,
// no randomness; time comes in through BlockContext. Two States built from the same genesis
// and fed the same transactions and commit_block calls have equal state_hash().
//
// State is not thread-safe: the owner (Chain) serialises every call, const ones included.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/ledger/pools.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

struct Account {
  uint64_t credits = 0;
  uint64_t nonce = 0;  // last used nonce; the next tx from this account must carry nonce + 1
  bool operator==(const Account&) const = default;
};

struct FileRecord {
  uint64_t id = 0;
  AccountId owner{};
  Hash32 blob_hash{};
  uint64_t size = 0;
  std::string source;
  std::string locator;
  uint64_t registered_height = 0;
  bool operator==(const FileRecord&) const = default;
};

struct Grant {
  uint64_t file_id = 0;
  AccountId grantee{};
  crypto::PublicKey grantee_box_key{};
  Bytes sealed_key;
  std::string purpose;
  uint64_t expires_at = 0;  // unix seconds, 0 = never
  uint64_t granted_height = 0;
  bool revoked = false;
  uint64_t revoked_height = 0;
  bool operator==(const Grant&) const = default;
};

struct BlockContext {
  uint64_t height = 0;
  uint64_t timestamp = 0;  // unix seconds, from the block header
};

// Credits exist only from here: there is no mint transaction.
inline constexpr size_t kMaxGenesisAllocations = 16 * 1024 * 1024;
struct Genesis {
  std::string chain_id;
  uint64_t timestamp = 0;
  std::vector<std::pair<AccountId, uint64_t>> allocations;
};
// "datadao/genesis/v1" | chain_id str | timestamp u64 | count u32 | (account [32] | credits u64)*
Bytes encode(const Genesis& genesis);
// Strict; also rejects an empty or oversized chain id, duplicate accounts, zero allocations and
// a total supply that overflows u64.
Result<Genesis> decode_genesis(ByteView bytes);

// Key/value view of state used for hashing and persistence: each account / file / grant / meta
// counter is one entry; key = 1-byte tag + id bytes, value = canonical encoding.
//   0x01 | account [32]                       -> credits u64 | nonce u64
//   0x02 | file id u64 big-endian             -> FileRecord
//   0x03 | file id u64 big-endian | grantee   -> Grant
//   0x04 | "next_file_id"                     -> u64
//   0x10..0x1f                                -> pool records (src/ledger/pool_state.hpp)
//   0x20..0x2f                                -> model records (src/ledger/model_state.hpp)
struct StateEntry {
  Bytes key;
  std::optional<Bytes> value;  // nullopt = deleted
  bool operator==(const StateEntry&) const = default;
};

namespace detail {
class StateMutator;  // src/ledger/state_mutator.hpp: what transaction types may change
}  // namespace detail

class State {
 public:
  State(State&&) noexcept;
  State& operator=(State&&) noexcept;
  ~State();

  // Validates the genesis (see decode_genesis) and builds the committed genesis state.
  static Result<State> from_genesis(const Genesis& genesis);
  // Rebuilds state from persisted entries (any order) and recomputes the state hash from them.
  // kCorruption if an entry does not decode or a key appears twice.
  static Result<State> from_entries(std::string chain_id, const std::vector<StateEntry>& entries);

  // Validates (version, chain id, signature, sender exists, nonce, type rules) then applies.
  // All-or-nothing: on error nothing changes, and the tx leaves no trace in commit_block().
  Status apply(const Transaction& tx, const BlockContext& ctx);
  // Same, for a caller that has already checked the signature (e.g. verified in a batch).
  Status apply_verified(const Transaction& tx, const BlockContext& ctx);
  // Ends a block: folds the changed entries into the state hash and returns them sorted by key,
  // each key once with its final value, for persistence. Entries changed and changed back are
  // not returned.
  std::vector<StateEntry> commit_block();
  // Block-end rules that depend on height alone (tallying proposals and model votes whose
  // deadline is reached, closing model consent windows).
  // Chain calls it after the block's last transaction and before commit_block(); deterministic.
  void end_block(const BlockContext& ctx);
  // Discards every change since the last commit_block (used if persisting the block fails).
  void rollback_block();
  // Hash of the state as of the last commit_block: a function of the state only, not history.
  // BLAKE2b-256("datadao/state/v1" | chain_id | LtHash16 accumulator of all entries).
  Hash32 state_hash() const;
  const std::string& chain_id() const;
  // Every entry of the committed state plus uncommitted changes (sorted by key). O(state).
  std::vector<StateEntry> entries() const;

  // Queries (see the uncommitted changes of the current block too).
  std::optional<Account> account(const AccountId& id) const;
  std::optional<FileRecord> file(uint64_t id) const;
  std::vector<FileRecord> files_owned_by(const AccountId& owner) const;
  std::vector<Grant> grants_for_file(uint64_t file_id) const;
  std::vector<Grant> grants_to(const AccountId& grantee) const;  // index, not a scan
  std::optional<Grant> grant(uint64_t file_id, const AccountId& grantee) const;
  bool grant_active(const Grant& grant, uint64_t now) const;  // not revoked, not expired
  size_t account_count() const;
  uint64_t next_file_id() const;

  // Pools (pools.hpp). Lists are in id order; `after` and `limit` page through long ones.
  std::optional<Pool> pool(uint64_t id) const;
  std::optional<Pool> pool_by_name(std::string_view name) const;
  std::vector<Pool> pools() const;
  std::optional<Contribution> contribution(uint64_t id) const;
  // Contributions to a pool with id > after, at most `limit`; pending_only: not yet attested.
  std::vector<Contribution> pool_contributions(uint64_t pool_id, uint64_t after, size_t limit,
                                               bool pending_only) const;
  std::vector<Contribution> contributions_by(const AccountId& contributor) const;
  uint64_t pool_tokens(uint64_t pool_id, const AccountId& holder) const;
  std::optional<AccountId> handle_owner(uint64_t pool_id, const crypto::Hash32& handle_tag) const;
  std::optional<Proposal> proposal(uint64_t pool_id, uint64_t proposal_id) const;
  std::vector<Proposal> proposals(uint64_t pool_id) const;
  // The earliest deadline of an open proposal in any pool, if one is open. A node that makes
  // blocks only for transactions uses it to keep blocks coming until every vote has closed.
  std::optional<uint64_t> next_proposal_deadline() const;
  std::optional<VoteRecord> vote(uint64_t pool_id, uint64_t proposal_id,
                                 const AccountId& voter) const;

  // Models (models.hpp). Lists are in id order, paged by `after` / `limit`.
  std::optional<Model> model(uint64_t id) const;
  std::vector<Model> models(uint64_t after, size_t limit) const;
  // Models drawing on a pool (any status), id order.
  std::vector<Model> models_of_pool(uint64_t pool_id, uint64_t after, size_t limit) const;
  // The consent of one contribution to one model, if given and not revoked.
  std::optional<ConsentRecord> consent(uint64_t model_id, uint64_t contribution_id) const;
  // True if the contributor opted this contribution out of the model (Consent{consent=false}).
  bool consent_denied(uint64_t model_id, uint64_t contribution_id) const;
  // Consented contribution ids of a model (id > after, at most limit), in id order.
  std::vector<uint64_t> model_consents(uint64_t model_id, uint64_t after, size_t limit) const;
  // Contribution ids the runner listed for a model (RecordTrainingSet), in id order.
  std::vector<uint64_t> model_training_set(uint64_t model_id, uint64_t after, size_t limit) const;
  // An account's standing consent policy, if it ever set one.
  std::optional<ConsentPolicy> consent_policy(const AccountId& account) const;
  // The earliest vote or consent deadline of a model still in kVoting or kConsent.
  std::optional<uint64_t> next_model_deadline() const;

  // Ownership and rewards (models.hpp). A holder exists once assigned or transferred shares and
  // stays while it has shares or accrued units.
  std::optional<ShareHolding> share_holding(uint64_t model_id, const AccountId& account) const;
  // Holders of a model in account-key order after `after` (nullopt = from the start).
  std::vector<std::pair<AccountId, ShareHolding>> share_holders(
      uint64_t model_id, const std::optional<AccountId>& after, size_t limit) const;
  // Models in which the account holds shares or accrued rewards, id order (index, not a scan).
  std::vector<uint64_t> models_held_by(const AccountId& account, uint64_t after,
                                       size_t limit) const;

  // Raw entries of the generic key/value part of state (tags 0x10..0x2f), uncommitted changes
  // included. scan() calls fn for each key starting with prefix, in key order, until fn
  // returns false.
  std::optional<Bytes> entry(ByteView key) const;
  void scan(ByteView prefix, const std::function<bool(const Bytes& key, const Bytes& value)>& fn,
            ByteView start_after = {}) const;

 private:
  friend class detail::StateMutator;
  struct Impl;
  explicit State(std::unique_ptr<Impl> impl);
  Status apply_impl(const Transaction& tx, const BlockContext& ctx, bool check_signature);
  std::unique_ptr<Impl> impl_;
};

}  // namespace datadao::ledger
