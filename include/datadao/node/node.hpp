// The node: owns the chain (ledger + SQLite) and the blob store, admits signed transactions into
// a mempool and orders them into blocks. The HTTP API (api_server.hpp) is a thin adapter over
// this class, so other front ends (web app, etcd replication) call the same methods.
//
// Thread-safety: every public method may be called from any thread. Chain access is serialised
// by one mutex; block production runs on the node's own thread between start() and stop().
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/progress.hpp"
#include "datadao/node/serving.hpp"

namespace datadao::vault {
class Backend;
}

namespace datadao::node {

inline constexpr uint16_t kDefaultPort = 7420;
inline constexpr size_t kMaxMempool = 100000;
inline constexpr size_t kMaxTxsPerBlock = 5000;

// Where a node keeps its files: <home>/node/{config.json, operator.key, chain.db, blobs/}.
struct NodePaths {
  std::filesystem::path dir;
  std::filesystem::path config() const { return dir / "config.json"; }
  std::filesystem::path operator_key() const { return dir / "operator.key"; }
  std::filesystem::path chain_db() const { return dir / "chain.db"; }
  std::filesystem::path blobs() const { return dir / "blobs"; }
  std::filesystem::path lock() const { return dir / "LOCK"; }
  // The port a running `datadao node start` actually bound (removed when it stops), so the CLI
  // finds a node started with --port 0 or an overridden port.
  std::filesystem::path api_port() const { return dir / "api.port"; }
  static NodePaths under(const std::filesystem::path& home) { return {home / "node"}; }
};

struct NodeConfig {
  std::string chain_id;
  std::string listen_host = "127.0.0.1";
  uint16_t port = kDefaultPort;
  uint32_t block_interval_ms = 100;      // how long a block collects transactions
  uint64_t max_blob_bytes = 8ull << 30;  // largest ciphertext blob the node stores
};

// Creates a new node directory: operator key (plaintext, mode 0600: the node signs blocks
// unattended, as validators do), config and the genesis block. Fails if one exists already.
Status init_node(const NodePaths& paths, const NodeConfig& config, const ledger::Genesis& genesis);

Result<NodeConfig> load_config(const NodePaths& paths);
Result<crypto::SigningKeyPair> load_operator_key(const NodePaths& paths);
// The node's X25519 serving key (serving.hpp): derived from the operator key's seed, so it needs
// no file of its own. Runners seal published models' weights keys to its public half.
Result<crypto::BoxKeyPair> load_serving_key(const NodePaths& paths);

// What happened to a submitted transaction.
struct TxOutcome {
  crypto::Hash32 tx_id{};
  enum class Status { kPending, kIncluded, kRejected } status = Status::kPending;
  uint64_t height = 0;
  uint32_t index = 0;
  std::optional<Error> error;  // set when rejected
  // True when these exact bytes were already known to the node (another caller submitted the
  // same transaction: same sender, nonce and payload). The caller sent nothing new.
  bool duplicate = false;
};

class Node {
 public:
  // Takes an exclusive lock on the directory: a second node on the same directory fails with
  // kFailedPrecondition instead of writing the same database.
  static Result<std::unique_ptr<Node>> open(const NodePaths& paths);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Starts the block-production thread. stop() (or the destructor) ends it after the current
  // block is committed.
  void start();
  void stop();

  // Admission: decodes (size-limited), checks chain id and signature, then queues the
  // transaction. With wait, blocks until it is in a committed block or rejected (or timeout).
  Result<TxOutcome> submit(crypto::ByteView tx_bytes, bool wait,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Consistent reads of the chain. `fn` runs under the chain lock: keep it short.
  template <class F>
  auto read(F&& fn) {
    using R = std::invoke_result_t<F&, ledger::Chain&>;
    if constexpr (std::is_void_v<R>) {
      with_chain([&](ledger::Chain& c) { fn(c); });
    } else {
      std::optional<R> out;
      with_chain([&](ledger::Chain& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  const NodeConfig& config() const;
  const crypto::PublicKey& operator_public_key() const;
  const crypto::BoxKeyPair& serving_key() const;
  // The engine that runs paid calls (serving.hpp); without one, /use answers failed
  // precondition. Set it before the API server starts.
  void set_inference_engine(std::shared_ptr<InferenceEngine> engine);
  InferenceEngine* inference_engine() const;
  // The node's blob store (a directory under the node's, served at /v1/blobs).
  vault::Backend& blobs();
  size_t mempool_size() const;

  // Keeps `p` (already signature-checked, see verify_progress) as the latest progress of the
  // model. kNotFound for an unknown model, kPermissionDenied unless p.runner is the validator of
  // the model's pools[0], kFailedPrecondition unless the model is in training. Sets received_at.
  Status report_model_progress(uint64_t model_id, ModelProgress p);
  // The latest progress reported for a model since this node started, if any.
  std::optional<ModelProgress> model_progress(uint64_t model_id) const;

 private:
  struct Impl;
  Node();
  void with_chain(const std::function<void(ledger::Chain&)>& fn);
  std::unique_ptr<Impl> impl_;
};

}  // namespace datadao::node
