// Shared plumbing for the `datadao` command: the error type that becomes an exit code, output
// helpers (--json or human), and the context every subcommand reads (home, node URL, wallet).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/client.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::crypto {
struct BoxKeyPair;
}
namespace datadao::vault {
class Backend;
}
namespace datadao::node {
class InferenceEngine;
}

namespace datadao::cli {

// Builds a node's engine for metered inference; set by `datadao-ml` (which links libtorch).
using InferenceEngineFactory = std::function<std::shared_ptr<node::InferenceEngine>(
    const crypto::BoxKeyPair& serving_key, vault::Backend& blobs)>;

// Thrown at the CLI edge only; main() prints the message to stderr and exits non-zero.
struct CliError : std::runtime_error {
  ErrorCode code;
  explicit CliError(const Error& e) : std::runtime_error(e.message), code(e.code) {}
  CliError(ErrorCode c, const std::string& m) : std::runtime_error(m), code(c) {}
};

template <class T>
T unwrap(Result<T> r) {
  if (!r.ok()) throw CliError(r.error());
  return std::move(r).value();
}
inline void check(const Status& s) {
  if (!s.ok()) throw CliError(s.error());
}

// The node a command talks to, and where that choice came from (for error messages).
struct NodeTarget {
  std::string url;
  std::string origin;  // "--node", "$DATADAO_NODE", a file in $DATADAO_HOME/node, or the default
};

// Options shared by all commands (set on the root app).
struct Context {
  std::string node_url;         // --node
  std::string wallet_name;      // --wallet / DATADAO_WALLET
  std::string passphrase_file;  // --passphrase-file
  bool json = false;            // --json
  // `node start` serves metered inference through this; empty in `datadao`, which hands
  // `node start` to `datadao-ml` (ml_dispatch.hpp).
  InferenceEngineFactory inference_engine;

  // Every command that talks to a node resolves it here, first match wins: --node,
  // $DATADAO_NODE, the port a node running from this $DATADAO_HOME bound (node/api.port), the
  // port in this home's node/config.json, http://127.0.0.1:7420. A node run from another
  // $DATADAO_HOME (another user on this machine) is found only through --node or $DATADAO_NODE.
  NodeTarget resolve_node() const;
  std::string resolved_node_url() const { return resolve_node().url; }
  node::NodeClient client() const { return node::NodeClient(resolved_node_url()); }
  // The height of the resolved node's chain (GET /v1/status).
  uint64_t chain_height() const;
  // For an error whose message names the node this command resolved: a line saying where that
  // URL came from and how to point elsewhere; "" for any other error.
  std::string node_hint(const std::string& error_message) const;
  // The wallet to act as: --wallet, DATADAO_WALLET, or the only wallet in $DATADAO_HOME.
  std::string wallet_or_default() const;
  // The wallet's account, read without its passphrase.
  ledger::AccountId account() const;
  // Loads and decrypts the wallet (asks for the passphrase as configured).
  wallet::Wallet open_wallet() const;

 private:
  mutable std::optional<NodeTarget> resolved_;  // the last resolve_node() result
};

// Prints `j` as JSON when --json, else calls `human` to print a readable form.
template <class F>
void emit(const Context& ctx, const nlohmann::json& j, F&& human) {
  if (ctx.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    human();
  }
}

// Signs `payload` as the wallet with the next nonce, submits it and waits for the block.
// Throws CliError if the node rejects it. Returns the node's outcome JSON.
template <class P>
nlohmann::json submit_signed(const Context& ctx, const wallet::Wallet& w, const P& payload);
nlohmann::json submit_tx(const Context& ctx, const ledger::Transaction& tx);

void register_wallet_commands(CLI::App& app, Context& ctx);
void register_node_commands(CLI::App& app, Context& ctx);
void register_vault_commands(CLI::App& app, Context& ctx);
void register_file_commands(CLI::App& app, Context& ctx);
void register_ledger_commands(CLI::App& app, Context& ctx);     // account, transfer, tx, proof
void register_data_commands(CLI::App& app, Context& ctx);       // import, scrub, fixture
void register_pool_commands(CLI::App& app, Context& ctx);       // pool ..., contribution show
void register_validator_commands(CLI::App& app, Context& ctx);  // validator run
void register_demo_commands(CLI::App& app, Context& ctx);       // demo contributions
void register_dp_commands(CLI::App& app, Context& ctx);         // dp epsilon
void register_model_commands(CLI::App& app, Context& ctx);      // model ..., consent policy
void register_policy_command(CLI::App& model, Context& ctx);     // model policy (under "model")
void register_runner_commands(CLI::App& app, Context& ctx);     // runner run
void register_attribute_commands(CLI::App& app, Context& ctx);  // attribute knn-shapley
// model generate|predict|audit; call after register_model_commands (adds to its "model").
void register_model_use_commands(CLI::App& app, Context& ctx);
// model use|shares|rewards|transfer-shares, rewards claim; after register_model_commands.
void register_rewards_commands(CLI::App& app, Context& ctx);

// Identity of another user for grants: a public identity JSON file (wallet export-public), or
// the name of a wallet in this $DATADAO_HOME (its public half is read without a passphrase).
struct Recipient {
  std::string name;
  ledger::AccountId account{};
  crypto::PublicKey box_key{};
};
Recipient resolve_recipient(const std::string& spec);

std::string short_hex(const crypto::Hash32& h);

// An account named as a wallet, a public identity file or 64 hex digits ("" = --wallet).
ledger::AccountId resolve_account(const Context& ctx, const std::string& who);
// The id of the pool named or numbered `spec` on the resolved node.
uint64_t resolve_pool_id(const Context& ctx, const std::string& spec);

// ---- Ownership and rewards (cmd_rewards.cpp) ----------------------------------------------
// Reward units (ledger/models.hpp: 10^9 per credit) as credits with nine decimals: "12.000000345".
std::string format_reward_units(const std::string& decimal_units);
// Share units of a model (10^9 = the whole model) as a percentage with 4 decimals: "12.3457%".
std::string format_share(uint64_t units);
// `account show` in human form: credits, pool tokens, model shares, claimable rewards.
void print_account(const nlohmann::json& account);
// One paid call of a published model (node/serving.hpp): the UseModel transaction paying for
// exactly this request, and posting it with the request to /v1/models/<id>/use (the node
// answers once the payment is in a block). A caller may submit the tx first (POST /v1/tx, to
// pipeline many calls in nonce order) and post the call afterwards: it is not charged twice.
struct UseCall {
  ledger::Transaction tx;  // the signed UseModel
  std::string op;
  nlohmann::json input;
  std::string salt;  // fresh random hex, secret to the caller (node/serving.hpp)
};
UseCall make_use_call(const std::string& chain_id, const crypto::SigningKeyPair& key,
                      uint64_t nonce, uint64_t model_id, const std::string& op,
                      const nlohmann::json& input);
// Posts the call; retries (same payment, never charged twice) while the node answers that the
// payment is still pending. An error after payment names the paid tx.
Result<nlohmann::json> call_model(node::NodeClient& client, const UseCall& call);

}  // namespace datadao::cli

#include "cli_submit.hpp"
