// Test fixture: a real node (fresh chain in a temporary directory, 5 ms blocks) with its HTTP API
// on a free loopback port, in this process, and a client for it. Route tests derive from it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "datadao/ledger/transaction.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"

namespace datadao::node {

class InProcessNode : public ::testing::Test {
 protected:
  // Call from SetUp (wrap in ASSERT_NO_FATAL_FAILURE to stop the test on failure).
  void start_node(std::string chain_id,
                  std::vector<std::pair<ledger::AccountId, uint64_t>> allocations) {
    chain_id_ = std::move(chain_id);
    dir_ = std::filesystem::temp_directory_path() /
           ("datadao-" + chain_id_ + "-test-" + std::to_string(std::random_device{}()));
    NodePaths paths{dir_ / "node"};
    NodeConfig cfg;
    cfg.chain_id = chain_id_;
    cfg.block_interval_ms = 5;
    ledger::Genesis g;
    g.chain_id = cfg.chain_id;
    g.timestamp = 1700000000;
    g.allocations = std::move(allocations);
    ASSERT_TRUE(init_node(paths, cfg, g).ok());
    auto n = Node::open(paths);
    ASSERT_TRUE(n.ok()) << n.error().message;
    node_ = std::move(n).value();
    node_->start();
    api_ = std::make_unique<ApiServer>(*node_);
    ASSERT_TRUE(api_->start("127.0.0.1", 0).ok());
    client_ = std::make_unique<NodeClient>("http://127.0.0.1:" + std::to_string(api_->port()));
  }
  void TearDown() override {
    api_.reset();
    node_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Signs `payload` as `who` with the next nonce and expects it in a block.
  template <class P>
  nlohmann::json submit(const crypto::SigningKeyPair& who, const P& payload) {
    auto nonce = client_->next_nonce(who.public_key);
    EXPECT_TRUE(nonce.ok());
    auto out = client_->submit(ledger::make_tx(chain_id_, who, *nonce, payload));
    EXPECT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ((*out)["status"], "included") << out->dump();
    return *out;
  }

  std::string chain_id_;
  std::filesystem::path dir_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<NodeClient> client_;
};

}  // namespace datadao::node
