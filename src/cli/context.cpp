#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/node/node.hpp"
#include "datadao/wallet/home.hpp"
#include "datadao/wallet/passphrase.hpp"
#include "datadao/wallet/public_identity.hpp"

namespace datadao::cli {

namespace fs = std::filesystem;
using nlohmann::json;

NodeTarget Context::resolve_node() const {
  NodeTarget t;
  const auto paths = node::NodePaths::under(wallet::datadao_home());
  unsigned port = 0;
  if (!node_url.empty()) {
    t = {node_url, "--node"};
  } else if (const char* env = std::getenv("DATADAO_NODE"); env && *env) {
    t = {env, "$DATADAO_NODE"};
  } else if (std::ifstream running(paths.api_port());
             running >> port && port > 0 && port <= 65535) {
    // A node running from this home wrote the port it bound.
    t = {"http://127.0.0.1:" + std::to_string(port), paths.api_port().string()};
  } else if (auto cfg = node::load_config(paths); cfg.ok()) {
    t = {"http://127.0.0.1:" + std::to_string(cfg->port), paths.config().string()};
  } else {
    t = {"http://127.0.0.1:" + std::to_string(node::kDefaultPort),
         "the default: no --node, no $DATADAO_NODE, and no node in " + paths.dir.string()};
  }
  resolved_ = t;
  return t;
}

ledger::AccountId Context::account() const {
  return unwrap(wallet::read_wallet_info(wallet_or_default())).account;
}

uint64_t resolve_pool_id(const Context& ctx, const std::string& spec) {
  return unwrap(ctx.client().pool(spec)).value("id", uint64_t{0});
}

uint64_t Context::chain_height() const {
  return unwrap(client().get("/v1/status")).value("height", uint64_t{0});
}

std::string Context::node_hint(const std::string& error_message) const {
  if (!resolved_) return "";
  std::string url = resolved_->url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty() || error_message.find(url) == std::string::npos) return "";
  return "the node URL " + url + " came from " + resolved_->origin +
         "; point at another node with --node URL or DATADAO_NODE=URL";
}

std::string Context::wallet_or_default() const {
  if (!wallet_name.empty()) return wallet_name;
  if (const char* env = std::getenv("DATADAO_WALLET"); env && *env) return env;
  const fs::path dir = wallet::datadao_home() / "wallets";
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".wallet") names.push_back(e.path().stem().string());
  }
  if (names.size() == 1) return names[0];
  throw CliError(ErrorCode::kInvalidArgument,
                 names.empty() ? "no wallet in " + dir.string() +
                                     "; create one with `datadao wallet create NAME`"
                               : "several wallets in " + dir.string() +
                                     "; choose one with --wallet NAME or DATADAO_WALLET");
}

wallet::Wallet Context::open_wallet() const {
  const std::string name = wallet_or_default();
  std::optional<fs::path> file;
  if (!passphrase_file.empty()) file = passphrase_file;
  const std::string pass = unwrap(wallet::read_passphrase(file, /*confirm_new=*/false));
  return unwrap(wallet::load_wallet(name, pass));
}

json submit_tx(const Context& ctx, const ledger::Transaction& tx) {
  auto client = ctx.client();
  json out = unwrap(client.submit(tx, /*wait=*/true));
  const std::string status = out.value("status", "");
  if (status == "rejected") {
    const std::string msg = out.contains("error") ? out["error"].value("message", "") : "";
    throw CliError(ErrorCode::kFailedPrecondition, "transaction rejected: " + msg);
  }
  if (out.value("duplicate", false)) {
    throw CliError(ErrorCode::kAlreadyExists,
                   "this exact transaction (same sender, nonce and payload) was already "
                   "submitted by another command, so nothing new was sent; run the command again");
  }
  if (status != "included") {
    throw CliError(ErrorCode::kIoError, "transaction " + out.value("tx_id", std::string()) +
                                            " not yet in a block (status: " + status + ")");
  }
  return out;
}

Recipient resolve_recipient(const std::string& spec) {
  if (fs::is_regular_file(spec)) {
    auto id = unwrap(wallet::read_public_identity_file(spec));  // signature verified
    return Recipient{id.name, id.account, id.box_key};
  }
  if (wallet::is_valid_wallet_name(spec)) {
    auto info = unwrap(wallet::read_wallet_info(spec));
    return Recipient{info.name, info.account, info.box_key};
  }
  {
    throw CliError(ErrorCode::kInvalidArgument,
                   "'" + spec +
                       "' is neither a public identity file (from `datadao wallet "
                       "export-public`) nor a wallet name in $DATADAO_HOME");
  }
}

std::string short_hex(const crypto::Hash32& h) { return codec::to_hex(h).substr(0, 16); }

}  // namespace datadao::cli
