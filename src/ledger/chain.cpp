#include "datadao/ledger/chain.hpp"

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/store/sqlite.hpp"

namespace datadao::ledger {

namespace {

constexpr int64_t kSchemaVersion = 1;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
  height INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  header BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS txs (
  id BLOB PRIMARY KEY,
  height INTEGER NOT NULL REFERENCES blocks(height),
  idx INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  UNIQUE (height, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
)sql";

// Resets a statement when leaving scope, so a SELECT never keeps a read snapshot open.
class ResetOnExit {
 public:
  explicit ResetOnExit(store::Statement& st) : st_(st) {}
  ~ResetOnExit() { st_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  store::Statement& st_;
};

Error corruption(const std::filesystem::path& path, const std::string& why) {
  return make_error(ErrorCode::kCorruption, "chain " + path.string() + ": " + why);
}

int64_t as_i64(uint64_t v) { return static_cast<int64_t>(v); }

}  // namespace

// The database and its prepared statements (prepared once; reused for every block).
struct Chain::Db {
  store::Database db;
  store::Statement insert_block;
  store::Statement insert_tx;
  store::Statement upsert_state;
  store::Statement delete_state;
  store::Statement set_meta;
  store::Statement get_meta;
  store::Statement select_header;
  store::Statement select_block_txs;
  store::Statement locate_tx;
  store::Statement select_tx;

  static Result<std::unique_ptr<Db>> prepare(store::Database database) {
    auto d = std::make_unique<Db>();
    d->db = std::move(database);
    // A block touches random pages of a large state table: keep them cached (64 MiB) rather
    // than re-reading them from the OS for every block.
    // Checkpoint less often (64 MiB of WAL) so pages touched by consecutive blocks are written
    // back to the database file once.
    DD_TRY(d->db.exec("PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384"));
    DD_ASSIGN(d->insert_block,
              d->db.prepare("INSERT INTO blocks (height, hash, header) VALUES (?1, ?2, ?3)"));
    DD_ASSIGN(d->insert_tx,
              d->db.prepare("INSERT INTO txs (id, height, idx, bytes) VALUES (?1, ?2, ?3, ?4)"));
    DD_ASSIGN(d->upsert_state, d->db.prepare("INSERT INTO state (key, value) VALUES (?1, ?2) "
                                             "ON CONFLICT (key) DO UPDATE SET value = ?2"));
    DD_ASSIGN(d->delete_state, d->db.prepare("DELETE FROM state WHERE key = ?1"));
    DD_ASSIGN(d->set_meta, d->db.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                         "ON CONFLICT (key) DO UPDATE SET value = ?2"));
    DD_ASSIGN(d->get_meta, d->db.prepare("SELECT value FROM meta WHERE key = ?1"));
    DD_ASSIGN(d->select_header, d->db.prepare("SELECT header FROM blocks WHERE height = ?1"));
    DD_ASSIGN(d->select_block_txs,
              d->db.prepare("SELECT bytes FROM txs WHERE height = ?1 ORDER BY idx"));
    DD_ASSIGN(d->locate_tx, d->db.prepare("SELECT height, idx FROM txs WHERE id = ?1"));
    DD_ASSIGN(d->select_tx, d->db.prepare("SELECT bytes FROM txs WHERE id = ?1"));
    return d;
  }

  Status put_meta_blob(std::string_view key, ByteView value) {
    ResetOnExit r(set_meta);
    DD_TRY(set_meta.bind_text(1, key));
    DD_TRY(set_meta.bind_blob(2, value));
    return set_meta.run();
  }
  Status put_meta_int(std::string_view key, int64_t value) {
    ResetOnExit r(set_meta);
    DD_TRY(set_meta.bind_text(1, key));
    DD_TRY(set_meta.bind_int64(2, value));
    return set_meta.run();
  }
  // nullopt if the key is absent.
  Result<std::optional<Bytes>> meta_blob(std::string_view key) {
    ResetOnExit r(get_meta);
    DD_TRY(get_meta.bind_text(1, key));
    DD_ASSIGN(bool row, get_meta.step());
    if (!row) return std::optional<Bytes>();
    return std::optional<Bytes>(get_meta.column_blob(0));
  }
  Result<std::optional<int64_t>> meta_int(std::string_view key) {
    ResetOnExit r(get_meta);
    DD_TRY(get_meta.bind_text(1, key));
    DD_ASSIGN(bool row, get_meta.step());
    if (!row) return std::optional<int64_t>();
    return std::optional<int64_t>(get_meta.column_int64(0));
  }

  Status write_entries(const std::vector<StateEntry>& entries) {
    for (const StateEntry& e : entries) {
      if (e.value) {
        ResetOnExit r(upsert_state);
        DD_TRY(upsert_state.bind_blob(1, e.key));
        DD_TRY(upsert_state.bind_blob(2, *e.value));
        DD_TRY(upsert_state.run());
      } else {
        ResetOnExit r(delete_state);
        DD_TRY(delete_state.bind_blob(1, e.key));
        DD_TRY(delete_state.run());
      }
    }
    return Status::Ok();
  }

  Status write_block(const SignedHeader& header, const Hash32& hash,
                     const std::vector<Bytes>& tx_bytes, const std::vector<Hash32>& tx_ids) {
    {
      ResetOnExit r(insert_block);
      DD_TRY(insert_block.bind_int64(1, as_i64(header.header.height)));
      DD_TRY(insert_block.bind_blob(2, hash));
      DD_TRY(insert_block.bind_blob(3, encode(header)));
      DD_TRY(insert_block.run());
    }
    for (size_t i = 0; i < tx_bytes.size(); ++i) {
      ResetOnExit r(insert_tx);
      DD_TRY(insert_tx.bind_blob(1, tx_ids[i]));
      DD_TRY(insert_tx.bind_int64(2, as_i64(header.header.height)));
      DD_TRY(insert_tx.bind_int64(3, static_cast<int64_t>(i)));
      DD_TRY(insert_tx.bind_blob(4, tx_bytes[i]));
      DD_TRY(insert_tx.run());
    }
    return put_meta_int("head", as_i64(header.header.height));
  }

  Result<std::vector<StateEntry>> read_state() {
    DD_ASSIGN(store::Statement st, db.prepare("SELECT key, value FROM state"));
    std::vector<StateEntry> out;
    for (;;) {
      DD_ASSIGN(bool row, st.step());
      if (!row) break;
      out.push_back(StateEntry{st.column_blob(0), st.column_blob(1)});
    }
    return out;
  }

  Result<SignedHeader> read_header(uint64_t height) {
    ResetOnExit r(select_header);
    DD_TRY(select_header.bind_int64(1, as_i64(height)));
    DD_ASSIGN(bool row, select_header.step());
    if (!row) {
      return make_error(ErrorCode::kNotFound, "block " + std::to_string(height) + " not found");
    }
    auto h = decode_signed_header(select_header.column_blob(0));
    if (!h.ok()) return corruption(db.path(), h.error().message);
    if (h->header.height != height) {
      return corruption(db.path(), "block row " + std::to_string(height) + " holds the header of " +
                                       std::to_string(h->header.height));
    }
    return h;
  }

  Result<std::vector<Bytes>> read_block_txs(uint64_t height) {
    ResetOnExit r(select_block_txs);
    DD_TRY(select_block_txs.bind_int64(1, as_i64(height)));
    std::vector<Bytes> out;
    for (;;) {
      DD_ASSIGN(bool row, select_block_txs.step());
      if (!row) break;
      out.push_back(select_block_txs.column_blob(0));
    }
    return out;
  }
};

Chain::Chain(std::unique_ptr<Db> db, State state, Genesis genesis, SignedHeader head,
             crypto::PublicKey operator_key)
    : db_(std::move(db)),
      state_(std::move(state)),
      genesis_(std::move(genesis)),
      genesis_hash_(crypto::blake2b256(encode(genesis_))),
      head_(std::move(head)),
      head_hash_(header_hash(head_.header)),
      operator_(operator_key) {}

Chain::~Chain() = default;

Result<std::unique_ptr<Chain>> Chain::create(const std::filesystem::path& path,
                                             const Genesis& genesis,
                                             const crypto::SigningKeyPair& operator_key) {
  DD_ASSIGN(State state, State::from_genesis(genesis));
  DD_ASSIGN(store::Database database, store::Database::open(path));
  DD_TRY(database.exec(kSchema));
  DD_ASSIGN(std::unique_ptr<Db> db, Db::prepare(std::move(database)));

  DD_ASSIGN(auto txn, store::Transaction::begin(db->db));
  DD_ASSIGN(auto existing, db->meta_blob("genesis"));
  if (existing) {
    return make_error(ErrorCode::kAlreadyExists,
                      "chain " + path.string() + ": the database already holds a chain");
  }
  Bytes genesis_bytes = encode(genesis);
  BlockHeader h;
  h.chain_id = genesis.chain_id;
  h.height = 0;
  h.tx_root = merkle_empty_root();
  h.state_hash = state.state_hash();
  h.genesis_hash = crypto::blake2b256(genesis_bytes);
  h.timestamp = genesis.timestamp;
  h.tx_count = 0;
  SignedHeader head = sign_header(h, operator_key);

  DD_TRY(db->put_meta_int("schema", kSchemaVersion));
  DD_TRY(db->put_meta_blob("genesis", genesis_bytes));
  DD_TRY(db->put_meta_blob("operator", operator_key.public_key));
  DD_TRY(db->write_block(head, header_hash(head.header), {}, {}));
  DD_TRY(db->write_entries(state.entries()));
  DD_TRY(txn.commit());
  return std::unique_ptr<Chain>(new Chain(std::move(db), std::move(state), genesis, std::move(head),
                                          operator_key.public_key));
}

Result<std::unique_ptr<Chain>> Chain::open(const std::filesystem::path& path) {
  DD_ASSIGN(store::Database database,
            store::Database::open(path, store::OpenOptions{.create_if_missing = false}));
  DD_ASSIGN(std::unique_ptr<Db> db, Db::prepare(std::move(database)));

  DD_ASSIGN(auto schema, db->meta_int("schema"));
  if (!schema) return corruption(path, "no chain in this database (missing schema version)");
  if (*schema != kSchemaVersion) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "chain " + path.string() + ": unsupported schema version " + std::to_string(*schema));
  }
  DD_ASSIGN(auto genesis_bytes, db->meta_blob("genesis"));
  DD_ASSIGN(auto operator_bytes, db->meta_blob("operator"));
  DD_ASSIGN(auto head_height, db->meta_int("head"));
  if (!genesis_bytes || !operator_bytes || !head_height || *head_height < 0) {
    return corruption(path, "chain metadata is incomplete");
  }
  auto genesis = decode_genesis(*genesis_bytes);
  if (!genesis.ok()) return corruption(path, "genesis: " + genesis.error().message);
  if (operator_bytes->size() != crypto::kSignPublicKeyBytes) {
    return corruption(path,
                      "operator key has " + std::to_string(operator_bytes->size()) + " bytes");
  }
  crypto::PublicKey op{};
  std::copy(operator_bytes->begin(), operator_bytes->end(), op.begin());

