#include "datadao/node/node.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/store/file.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::node {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMaxConfigBytes = 64 * 1024;
constexpr size_t kMaxDecidedOutcomes = 200000;

}  // namespace

Status init_node(const NodePaths& paths, const NodeConfig& config, const ledger::Genesis& genesis) {
  if (fs::exists(paths.chain_db())) {
    return make_error(ErrorCode::kAlreadyExists, "a node already exists in " + paths.dir.string() +
                                                     " (remove that folder to start a new chain)");
  }
  if (genesis.chain_id != config.chain_id) {
    return make_error(ErrorCode::kInvalidArgument, "genesis chain id differs from the config's");
  }
  std::error_code ec;
  fs::create_directories(paths.dir, ec);
  if (ec) return make_error(ErrorCode::kIoError, paths.dir.string() + ": " + ec.message());
  fs::permissions(paths.dir, fs::perms::owner_all, ec);

  auto key = crypto::SigningKeyPair::generate();
  std::array<uint8_t, 32> seed{};
  std::copy_n(key.secret_key.data(), 32, seed.begin());  // libsodium: sk = seed || pk
  json key_json = {{"format", "datadao-node-key"},
                   {"public_key", codec::to_hex(key.public_key)},
                   {"seed", codec::to_hex(seed)}};
  crypto::wipe(seed);
  DD_TRY(store::write_file_atomic(paths.operator_key(), key_json.dump(2) + "\n"));

  json cfg = {{"chain_id", config.chain_id},
              {"listen_host", config.listen_host},
              {"port", config.port},
              {"block_interval_ms", config.block_interval_ms},
              {"max_blob_bytes", config.max_blob_bytes}};
  DD_TRY(store::write_file_atomic(paths.config(), cfg.dump(2) + "\n",
                                  store::WriteOptions{.mode = 0644}));

  auto chain = ledger::Chain::create(paths.chain_db(), genesis, key);
  if (!chain.ok()) return chain.error();
  return Status::Ok();
}

Result<NodeConfig> load_config(const NodePaths& paths) {
  if (!fs::exists(paths.config())) {
    return make_error(ErrorCode::kNotFound,
                      "no node in " + paths.dir.string() + " (run `datadao node init` first)");
  }
  DD_ASSIGN(std::string text, store::read_text_file(paths.config(), kMaxConfigBytes));
  try {
    json j = json::parse(text);
    NodeConfig c;
    c.chain_id = j.at("chain_id").get<std::string>();
    c.listen_host = j.value("listen_host", c.listen_host);
    c.port = j.value("port", c.port);
    c.block_interval_ms = j.value("block_interval_ms", c.block_interval_ms);
    c.max_blob_bytes = j.value("max_blob_bytes", c.max_blob_bytes);
    if (c.block_interval_ms == 0 || c.block_interval_ms > 60000) {
      return make_error(ErrorCode::kInvalidArgument,
                        paths.config().string() + ": block_interval_ms must be 1..60000");
    }
    return c;
  } catch (const json::exception& e) {
    return make_error(ErrorCode::kCorruption, paths.config().string() + ": " + e.what());
  }
}

Result<crypto::SigningKeyPair> load_operator_key(const NodePaths& paths) {
  DD_ASSIGN(std::string text, store::read_text_file(paths.operator_key(), kMaxConfigBytes));
  const std::string name = paths.operator_key().string();
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("seed") || !j["seed"].is_string() ||
      !j.contains("public_key") || !j["public_key"].is_string()) {
    return make_error(ErrorCode::kCorruption, name + ": not a datadao node key file");
  }
  auto seed = codec::from_hex_fixed<32>(j["seed"].get<std::string>(), name + " seed");
  if (!seed.ok()) return make_error(ErrorCode::kCorruption, seed.error().message);
  auto key = crypto::SigningKeyPair::from_seed(*seed);
  crypto::wipe(*seed);
  if (codec::to_hex(key.public_key) != j["public_key"].get<std::string>()) {
    return make_error(ErrorCode::kCorruption, name + ": seed does not match the public key");
  }
  return key;
}

