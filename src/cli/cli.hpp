// Shared plumbing for the `datadao` command: the error type that becomes an exit code, output
// helpers (--json or human), and the context every subcommand reads (home, node URL, wallet).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/client.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::cli {

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

// Options shared by all commands (set on the root app).
struct Context {
  std::string node_url;         // --node / DATADAO_NODE / local node config / default
  std::string wallet_name;      // --wallet / DATADAO_WALLET
  std::string passphrase_file;  // --passphrase-file
  bool json = false;            // --json

  std::string resolved_node_url() const;
  node::NodeClient client() const { return node::NodeClient(resolved_node_url()); }
  // The wallet to act as: --wallet, DATADAO_WALLET, or the only wallet in $DATADAO_HOME.
  std::string wallet_or_default() const;
  // Loads and decrypts the wallet (asks for the passphrase as configured).
  wallet::Wallet open_wallet() const;
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
void register_runner_commands(CLI::App& app, Context& ctx);     // runner run
void register_attribute_commands(CLI::App& app, Context& ctx);  // attribute knn-shapley
// model generate|predict|audit; call after register_model_commands (adds to its "model").
void register_model_use_commands(CLI::App& app, Context& ctx);

// Identity of another user for grants: a public identity JSON file (wallet export-public), or
// the name of a wallet in this $DATADAO_HOME (its public half is read without a passphrase).
struct Recipient {
  std::string name;
  ledger::AccountId account{};
  crypto::PublicKey box_key{};
};
Recipient resolve_recipient(const std::string& spec);

std::string short_hex(const crypto::Hash32& h);

}  // namespace datadao::cli

#include "cli_submit.hpp"