  uint64_t height = static_cast<uint64_t>(*head_height);
  DD_ASSIGN(SignedHeader head, db->read_header(height));
  if (Status s = verify_header_signature(head); !s.ok()) return corruption(path, s.error().message);
  if (head.header.proposer != op) {
    return corruption(
        path, "head block " + std::to_string(height) + " was not signed by the chain's operator");
  }
  if (head.header.genesis_hash != crypto::blake2b256(*genesis_bytes) ||
      head.header.chain_id != genesis->chain_id) {
    return corruption(path, "head block " + std::to_string(height) + " is not of this chain");
  }
  // Nothing may exist beyond the head: blocks and the head pointer are written together.
  if (auto next = db->read_header(height + 1); next.ok()) {
    return corruption(path, "block " + std::to_string(height + 1) + " exists beyond the head");
  }
  if (height > 0) {
    DD_ASSIGN(SignedHeader prev, db->read_header(height - 1));
    if (header_hash(prev.header) != head.header.prev_hash) {
      return corruption(path, "head block " + std::to_string(height) + " does not link to block " +
                                  std::to_string(height - 1));
    }
  }

  DD_ASSIGN(auto entries, db->read_state());
  auto state = State::from_entries(genesis->chain_id, entries);
  if (!state.ok()) return corruption(path, "state: " + state.error().message);
  if (state->state_hash() != head.header.state_hash) {
    return corruption(path, "state hash " + short_hex(state->state_hash()) +
                                " does not match head block " + std::to_string(height) + "'s " +
                                short_hex(head.header.state_hash));
  }
  return std::unique_ptr<Chain>(new Chain(std::move(db), std::move(state).value(),
                                          std::move(genesis).value(), std::move(head), op));
}

