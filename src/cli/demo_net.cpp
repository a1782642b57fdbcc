#include "demo_net.hpp"

#include <chrono>
#include <iostream>
#include <random>

#include "datadao/codec/codec.hpp"
#include "datadao/runner/serving.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::cli {

namespace fs = std::filesystem;
using nlohmann::json;

wallet::Wallet demo_wallet(const std::string& name) {
  wallet::Wallet w;
  w.name = name;
  w.sign = crypto::SigningKeyPair::generate();
  w.box = crypto::BoxKeyPair::generate();
  return w;
}

void DemoNet::start(const std::string& dir_option,
                    std::vector<std::pair<ledger::AccountId, uint64_t>> credits) {
  const fs::path dir =
      dir_option.empty()
          ? fs::temp_directory_path() / ("datadao-demo-" + std::to_string(std::random_device{}()))
          : fs::path(dir_option);
  if (fs::exists(dir / "node")) {
    throw CliError(ErrorCode::kAlreadyExists,
                   "demo directory " + dir.string() + " already holds a node; pick another --dir");
  }
  dir_ = dir;  // from here on stop() cleans up what the demo made
  node::NodePaths paths{dir_ / "node"};
  node::NodeConfig cfg;
  cfg.chain_id = kDemoChainId;
  cfg.block_interval_ms = 5;
  ledger::Genesis g;
  g.chain_id = cfg.chain_id;
  g.timestamp = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  g.allocations = std::move(credits);
  datadao::cli::check(node::init_node(paths, cfg, g));
  node_ = unwrap(node::Node::open(paths));
  node_->set_inference_engine(runner::make_inference_engine(node_->serving_key(), node_->blobs()));
  node_->start();
  api_ = std::make_unique<node::ApiServer>(*node_);
  datadao::cli::check(api_->start("127.0.0.1", 0));
  url_ = "http://127.0.0.1:" + std::to_string(api_->port());
  client_ = std::make_unique<node::NodeClient>(url_);
  vault::HttpBackend::Options vo;
  vo.scratch_dir = dir_ / "scratch";
  fs::create_directories(vo.scratch_dir);
  vault_ = std::make_unique<vault::HttpBackend>(url_, vo);
  std::cout << "node on " << url_ << " (ledger and vault in " << dir_.string() << ")\n";
}

void DemoNet::stop(bool keep) {
  api_.reset();
  node_.reset();
  if (!keep && !dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_ / "node", ec);
    fs::remove_all(dir_ / "scratch", ec);
    fs::remove_all(dir_ / "runner", ec);
    fs::remove(dir_, ec);  // only if now empty
  }
  dir_.clear();
}

json DemoNet::submitted(Result<json> out) {
  json j = unwrap(std::move(out));
  if (j.value("status", "") != "included") {
    throw CliError(ErrorCode::kFailedPrecondition,
                   "demo transaction was not included: " + j.dump());
  }
  return j;
}

void DemoNet::flush() {
  std::vector<ledger::Transaction> txs;
  txs.swap(queued_);
  queued_nonce_.clear();
  for (const auto& tx : txs) unwrap(client_->submit(tx, /*wait=*/false));
  // Resubmitting known bytes with wait returns the first submission's outcome.
  for (const auto& tx : txs) submitted(client_->submit(tx, /*wait=*/true));
}

uint64_t DemoNet::contribute(const wallet::Wallet& w, uint64_t pool_id,
                             const crypto::PublicKey& pool_box, const std::string& source,
                             const std::string& handle, const std::string& zip) {
  auto [info, key] = unwrap(vault::seal_bytes(crypto::as_bytes(zip), *vault_));
  ledger::RegisterFile rf;
  rf.blob_hash = info.hash;
  rf.size = info.ciphertext_size;
  rf.source = source;
  rf.locator = vault_->locator(info.hash);
  submit(w, rf);
  uint64_t file_id = 0;
  json files = unwrap(client_->get("/v1/files?owner=" + codec::to_hex(w.account())))["files"];
  for (const auto& f : files) {
    if (f.value("blob_hash", "") == codec::to_hex(info.hash)) file_id = f["id"].get<uint64_t>();
  }
  ledger::Contribute c;
  c.pool_id = pool_id;
  c.file_id = file_id;
  c.sealed_key = vault::share_key(key, pool_box);
  c.sealed_claim = crypto::seal_to(pool_box, crypto::as_bytes(handle));
  submit(w, c);
  json mine = unwrap(client_->get("/v1/accounts/" + codec::to_hex(w.account()) + "/contributions"));
  uint64_t id = 0;
  for (const auto& cj : mine["contributions"]) {
    if (cj["file_id"].get<uint64_t>() == file_id && cj["pool_id"].get<uint64_t>() == pool_id) {
      id = cj["id"].get<uint64_t>();
    }
  }
  if (id == 0) throw CliError(ErrorCode::kInternal, "demo contribution not found after submit");
  return id;
}

}  // namespace datadao::cli