Result<crypto::BoxKeyPair> load_serving_key(const NodePaths& paths) {
  DD_ASSIGN(std::string text, store::read_text_file(paths.operator_key(), kMaxConfigBytes));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("seed") || !j["seed"].is_string()) {
    return make_error(ErrorCode::kCorruption,
                      paths.operator_key().string() + ": not a datadao node key file");
  }
  auto seed = codec::from_hex_fixed<32>(j["seed"].get<std::string>(), "operator key seed");
  if (!seed.ok()) return make_error(ErrorCode::kCorruption, seed.error().message);
  // Domain-separated: the serving key is not the signing key's curve25519 twin.
  crypto::Bytes material(std::string_view("datadao/node-serving/v1").begin(),
                         std::string_view("datadao/node-serving/v1").end());
  material.insert(material.end(), seed->begin(), seed->end());
  crypto::wipe(*seed);
  crypto::Hash32 derived = crypto::blake2b256(material);
  crypto::wipe(material);
  crypto::BoxKeyPair key = crypto::BoxKeyPair::from_seed(derived);
  crypto::wipe(derived);
  return key;
}

struct Node::Impl {
  ~Impl();
  void start();
  void stop();
  Result<TxOutcome> submit(crypto::ByteView tx_bytes, bool wait, std::chrono::milliseconds timeout);
  size_t mempool_size() const;
  Status report_model_progress(uint64_t model_id, ModelProgress p);
  std::optional<ModelProgress> model_progress(uint64_t model_id) const;
  template <class F>
  auto read(F&& fn) {
    std::lock_guard lock(chain_mu_);
    return fn(*chain_);
  }
  void run();
  // How long an idle node waits before a heartbeat block (made only while a proposal or a
  // model's vote or consent window is open):
  // ten block intervals, at most 1 s, at least one block interval.
  std::chrono::milliseconds heartbeat_interval() const;
  void finish(const crypto::Hash32& id, const TxOutcome& outcome);

  NodePaths paths_;
  NodeConfig config_;
  crypto::SigningKeyPair operator_key_;
  crypto::BoxKeyPair serving_key_;
  std::shared_ptr<InferenceEngine> engine_;
  std::unique_ptr<ledger::Chain> chain_;
  std::unique_ptr<vault::LocalDirBackend> blobs_;
  mutable std::mutex chain_mu_;
  // Lock order: pool_mu_ before chain_mu_ when both are held (the block producer's heartbeat).
  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<ledger::Transaction> pending_;
  std::map<crypto::Hash32, TxOutcome> outcomes_;  // pending or recently decided; bounded
  std::vector<crypto::Hash32> decided_order_;     // FIFO for trimming outcomes_
  std::atomic<bool> stopping_{false};
  int lock_fd_ = -1;  // flock on <dir>/LOCK: one node process per node directory
  std::thread thread_;
  mutable std::mutex progress_mu_;              // never held with the other two
  std::map<uint64_t, ModelProgress> progress_;  // latest report per model id
};

Node::Node() = default;
Node::~Node() = default;

void Node::start() { impl_->start(); }
void Node::stop() { impl_->stop(); }
Result<TxOutcome> Node::submit(crypto::ByteView tx_bytes, bool wait,
                               std::chrono::milliseconds timeout) {
  return impl_->submit(tx_bytes, wait, timeout);
}
void Node::with_chain(const std::function<void(ledger::Chain&)>& fn) {
  impl_->read([&](ledger::Chain& c) {
    fn(c);
    return 0;
  });
}
const NodeConfig& Node::config() const { return impl_->config_; }
const crypto::PublicKey& Node::operator_public_key() const {
  return impl_->operator_key_.public_key;
}
const crypto::BoxKeyPair& Node::serving_key() const { return impl_->serving_key_; }
void Node::set_inference_engine(std::shared_ptr<InferenceEngine> engine) {
  impl_->engine_ = std::move(engine);
}
InferenceEngine* Node::inference_engine() const { return impl_->engine_.get(); }
vault::Backend& Node::blobs() { return *impl_->blobs_; }
size_t Node::mempool_size() const { return impl_->mempool_size(); }
Status Node::report_model_progress(uint64_t model_id, ModelProgress p) {
  return impl_->report_model_progress(model_id, std::move(p));
}
std::optional<ModelProgress> Node::model_progress(uint64_t model_id) const {
  return impl_->model_progress(model_id);
}