Status Chain::check_usable() const {
  if (broken_) {
    return make_error(ErrorCode::kIoError,
                      "chain " + db_->db.path().string() +
                          ": a failed write left memory and disk out of step; reopen the chain");
  }
  return Status::Ok();
}

Status Chain::reload_state() {
  auto entries = db_->read_state();
  if (!entries.ok()) return entries.error();
  auto state = State::from_entries(state_.chain_id(), *entries);
  if (!state.ok()) return state.error();
  if (state->state_hash() != head_.header.state_hash) {
    return corruption(db_->db.path(), "reloaded state does not match the head");
  }
  state_ = std::move(state).value();
  return Status::Ok();
}

Status Chain::persist(const SignedHeader& header, const std::vector<Bytes>& tx_bytes,
                      const std::vector<Hash32>& tx_ids, const std::vector<StateEntry>& entries) {
  Hash32 hash = header_hash(header.header);
  Status s = [&]() -> Status {
    DD_ASSIGN(auto txn, store::Transaction::begin(db_->db));
    DD_TRY(db_->write_block(header, hash, tx_bytes, tx_ids));
    DD_TRY(db_->write_entries(entries));
    return txn.commit();
  }();
  if (!s.ok()) {
    // commit_block() already folded the block into state_; the database still holds the
    // previous state, so rebuild from it (rare: disk full, I/O error).
    if (!reload_state().ok()) broken_ = true;
    return s.error().with_context("block " + std::to_string(header.header.height));
  }
  head_ = header;
  head_hash_ = hash;
  return Status::Ok();
}

