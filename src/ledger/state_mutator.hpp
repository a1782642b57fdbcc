// What a transaction type's apply function may read and change in State. Every put_* is
// journaled: State undoes a failed transaction's puts and rollback_block() undoes a block's.
// Not thread-safe (it is a view into one State).
#pragma once

#include <optional>

#include "datadao/ledger/state.hpp"

namespace datadao::ledger::detail {

class StateMutator {
 public:
  explicit StateMutator(State& state) : state_(state) {}

  const std::string& chain_id() const { return state_.chain_id(); }
  const Account* account(const AccountId& id) const;
  void put_account(const AccountId& id, const Account& account);

  const FileRecord* file(uint64_t id) const;
  // The id of the file `owner` registered for `blob_hash`, if any.
  std::optional<uint64_t> file_by_blob(const AccountId& owner, const Hash32& blob_hash) const;
  // Returns the next file id and advances the counter.
  uint64_t allocate_file_id();
  void put_file(const FileRecord& file);

  const Grant* grant(uint64_t file_id, const AccountId& grantee) const;
  void put_grant(const Grant& grant);

  // The generic key/value part of state (pool and model records; tags 0x10..0x2f). Journaled
  // like the rest; nullopt deletes.
  const State& state() const { return state_; }
  std::optional<Bytes> entry(ByteView key) const { return state_.entry(key); }
  void put_entry(const Bytes& key, std::optional<Bytes> value);

 private:
  State& state_;
};

// genesis.cpp: a chain id is 1..kMaxChainIdBytes of UTF-8 (`what` names it in the error); a
// genesis has a valid chain id and at most kMaxGenesisAllocations non-zero allocations
// whose sum fits in a u64.
Status check_chain_id(std::string_view chain_id, std::string_view what);
Status validate_genesis(const Genesis& genesis);

}  // namespace datadao::ledger::detail
