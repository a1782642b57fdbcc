// A local network for tests and demos: a real node (SQLite ledger, block producer, HTTP API and
// vault on a free loopback port) running in this process, a client for it, signed submission
// that waits for the block, and contributing an export (seal into the vault, register,
// contribute with the key and claim sealed to the pool).
//
// Test support: linked by the tests and by `datadao demo`, never by a product library.
// Not thread-safe: one thread drives a LocalNet (the node itself runs its own threads).
#pragma once

#include <nlohmann/json.hpp>  // the member templates build Result<json> values

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::node {
class InferenceEngine;
class Node;
class ApiServer;
class NodeClient;
}  // namespace datadao::node
namespace datadao::vault {
class HttpBackend;
}

namespace datadao::testkit {

// A wallet that lives in memory only (no passphrase file): it exists for one run.
wallet::Wallet ephemeral_wallet(const std::string& name);

struct LocalNetOptions {
  std::string chain_id = "datadao-test";
  // Empty: a fresh temporary directory. A directory already holding a node is refused.
  std::filesystem::path dir;
  uint32_t block_interval_ms = 5;
  // 0: the genesis is stamped with the current time (demos); tests pin it for determinism.
  uint64_t genesis_timestamp = 1'700'000'000;
  // When set, makes the engine that serves paid model use on this node (the runner's).
  std::function<std::shared_ptr<node::InferenceEngine>(node::Node&)> inference_engine;
};

class LocalNet {
 public:
  LocalNet();
  ~LocalNet();  // stops the node and removes what start() made
  LocalNet(const LocalNet&) = delete;
  LocalNet& operator=(const LocalNet&) = delete;

  // Starts the node with a genesis giving each listed account its credits.
  Status start(const LocalNetOptions& options,
               std::vector<std::pair<ledger::AccountId, uint64_t>> credits);
  // Stops the node; unless keep, removes what start() made (only that: a directory given by
  // the caller may hold other things).
  void stop(bool keep = false);

  // Signs with the signer's next nonce, submits and waits for the block. An error unless the
  // transaction was included (the message carries the node's answer).
  template <class P>
  Result<nlohmann::json> submit(const crypto::SigningKeyPair& signer, const P& payload) {
    auto nonce = next_nonce(signer.public_key);
    if (!nonce.ok()) return nonce.error();
    return submit_tx(ledger::make_tx(chain_id_, signer, *nonce, payload));
  }
  Result<nlohmann::json> submit_tx(const ledger::Transaction& tx);

  // Batched submission: queue() signs with the signer's next nonce (counting queued ones) and
  // flush() sends them all at once (so they share blocks), then waits for every outcome; an
  // error if any was not included. Many users answering within a block window need it.
  template <class P>
  Status queue(const crypto::SigningKeyPair& signer, const P& payload) {
    auto it = queued_nonce_.find(signer.public_key);
    if (it == queued_nonce_.end()) {
      auto nonce = next_nonce(signer.public_key);
      if (!nonce.ok()) return nonce.error();
      it = queued_nonce_.emplace(signer.public_key, *nonce).first;
    }
    queued_.push_back(ledger::make_tx(chain_id_, signer, it->second++, payload));
    return Status::Ok();
  }
  Status flush();

  // Seals `zip` into the vault as `w`, registers it and contributes it to `pool_id` (key and
  // claimed handle sealed to `pool_box`). Returns the contribution id.
  Result<uint64_t> contribute(const wallet::Wallet& w, uint64_t pool_id,
                              const crypto::PublicKey& pool_box, const std::string& source,
                              const std::string& handle, const std::string& zip);

  const std::string& chain_id() const { return chain_id_; }
  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_; }
  node::Node& node() { return *node_; }
  node::ApiServer& api() { return *api_; }
  node::NodeClient& client() { return *client_; }
  vault::HttpBackend& vault() { return *vault_; }

 private:
  Result<uint64_t> next_nonce(const ledger::AccountId& account);

  std::string chain_id_;
  std::vector<ledger::Transaction> queued_;
  std::map<ledger::AccountId, uint64_t> queued_nonce_;
  std::filesystem::path dir_;
  bool made_dir_ = false;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ApiServer> api_;
  std::string url_;
  std::unique_ptr<node::NodeClient> client_;
  std::unique_ptr<vault::HttpBackend> vault_;
};

}  // namespace datadao::testkit
