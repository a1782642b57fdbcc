// What the demos share: an in-process network (testkit::LocalNet) for the demo's wallets.
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
#include "datadao/testing/local_net.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::cli {

inline constexpr const char* kDemoChainId = "datadao-demo";

inline wallet::Wallet demo_wallet(const std::string& name) {
  return testkit::ephemeral_wallet(name);
}
// `demo models` (cmd_demo_models.cpp), added under `demo`.
void register_demo_models_command(CLI::App& demo);

// The demos' network: a testkit::LocalNet whose failures become CliErrors (exit codes).
class DemoNet {
 public:
  // Starts a node in `dir` (empty: a fresh temporary directory; one already holding a node is
  // refused) whose genesis gives each listed account its credits; paid model use is served.
  void start(const std::string& dir, std::vector<std::pair<ledger::AccountId, uint64_t>> credits);
  // Stops the node; unless keep, removes what start() made.
  void stop(bool keep = false) { net_.stop(keep); }

  // Signs with the next nonce, submits, waits for the block; throws unless included.
  template <class P>
  nlohmann::json submit(const wallet::Wallet& w, const P& payload) {
    return unwrap(net_.submit(w.sign, payload));
  }
  // Batched submission (testkit::LocalNet::queue and flush): many demo users answering within
  // a block window need it.
  template <class P>
  void queue(const wallet::Wallet& w, const P& payload) {
    check(net_.queue(w.sign, payload));
  }
  void flush() { check(net_.flush()); }

  // Seals `zip` into the vault as `w`, registers it and contributes it to `pool_id` (key and
  // claimed handle sealed to `pool_box`). Returns the contribution id.
  uint64_t contribute(const wallet::Wallet& w, uint64_t pool_id, const crypto::PublicKey& pool_box,
                      const std::string& source, const std::string& handle, const std::string& zip) {
    return unwrap(net_.contribute(w, pool_id, pool_box, source, handle, zip));
  }

  const std::string& url() const { return net_.url(); }
  node::NodeClient& client() { return net_.client(); }
  vault::HttpBackend& vault() { return net_.vault(); }
  const std::filesystem::path& dir() const { return net_.dir(); }

 private:
  testkit::LocalNet net_;
};

}  // namespace datadao::cli