Result<std::unique_ptr<Node>> Node::open(const NodePaths& paths) {
  std::unique_ptr<Node> node(new Node());
  node->impl_ = std::make_unique<Impl>();
  Impl& in = *node->impl_;
  in.paths_ = paths;
  DD_ASSIGN(in.config_, load_config(paths));
  in.lock_fd_ = ::open(paths.lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (in.lock_fd_ < 0) {
    return make_error(ErrorCode::kIoError, paths.lock().string() + ": cannot create lock file");
  }
  if (::flock(in.lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "another node is already running on " + paths.dir.string());
  }
  DD_ASSIGN(in.operator_key_, load_operator_key(paths));
  DD_ASSIGN(in.serving_key_, load_serving_key(paths));
  DD_ASSIGN(in.chain_, ledger::Chain::open(paths.chain_db()));
  if (in.chain_->state().chain_id() != in.config_.chain_id) {
    return make_error(ErrorCode::kCorruption, "chain database and config disagree on chain id");
  }
  in.blobs_ = std::make_unique<vault::LocalDirBackend>(paths.blobs());
  return node;
}

Node::Impl::~Impl() {
  stop();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

void Node::Impl::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Node::Impl::stop() {
  {
    std::lock_guard lock(pool_mu_);
    stopping_ = true;
  }
  pool_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t Node::Impl::mempool_size() const {
  std::lock_guard lock(pool_mu_);
  return pending_.size();
}

Result<TxOutcome> Node::Impl::submit(crypto::ByteView tx_bytes, bool wait,
                               std::chrono::milliseconds timeout) {
  DD_ASSIGN(ledger::Transaction tx, ledger::decode(tx_bytes));
  if (tx.chain_id != config_.chain_id) {
    return make_error(ErrorCode::kInvalidArgument, "transaction is for chain '" + tx.chain_id +
                                                       "', this node runs '" + config_.chain_id +
                                                       "'");
  }
  if (!ledger::verify_signature(tx)) {
    return make_error(ErrorCode::kUnauthenticated,
                      "transaction signature does not verify for its sender");
  }
  const crypto::Hash32 id = ledger::tx_id(tx);
  std::unique_lock lock(pool_mu_);
  auto it = outcomes_.find(id);
  // A rejected transaction may be valid now (funds arrived, the grant was made): identical
  // bytes are re-evaluated rather than answered from the old verdict. An included one is not
  // resubmitted (its nonce is spent), so asking again just returns where it is.
  if (it != outcomes_.end() && it->second.status == TxOutcome::Status::kRejected) {
    outcomes_.erase(it);
    it = outcomes_.end();
  }
  if (it == outcomes_.end()) {
    if (pending_.size() >= kMaxMempool) {
      return make_error(ErrorCode::kLimitExceeded, "mempool is full; retry later");
    }
    TxOutcome pending;
    pending.tx_id = id;
    outcomes_.emplace(id, pending);
    pending_.push_back(std::move(tx));
    pool_cv_.notify_all();
  }
  const bool duplicate = it != outcomes_.end();
  if (!wait) {
    TxOutcome o = outcomes_.at(id);
    o.duplicate = duplicate;
    return o;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pool_cv_.wait_until(lock, deadline, [&] {
    auto o = outcomes_.find(id);
    return stopping_ || o == outcomes_.end() || o->second.status != TxOutcome::Status::kPending;
  });
  auto o = outcomes_.find(id);
  if (o == outcomes_.end()) {
    return make_error(ErrorCode::kInternal, "transaction outcome was dropped");
  }
  TxOutcome result = o->second;
  result.duplicate = duplicate;
  return result;
}

Status Node::Impl::report_model_progress(uint64_t model_id, ModelProgress p) {
  DD_TRY(read([&](ledger::Chain& chain) -> Status {
    const auto& st = chain.state();
    auto m = st.model(model_id);
    if (!m) {
      return make_error(ErrorCode::kNotFound, "model " + std::to_string(model_id) + " not found");
    }
    auto runner_pool = m->pools.empty() ? std::nullopt : st.pool(m->pools.front());
    if (!runner_pool || runner_pool->validator != p.runner) {
      return make_error(ErrorCode::kPermissionDenied, "only the validator of model " +
                                                          std::to_string(model_id) +
                                                          "'s first pool reports its progress");
    }
    if (m->status != ledger::ModelStatus::kTraining) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "model " + std::to_string(model_id) + " is " +
                            std::string(ledger::model_status_name(m->status)) + ", not training");
    }
    return Status::Ok();
  }));
  p.received_at = unix_now();
  std::lock_guard lock(progress_mu_);
  progress_[model_id] = std::move(p);
  return Status::Ok();
}

std::optional<ModelProgress> Node::Impl::model_progress(uint64_t model_id) const {
  std::lock_guard lock(progress_mu_);
  auto it = progress_.find(model_id);
  if (it == progress_.end()) return std::nullopt;
  return it->second;
}

void Node::Impl::finish(const crypto::Hash32& id, const TxOutcome& outcome) {
  outcomes_[id] = outcome;
  decided_order_.push_back(id);
  if (decided_order_.size() > kMaxDecidedOutcomes) {
    const size_t drop = decided_order_.size() - kMaxDecidedOutcomes;
    for (size_t i = 0; i < drop; ++i) outcomes_.erase(decided_order_[i]);
    decided_order_.erase(decided_order_.begin(), decided_order_.begin() + drop);
  }
}

std::chrono::milliseconds Node::Impl::heartbeat_interval() const {
  const uint64_t interval = config_.block_interval_ms;
  return std::chrono::milliseconds(
      std::max<uint64_t>(interval, std::min<uint64_t>(10 * interval, 1000)));
}

void Node::Impl::run() {
  while (true) {
    std::vector<ledger::Transaction> batch;
    {
      std::unique_lock lock(pool_mu_);
      const auto woken = [&] { return stopping_ || !pending_.empty(); };
      // Blocks are made for transactions, and also as a heartbeat while a proposal, or a
      // model's vote or consent window, is open: its deadline is a height, and a quiet chain
      // would otherwise never reach it.
      while (!pool_cv_.wait_for(lock, heartbeat_interval(), woken)) {
        bool open_vote = false;
        {
          std::lock_guard chain_lock(chain_mu_);
          const auto& st = chain_->state();
          open_vote =
              st.next_proposal_deadline().has_value() || st.next_model_deadline().has_value();
        }
        if (open_vote) break;
      }
      if (pending_.empty() && stopping_) return;
    }
    // Let a block collect what arrives during the interval (unless shutting down).
    if (!stopping_)
      std::this_thread::sleep_for(std::chrono::milliseconds(config_.block_interval_ms));
    {
      std::lock_guard lock(pool_mu_);
      const size_t n = std::min(pending_.size(), kMaxTxsPerBlock);
      batch.assign(std::make_move_iterator(pending_.begin()),
                   std::make_move_iterator(pending_.begin() + static_cast<ptrdiff_t>(n)));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(n));
    }
    Result<ledger::ProducedBlock> produced = make_error(ErrorCode::kInternal, "not run");
    {
      std::lock_guard lock(chain_mu_);
      const uint64_t prev_time = chain_->head().header.timestamp;
      produced = chain_->produce_block(batch, std::max(unix_now(), prev_time), operator_key_);
    }
    std::lock_guard lock(pool_mu_);
    if (!produced.ok()) {
      // The block could not be persisted: nothing was applied; report it to every waiter.
      for (const auto& tx : batch) {
        TxOutcome o;
        o.tx_id = ledger::tx_id(tx);
        o.status = TxOutcome::Status::kRejected;
        o.error = produced.error().with_context("block not committed");
        finish(o.tx_id, o);
      }
    } else {
      const auto& block = *produced;
      for (uint32_t i = 0; i < block.included.size(); ++i) {
        TxOutcome o;
        o.tx_id = block.included[i];
        o.status = TxOutcome::Status::kIncluded;
        o.height = block.header.header.height;
        o.index = i;
        finish(o.tx_id, o);
      }
      for (const auto& [id, err] : block.rejected) {
        TxOutcome o;
        o.tx_id = id;
        o.status = TxOutcome::Status::kRejected;
        o.error = err;
        finish(id, o);
      }
    }
    pool_cv_.notify_all();
    if (stopping_) {
      if (pending_.empty()) return;
    }
  }
}

}  // namespace datadao::node