Result<ProducedBlock> Chain::produce_block(const std::vector<Transaction>& candidates,
                                           uint64_t timestamp,
                                           const crypto::SigningKeyPair& proposer) {
  DD_TRY(check_usable());
  const uint64_t height = head_.header.height + 1;
  if (proposer.public_key != operator_) {
    return make_error(ErrorCode::kPermissionDenied,
                      "block " + std::to_string(height) + ": proposer " +
                          short_hex(proposer.public_key) + " is not the chain's operator " +
                          short_hex(operator_));
  }
  if (timestamp < head_.header.timestamp) {
    return make_error(ErrorCode::kInvalidArgument, "block " + std::to_string(height) +
                                                       ": timestamp " + std::to_string(timestamp) +
                                                       " is before the head's " +
                                                       std::to_string(head_.header.timestamp));
  }
  const BlockContext ctx{height, timestamp};
  // Room for the header, signature and count; each tx costs its length prefix and bytes.
  const size_t budget = kMaxBlockBytes - kMaxHeaderBytes - crypto::kSignatureBytes - 4;
  size_t used = 0;

  ProducedBlock out;
  std::vector<Bytes> tx_bytes;
  std::vector<Hash32> leaves;
  for (const Transaction& tx : candidates) {
    Bytes enc = encode(tx);
    Hash32 id = crypto::blake2b256(enc);
    if (out.included.size() == kMaxTxsPerBlock || used + 4 + enc.size() > budget) {
      out.rejected.emplace_back(
          id, make_error(ErrorCode::kLimitExceeded,
                         "tx " + short_hex(id) + ": block " + std::to_string(height) + " is full"));
      continue;
    }
    if (Status s = state_.apply(tx, ctx); !s.ok()) {
      out.rejected.emplace_back(id, s.error());
      continue;
    }
    used += 4 + enc.size();
    leaves.push_back(merkle_leaf_hash(enc));
    out.included.push_back(id);
    tx_bytes.push_back(std::move(enc));
  }
  if (out.included.empty() && !candidates.empty()) {
    state_.rollback_block();  // nothing to undo (failed txs leave no trace); keeps it explicit
    return out;
  }

  state_.end_block(ctx);
  std::vector<StateEntry> entries = state_.commit_block();
  BlockHeader h;
  h.chain_id = state_.chain_id();
  h.height = height;
  h.prev_hash = head_hash_;
  h.tx_root = merkle_root_of_hashes(leaves);
  h.state_hash = state_.state_hash();
  h.genesis_hash = genesis_hash_;
  h.timestamp = timestamp;
  h.tx_count = static_cast<uint32_t>(out.included.size());
  out.header = sign_header(std::move(h), proposer);
  DD_TRY(persist(out.header, tx_bytes, out.included, entries));
  return out;
}

