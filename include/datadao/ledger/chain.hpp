// The persistent single-node chain: a State plus its blocks in SQLite (via datadao::store).
// This is the only ledger file that does I/O.
//
// Durability contract: every block is persisted in ONE SQLite transaction (block row, tx rows,
// changed state entries, head pointer) with synchronous=FULL in WAL mode. A produce_block /
// apply_block that returned Ok survives kill -9 and power loss; one that did not return leaves
// either the whole block or nothing. open() re-derives the state from the state table and checks
// it against the head header's state_hash, so a half-applied block cannot go unnoticed.
//
// Proposers: a chain has one operator today, recorded at create(). produce_block and
// apply_block accept only headers signed by that operator (kPermissionDenied otherwise).
//
// Thread-safety: a Chain is not thread-safe; the node serialises every call (const ones too).
// One process should own a database at a time (a second writer waits on SQLite's lock).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/block.hpp"
#include "datadao/ledger/merkle.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

struct ProducedBlock {
  SignedHeader header;                                         // meaningful only if produced()
  std::vector<Hash32> included;                                // tx ids, in block order
  std::vector<std::pair<Hash32, Error>> rejected;              // tx id and why it was left out
  bool produced() const { return header.header.height != 0; }  // genesis is the only height 0
};

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
  bool operator==(const TxLocation&) const = default;
};

// Everything needed to check offline that a transaction is in a block signed by the operator.
struct TxProof {
  Bytes tx_bytes;  // encode(tx): the Merkle leaf data
  SignedHeader header;
  InclusionProof proof;
  bool operator==(const TxProof&) const = default;
};

// Checks, from the proof alone: the header signature (and, unless trusted_operator is all
// zero, that the proposer is trusted_operator), that the tx bytes decode and belong to the
// header's chain, that the proof's tree size is the header's tx_count, and that the tx is the
// leaf at proof.leaf_index under the header's tx_root.
Status verify_tx_proof(const TxProof& proof, const crypto::PublicKey& trusted_operator);

// JSON form for files passed around by the CLI. Binary fields are lower-case hex; the signed
// header is carried as its canonical encoding ("header") with readable copies of its height,
// hash and tx root that from_json checks against it.
nlohmann::json tx_proof_to_json(const TxProof& proof);
Result<TxProof> tx_proof_from_json(const nlohmann::json& json);

class Chain {
 public:
  ~Chain();
  Chain(const Chain&) = delete;
  Chain& operator=(const Chain&) = delete;

  // Creates a new database at `db` holding the genesis state and the signed genesis block.
  // kAlreadyExists if the database already holds a chain.
  static Result<std::unique_ptr<Chain>> create(const std::filesystem::path& db,
                                               const Genesis& genesis,
                                               const crypto::SigningKeyPair& operator_key);
  // Opens an existing chain: loads the state from the state table, checks its hash against the
  // head header (kCorruption on mismatch) and verifies the head header's signature.
  static Result<std::unique_ptr<Chain>> open(const std::filesystem::path& db);

  // Applies the candidates in order, leaving out (and reporting) those that fail; stops adding
  // at kMaxTxsPerBlock or kMaxBlockBytes (the rest are reported as kLimitExceeded). If there
  // were candidates and none applied, no block is made and produced() is false. No candidates
  // at all asks for an empty block: a heartbeat that advances the height so that height-based
  // rules (proposal deadlines) take effect on a quiet chain. Otherwise builds, signs and persists
  // the block. timestamp must not be below the head's. On a persistence error nothing changes (in
  // memory or on disk) and the error is returned.
  Result<ProducedBlock> produce_block(const std::vector<Transaction>& candidates,
                                      uint64_t timestamp, const crypto::SigningKeyPair& proposer);

  // Applies a block produced elsewhere: it must extend the head, be signed by the operator,
  // every transaction must apply, and the recomputed tx root and state hash must match the
  // header. Otherwise nothing changes and the error names the block.
  Status apply_block(const Block& block);

  const State& state() const { return state_; }
  uint64_t height() const { return head_.header.height; }
  const SignedHeader& head() const { return head_; }
  const Genesis& genesis() const { return genesis_; }
  const crypto::PublicKey& operator_key() const { return operator_; }

  Result<SignedHeader> header(uint64_t height);
  Result<Block> block(uint64_t height);
  Result<TxLocation> locate(const Hash32& tx_id);
  Result<Transaction> tx(const Hash32& tx_id);
  Result<TxProof> prove(const Hash32& tx_id);

 private:
  struct Db;
  Chain(std::unique_ptr<Db> db, State state, Genesis genesis, SignedHeader head,
        crypto::PublicKey operator_key);
  // Persists a committed block; on failure restores state_ from the database.
  Status persist(const SignedHeader& header, const std::vector<Bytes>& tx_bytes,
                 const std::vector<Hash32>& tx_ids, const std::vector<StateEntry>& entries);
  Status reload_state();
  Status check_usable() const;

  std::unique_ptr<Db> db_;
  State state_;
  Genesis genesis_;
  Hash32 genesis_hash_{};
  SignedHeader head_;
  Hash32 head_hash_{};
  crypto::PublicKey operator_{};
  bool broken_ = false;  // a failed persist could not restore the in-memory state
};

}  // namespace datadao::ledger
