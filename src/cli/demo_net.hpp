// What the demos share: a node (SQLite ledger, HTTP API and vault on loopback) running in this
// process with a genesis for the demo's wallets, signed submission, and contributing an export
// (seal into the vault, register, contribute with the key and claim sealed to the pool).
// Demo wallets live in memory only (no passphrase files): they exist for one run.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::cli {

inline constexpr const char* kDemoChainId = "datadao-demo";

wallet::Wallet demo_wallet(const std::string& name);
// `demo models` (cmd_demo_models.cpp), added under `demo`.
void register_demo_models_command(CLI::App& demo);

class DemoNet {
 public:
  DemoNet() = default;
  ~DemoNet() { stop(); }  // also when a step throws
  DemoNet(const DemoNet&) = delete;
  DemoNet& operator=(const DemoNet&) = delete;

  // Starts a node in `dir` (empty: a fresh temporary directory; one already holding a node is
  // refused) whose genesis gives each listed account its credits.
  void start(const std::string& dir, std::vector<std::pair<ledger::AccountId, uint64_t>> credits);
  // Stops the node; unless keep, removes what start() made (only that: a --dir given by the
  // user may hold other things).
  void stop(bool keep = false);

  // Signs with the next nonce, submits, waits for the block; throws unless included.
  template <class P>
  nlohmann::json submit(const wallet::Wallet& w, const P& payload) {
    const uint64_t nonce = unwrap(client_->next_nonce(w.account()));
    return submitted(client_->submit(ledger::make_tx(kDemoChainId, w.sign, nonce, payload)));
  }
  // Batched submission: queue() signs with the wallet's next nonce (counting queued ones) and
  // flush() sends them all at once (so they share blocks), then waits for every outcome and
  // throws if any was not included. Many demo users answering within a block window need it.
  template <class P>
  void queue(const wallet::Wallet& w, const P& payload) {
    auto it = queued_nonce_.find(w.account());
    if (it == queued_nonce_.end()) {
      it = queued_nonce_.emplace(w.account(), unwrap(client_->next_nonce(w.account()))).first;
    }
    queued_.push_back(ledger::make_tx(kDemoChainId, w.sign, it->second++, payload));
  }
  void flush();

  // Seals `zip` into the vault as `w`, registers it and contributes it to `pool_id` (key and
  // claimed handle sealed to `pool_box`). Returns the contribution id.
  uint64_t contribute(const wallet::Wallet& w, uint64_t pool_id, const crypto::PublicKey& pool_box,
                      const std::string& source, const std::string& handle, const std::string& zip);

  const std::string& url() const { return url_; }
  node::NodeClient& client() { return *client_; }
  vault::HttpBackend& vault() { return *vault_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  nlohmann::json submitted(Result<nlohmann::json> out);

  std::vector<ledger::Transaction> queued_;
  std::map<ledger::AccountId, uint64_t> queued_nonce_;
  std::filesystem::path dir_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ApiServer> api_;
  std::string url_;
  std::unique_ptr<node::NodeClient> client_;
  std::unique_ptr<vault::HttpBackend> vault_;
};

}  // namespace datadao::cli