Status Chain::apply_block(const Block& block) {
  DD_TRY(check_usable());
  const BlockHeader& h = block.header.header;
  const std::string what = "block " + std::to_string(h.height);
  auto reject = [&](ErrorCode code, const std::string& why) -> Status {
    return make_error(code, what + ": " + why);
  };
  if (h.version != kBlockVersion) return reject(ErrorCode::kInvalidArgument, "unknown version");
  if (h.height != head_.header.height + 1) {
    return reject(ErrorCode::kFailedPrecondition,
                  "does not extend the head (height " + std::to_string(head_.header.height) + ")");
  }
  if (h.chain_id != state_.chain_id() || h.genesis_hash != genesis_hash_) {
    return reject(ErrorCode::kInvalidArgument, "belongs to another chain");
  }
  if (h.prev_hash != head_hash_) {
    return reject(
        ErrorCode::kFailedPrecondition,
        "prev hash " + short_hex(h.prev_hash) + " is not the head's " + short_hex(head_hash_));
  }
  if (h.timestamp < head_.header.timestamp) {
    return reject(ErrorCode::kInvalidArgument, "timestamp is before the head's");
  }
  if (h.proposer != operator_) {
    return reject(ErrorCode::kPermissionDenied,
                  "proposer " + short_hex(h.proposer) + " is not the chain's operator");
  }
  if (block.txs.size() > kMaxTxsPerBlock) {  // 0 is a heartbeat block
    return reject(ErrorCode::kInvalidArgument, std::to_string(block.txs.size()) +
                                                   " transactions (allowed 0.." +
                                                   std::to_string(kMaxTxsPerBlock) + ")");
  }
  DD_TRY(verify_header_signature(block.header));

  std::vector<Bytes> tx_bytes;
  std::vector<Hash32> ids, leaves;
  tx_bytes.reserve(block.txs.size());
  size_t total = 0;
  for (const Transaction& tx : block.txs) {
    tx_bytes.push_back(encode(tx));
    total += 4 + tx_bytes.back().size();
    ids.push_back(crypto::blake2b256(tx_bytes.back()));
    leaves.push_back(merkle_leaf_hash(tx_bytes.back()));
  }
  if (total > kMaxBlockBytes) return reject(ErrorCode::kLimitExceeded, "too many bytes");
  if (h.tx_count != block.txs.size() || merkle_root_of_hashes(leaves) != h.tx_root) {
    return reject(ErrorCode::kCorruption, "transactions do not match the header's tx root");
  }

  const BlockContext ctx{h.height, h.timestamp};
  for (size_t i = 0; i < block.txs.size(); ++i) {
    if (Status s = state_.apply(block.txs[i], ctx); !s.ok()) {
      state_.rollback_block();
      return s.error().with_context(what + ": tx " + std::to_string(i));
    }
  }
  state_.end_block(ctx);
  std::vector<StateEntry> entries = state_.commit_block();
  if (state_.state_hash() != h.state_hash) {
    Hash32 got = state_.state_hash();
    if (!reload_state().ok()) broken_ = true;
    return reject(ErrorCode::kCorruption, "state hash after applying is " + short_hex(got) +
                                              " but the header says " + short_hex(h.state_hash));
  }
  return persist(block.header, tx_bytes, ids, entries);
}

Result<SignedHeader> Chain::header(uint64_t height) { return db_->read_header(height); }

Result<Block> Chain::block(uint64_t height) {
  Block b;
  DD_ASSIGN(b.header, db_->read_header(height));
  DD_ASSIGN(auto rows, db_->read_block_txs(height));
  for (size_t i = 0; i < rows.size(); ++i) {
    auto tx = decode(rows[i]);
    if (!tx.ok()) {
      return corruption(db_->db.path(), "block " + std::to_string(height) + " tx " +
                                            std::to_string(i) + ": " + tx.error().message);
    }
    b.txs.push_back(std::move(tx).value());
  }
  if (Status s = check_block_body(b); !s.ok()) return corruption(db_->db.path(), s.error().message);
  return b;
}

