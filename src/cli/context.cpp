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

std::string Context::resolved_node_url() const {
  if (!node_url.empty()) return node_url;
  if (const char* env = std::getenv("DATADAO_NODE"); env && *env) return env;
  const auto paths = node::NodePaths::under(wallet::datadao_home());
  // A node running from this home wrote the port it bound; else its configured port.
  std::ifstream running(paths.api_port());
  unsigned port = 0;
  if (running >> port && port > 0 && port <= 65535)
    return "http://127.0.0.1:" + std::to_string(port);
  auto cfg = node::load_config(paths);
  return "http://127.0.0.1:" + std::to_string(cfg.ok() ? cfg->port : node::kDefaultPort);
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
