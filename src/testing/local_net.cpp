#include "datadao/testing/local_net.hpp"

#include <nlohmann/json.hpp>
#include <random>

#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::testkit {

namespace fs = std::filesystem;
using nlohmann::json;

wallet::Wallet ephemeral_wallet(const std::string& name) {
  wallet::Wallet w;
  w.name = name;
  w.sign = crypto::SigningKeyPair::generate();
  w.box = crypto::BoxKeyPair::generate();
  return w;
}

LocalNet::LocalNet() = default;
LocalNet::~LocalNet() { stop(); }

Status LocalNet::start(const LocalNetOptions& o,
                       std::vector<std::pair<ledger::AccountId, uint64_t>> credits) {
  chain_id_ = o.chain_id;
  fs::path dir = o.dir;
  made_dir_ = dir.empty();
  if (made_dir_) {
    std::string tmpl = (fs::temp_directory_path() / (o.chain_id + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return make_error(ErrorCode::kIoError, "cannot create a temporary directory " + tmpl);
    }
    dir = tmpl;
  } else if (fs::exists(dir / "node")) {
    return make_error(ErrorCode::kAlreadyExists,
                      "directory " + dir.string() + " already holds a node; pick another");
  }
  dir_ = dir;  // from here on stop() cleans up what start() made
  node::NodePaths paths{dir_ / "node"};
  node::NodeConfig cfg;
  cfg.chain_id = chain_id_;
  cfg.block_interval_ms = o.block_interval_ms;
  ledger::Genesis g;
  g.chain_id = chain_id_;
  g.timestamp = o.genesis_timestamp != 0 ? o.genesis_timestamp : unix_now();
  g.allocations = std::move(credits);
  DD_TRY(node::init_node(paths, cfg, g));
  auto opened = node::Node::open(paths);
  if (!opened.ok()) return opened.error();
  node_ = std::move(opened).value();
  if (o.inference_engine) node_->set_inference_engine(o.inference_engine(*node_));
  node_->start();
  api_ = std::make_unique<node::ApiServer>(*node_);
  DD_TRY(api_->start("127.0.0.1", 0));
  url_ = "http://127.0.0.1:" + std::to_string(api_->port());
  client_ = std::make_unique<node::NodeClient>(url_);
  vault::HttpBackend::Options vo;
  vo.scratch_dir = dir_ / "scratch";
  std::error_code ec;
  fs::create_directories(vo.scratch_dir, ec);
  if (ec) return make_error(ErrorCode::kIoError, vo.scratch_dir.string() + ": " + ec.message());
  vault_ = std::make_unique<vault::HttpBackend>(url_, vo);
  return Status::Ok();
}

void LocalNet::stop(bool keep) {
  vault_.reset();
  client_.reset();
  api_.reset();
  node_.reset();
  if (!keep && !dir_.empty()) {
    std::error_code ec;
    if (made_dir_) {
      fs::remove_all(dir_, ec);
    } else {
      for (const char* part : {"node", "scratch", "runner"}) fs::remove_all(dir_ / part, ec);
      fs::remove(dir_, ec);  // only if now empty
    }
  }
  dir_.clear();
}

Result<uint64_t> LocalNet::next_nonce(const ledger::AccountId& account) {
  return client_->next_nonce(account);
}

Result<json> LocalNet::submit_tx(const ledger::Transaction& tx) {
  auto out = client_->submit(tx);
  if (!out.ok()) return out.error();
  if (out->value("status", "") != "included") {
    return make_error(ErrorCode::kFailedPrecondition, "transaction not included: " + out->dump());
  }
  return out;
}

Status LocalNet::flush() {
  std::vector<ledger::Transaction> txs;
  txs.swap(queued_);
  queued_nonce_.clear();
  for (const auto& tx : txs) {
    auto sent = client_->submit(tx, /*wait=*/false);
    if (!sent.ok()) return sent.error();
  }
  // Resubmitting known bytes with wait returns the first submission's outcome.
  for (const auto& tx : txs) {
    auto out = submit_tx(tx);
    if (!out.ok()) return out.error();
  }
  return Status::Ok();
}

Result<uint64_t> LocalNet::contribute(const wallet::Wallet& w, uint64_t pool_id,
                                      const crypto::PublicKey& pool_box, const std::string& source,
                                      const std::string& handle, const std::string& zip) {
  auto sealed = vault::seal_bytes(crypto::as_bytes(zip), *vault_);
  if (!sealed.ok()) return sealed.error();
  const auto& [info, key] = *sealed;
  ledger::RegisterFile rf;
  rf.blob_hash = info.hash;
  rf.size = info.ciphertext_size;
  rf.source = source;
  rf.locator = vault_->locator(info.hash);
  if (auto r = submit(w.sign, rf); !r.ok()) return r.error();
  auto files = client_->get("/v1/files?owner=" + codec::to_hex(w.account()));
  if (!files.ok()) return files.error();
  uint64_t file_id = 0;
  for (const auto& f : (*files)["files"]) {
    if (f.value("blob_hash", "") == codec::to_hex(info.hash)) file_id = f["id"].get<uint64_t>();
  }
  ledger::Contribute c;
  c.pool_id = pool_id;
  c.file_id = file_id;
  c.sealed_key = vault::share_key(key, pool_box);
  c.sealed_claim = crypto::seal_to(pool_box, crypto::as_bytes(handle));
  if (auto r = submit(w.sign, c); !r.ok()) return r.error();
  auto mine = client_->get("/v1/accounts/" + codec::to_hex(w.account()) + "/contributions");
  if (!mine.ok()) return mine.error();
  for (const auto& cj : (*mine)["contributions"]) {
    if (cj["file_id"].get<uint64_t>() == file_id && cj["pool_id"].get<uint64_t>() == pool_id) {
      return cj["id"].get<uint64_t>();
    }
  }
  return make_error(ErrorCode::kInternal, "contribution not found after submit");
}

}  // namespace datadao::testkit