Result<TxLocation> Chain::locate(const Hash32& id) {
  ResetOnExit r(db_->locate_tx);
  DD_TRY(db_->locate_tx.bind_blob(1, id));
  DD_ASSIGN(bool row, db_->locate_tx.step());
  if (!row) return make_error(ErrorCode::kNotFound, "tx " + short_hex(id) + " is not in the chain");
  return TxLocation{static_cast<uint64_t>(db_->locate_tx.column_int64(0)),
                    static_cast<uint32_t>(db_->locate_tx.column_int64(1))};
}

Result<Transaction> Chain::tx(const Hash32& id) {
  Bytes bytes;
  {
    ResetOnExit r(db_->select_tx);
    DD_TRY(db_->select_tx.bind_blob(1, id));
    DD_ASSIGN(bool row, db_->select_tx.step());
    if (!row) {
      return make_error(ErrorCode::kNotFound, "tx " + short_hex(id) + " is not in the chain");
    }
    bytes = db_->select_tx.column_blob(0);
  }
  auto tx = decode(bytes);
  if (!tx.ok())
    return corruption(db_->db.path(), "tx " + short_hex(id) + ": " + tx.error().message);
  return tx;
}

Result<TxProof> Chain::prove(const Hash32& id) {
  DD_ASSIGN(TxLocation loc, locate(id));
  TxProof p;
  DD_ASSIGN(p.header, db_->read_header(loc.height));
  DD_ASSIGN(auto rows, db_->read_block_txs(loc.height));
  if (loc.index >= rows.size() || rows.size() != p.header.header.tx_count) {
    return corruption(db_->db.path(), "block " + std::to_string(loc.height) + " has " +
                                          std::to_string(rows.size()) +
                                          " stored txs, header says " +
                                          std::to_string(p.header.header.tx_count));
  }
  std::vector<Hash32> leaves;
  leaves.reserve(rows.size());
  for (const Bytes& b : rows) leaves.push_back(merkle_leaf_hash(b));
  p.proof = prove_from_hashes(leaves, loc.index);
  p.tx_bytes = std::move(rows[loc.index]);
  return p;
}

// ---- Offline proof verification ------------------------------------------------------------

Status verify_tx_proof(const TxProof& p, const crypto::PublicKey& trusted_operator) {
  const BlockHeader& h = p.header.header;
  const std::string what = "tx proof for block " + std::to_string(h.height);
  const crypto::PublicKey zero{};
  if (trusted_operator != zero && h.proposer != trusted_operator) {
    return make_error(ErrorCode::kUnauthenticated, what + ": signed by " + short_hex(h.proposer) +
                                                       ", not the trusted operator " +
                                                       short_hex(trusted_operator));
  }
  DD_TRY(verify_header_signature(p.header));
  auto tx = decode(p.tx_bytes);
  if (!tx.ok()) return tx.error().with_context(what);
  if (tx->chain_id != h.chain_id) {
    return make_error(ErrorCode::kInvalidArgument, what + ": tx is for chain '" + tx->chain_id +
                                                       "', block is '" + h.chain_id + "'");
  }
  if (p.proof.tree_size != h.tx_count) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": proof is for a tree of " + std::to_string(p.proof.tree_size) +
                          " txs, the block has " + std::to_string(h.tx_count));
  }
  if (!verify_inclusion(p.tx_bytes, p.proof, h.tx_root)) {
    return make_error(ErrorCode::kUnauthenticated,
                      what + ": tx " + short_hex(crypto::blake2b256(p.tx_bytes)) + " is not leaf " +
                          std::to_string(p.proof.leaf_index) + " under the block's tx root");
  }
  return Status::Ok();
}

// ---- JSON ----------------------------------------------------------------------------------

namespace {

constexpr std::string_view kProofFormat = "datadao/tx-proof/v1";

Result<std::string> get_string(const nlohmann::json& j, const char* field, size_t max_len) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("tx proof: field '") + field + "' missing or not a string");
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) {
    return make_error(ErrorCode::kLimitExceeded,
                      std::string("tx proof: field '") + field + "' is too long");
  }
  return s;
}

Result<uint64_t> get_u64(const nlohmann::json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_number_unsigned()) {
    return make_error(ErrorCode::kInvalidArgument, std::string("tx proof: field '") + field +
                                                       "' missing or not an unsigned integer");
  }
  return it->get<uint64_t>();
}

