// GoogleTest fixture: a LocalNet (a real node with a fresh chain in a temporary directory, 5 ms
// blocks, its HTTP API on a free loopback port) in this process, and a client for it. Route
// tests derive from it. Include from tests only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/testing/local_net.hpp"

namespace datadao::testkit {

class InProcessNode : public ::testing::Test {
 protected:
  // Call from SetUp (wrap in ASSERT_NO_FATAL_FAILURE to stop the test on failure).
  void start_node(std::string chain_id,
                  std::vector<std::pair<ledger::AccountId, uint64_t>> allocations) {
    LocalNetOptions o;
    o.chain_id = std::move(chain_id);
    ASSERT_OK(net_.start(o, std::move(allocations)));
    chain_id_ = net_.chain_id();
    dir_ = net_.dir();
    node_ = &net_.node();
    api_ = &net_.api();
    client_ = &net_.client();
  }
  void TearDown() override { net_.stop(); }

  // Signs `payload` as `who` with the next nonce and expects it in a block.
  template <class P>
  nlohmann::json submit(const crypto::SigningKeyPair& who, const P& payload) {
    auto out = net_.submit(who, payload);
    EXPECT_TRUE(out.ok()) << out.error().to_string();
    return out.ok() ? *out : nlohmann::json();
  }

  LocalNet net_;
  std::string chain_id_;
  std::filesystem::path dir_;
  node::Node* node_ = nullptr;
  node::ApiServer* api_ = nullptr;
  node::NodeClient* client_ = nullptr;
};

}  // namespace datadao::testkit