Result<Hash32> get_hash(const nlohmann::json& j, const char* field) {
  DD_ASSIGN(std::string s, get_string(j, field, 64));
  return codec::from_hex_fixed<32>(s, std::string("tx proof: field '") + field + "'");
}

}  // namespace

nlohmann::json tx_proof_to_json(const TxProof& p) {
  nlohmann::json path = nlohmann::json::array();
  for (const Hash32& h : p.proof.path) path.push_back(codec::to_hex(h));
  return nlohmann::json{
      {"format", kProofFormat},
      {"tx_id", codec::to_hex(crypto::blake2b256(p.tx_bytes))},
      {"tx", codec::to_hex(p.tx_bytes)},
      {"header", codec::to_hex(encode(p.header))},
      {"chain_id", p.header.header.chain_id},
      {"height", p.header.header.height},
      {"block_hash", codec::to_hex(header_hash(p.header.header))},
      {"tx_root", codec::to_hex(p.header.header.tx_root)},
      {"proposer", codec::to_hex(p.header.header.proposer)},
      {"leaf_index", p.proof.leaf_index},
      {"tree_size", p.proof.tree_size},
      {"path", path},
  };
}

Result<TxProof> tx_proof_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return make_error(ErrorCode::kInvalidArgument, "tx proof: not a JSON object");
  DD_ASSIGN(std::string format, get_string(j, "format", 64));
  if (format != kProofFormat) {
    return make_error(ErrorCode::kInvalidArgument, "tx proof: unknown format '" + format + "'");
  }
  TxProof p;
  DD_ASSIGN(std::string tx_hex, get_string(j, "tx", 2 * kMaxTxBytes));
  DD_ASSIGN(p.tx_bytes, codec::from_hex(tx_hex, "tx proof: field 'tx'"));
  DD_ASSIGN(std::string header_hex,
            get_string(j, "header", 2 * (kMaxHeaderBytes + crypto::kSignatureBytes)));
  DD_ASSIGN(Bytes header_bytes, codec::from_hex(header_hex, "tx proof: field 'header'"));
  auto header = decode_signed_header(header_bytes);
  if (!header.ok()) return header.error().with_context("tx proof: field 'header'");
  p.header = std::move(header).value();
  DD_ASSIGN(p.proof.leaf_index, get_u64(j, "leaf_index"));
  DD_ASSIGN(p.proof.tree_size, get_u64(j, "tree_size"));
  auto path = j.find("path");
  if (path == j.end() || !path->is_array()) {
    return make_error(ErrorCode::kInvalidArgument, "tx proof: field 'path' missing or not a list");
  }
  if (path->size() > kMaxMerklePathLength) {
    return make_error(ErrorCode::kLimitExceeded,
                      "tx proof: field 'path' has " + std::to_string(path->size()) + " entries");
  }
  for (size_t i = 0; i < path->size(); ++i) {
    const auto& e = (*path)[i];
    std::string field = "tx proof: field 'path'[" + std::to_string(i) + "]";
    if (!e.is_string()) return make_error(ErrorCode::kInvalidArgument, field + ": not a string");
    DD_ASSIGN(Hash32 h, codec::from_hex_fixed<32>(e.get_ref<const std::string&>(), field));
    p.proof.path.push_back(h);
  }
  // The readable copies must agree with what is signed, so a reader is never misled.
  DD_ASSIGN(Hash32 tx_id, get_hash(j, "tx_id"));
  DD_ASSIGN(Hash32 block_hash, get_hash(j, "block_hash"));
  DD_ASSIGN(Hash32 tx_root, get_hash(j, "tx_root"));
  DD_ASSIGN(uint64_t height, get_u64(j, "height"));
  DD_ASSIGN(std::string chain_id, get_string(j, "chain_id", kMaxChainIdBytes));
  DD_ASSIGN(Hash32 proposer, get_hash(j, "proposer"));
  if (tx_id != crypto::blake2b256(p.tx_bytes) || block_hash != header_hash(p.header.header) ||
      tx_root != p.header.header.tx_root || height != p.header.header.height ||
      chain_id != p.header.header.chain_id || proposer != p.header.header.proposer) {
    return make_error(ErrorCode::kInvalidArgument,
                      "tx proof: tx_id, block_hash, tx_root, height, chain_id or proposer "
                      "disagree with 'tx'/'header'");
  }
  return p;
}

}  // namespace datadao::ledger
