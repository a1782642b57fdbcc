// The node end to end over real HTTP on loopback: admission, block production, rejection,
// queries, proofs, blob routes and limits on request bodies.
#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <random>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/testing/assertions.hpp"

namespace datadao::node {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class NodeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("datadao-node-test-" + std::to_string(std::random_device{}()));
    paths_ = NodePaths{dir_ / "node"};
    alice_ = crypto::SigningKeyPair::generate();
    bob_ = crypto::SigningKeyPair::generate();
    NodeConfig cfg;
    cfg.chain_id = "test-chain";
    cfg.block_interval_ms = 5;
    ledger::Genesis g;
    g.chain_id = cfg.chain_id;
    g.timestamp = 1700000000;
    g.allocations = {{alice_.public_key, 1000}};
    ASSERT_TRUE(init_node(paths_, cfg, g).ok());
    auto n = Node::open(paths_);
    ASSERT_TRUE(n.ok()) << n.error().message;
    node_ = std::move(n).value();
    node_->start();
    api_ = std::make_unique<ApiServer>(*node_);
    ASSERT_TRUE(api_->start("127.0.0.1", 0).ok());
    url_ = "http://127.0.0.1:" + std::to_string(api_->port());
  }
  void TearDown() override {
    api_.reset();
    node_.reset();
    fs::remove_all(dir_);
  }

  ledger::Transaction transfer(const crypto::SigningKeyPair& from, uint64_t nonce,
                               const crypto::PublicKey& to, uint64_t amount,
                               const std::string& chain = "test-chain") {
    ledger::Transfer t;
    t.to = to;
    t.amount = amount;
    return ledger::make_tx(chain, from, nonce, t);
  }

  fs::path dir_;
  NodePaths paths_;
  crypto::SigningKeyPair alice_, bob_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<ApiServer> api_;
  std::string url_;
};

TEST_F(NodeApiTest, SubmittedTransferIsIncludedAndChangesBalances) {
  NodeClient c(url_);
  auto out = c.submit(transfer(alice_, 1, bob_.public_key, 300));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["status"], "included");
  EXPECT_GE((*out)["height"].get<uint64_t>(), 1u);
  auto a = c.get("/v1/accounts/" + codec::to_hex(alice_.public_key));
  auto b = c.get("/v1/accounts/" + codec::to_hex(bob_.public_key));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)["credits"], 700);
  EXPECT_EQ((*a)["nonce"], 1);
  EXPECT_EQ((*b)["credits"], 300);
  EXPECT_EQ(*c.next_nonce(alice_.public_key), 2u);
}

TEST_F(NodeApiTest, InvalidTransactionIsRejectedWithReasonAndChangesNothing) {
  NodeClient c(url_);
  auto out = c.submit(transfer(alice_, 1, bob_.public_key, 5000));  // more than alice has
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["status"], "rejected");
  EXPECT_FALSE((*out)["error"]["message"].get<std::string>().empty());
  auto a = c.get("/v1/accounts/" + codec::to_hex(alice_.public_key));
  EXPECT_EQ((*a)["credits"], 1000);
  EXPECT_EQ((*a)["nonce"], 0);
}

TEST_F(NodeApiTest, RejectedTransactionIsReevaluatedWhenResubmitted) {
  NodeClient c(url_);
  auto carol = crypto::SigningKeyPair::generate();
  // bob has no account yet: his transfer is rejected; once funded, the same bytes succeed.
  auto tx = transfer(bob_, 1, carol.public_key, 5);
  ASSERT_EQ((*c.submit(tx))["status"], "rejected");
  ASSERT_EQ((*c.submit(transfer(alice_, 1, bob_.public_key, 10)))["status"], "included");
  EXPECT_EQ((*c.submit(tx))["status"], "included");
}

TEST_F(NodeApiTest, ReplayedTransactionIsNotAppliedTwice) {
  NodeClient c(url_);
  auto tx = transfer(alice_, 1, bob_.public_key, 10);
  ASSERT_EQ((*c.submit(tx))["status"], "included");
  auto again = c.submit(tx);
  ASSERT_TRUE(again.ok());
  // Either recognised as already decided or rejected for its nonce: never applied twice.
  auto b = c.get("/v1/accounts/" + codec::to_hex(bob_.public_key));
  EXPECT_EQ((*b)["credits"], 10);
}

TEST_F(NodeApiTest, WrongChainAndBadSignatureAreRefusedAtAdmission) {
  NodeClient c(url_);
  auto wrong_chain = c.submit(transfer(alice_, 1, bob_.public_key, 1, "other-chain"));
  ASSERT_FALSE(wrong_chain.ok());
  EXPECT_NE(wrong_chain.error().message.find("other-chain"), std::string::npos);
  auto tx = transfer(alice_, 1, bob_.public_key, 1);
  tx.signature[3] ^= 1;
  auto bad_sig = c.submit(tx);
  ASSERT_FALSE(bad_sig.ok());
  EXPECT_EQ(bad_sig.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(NodeApiTest, MalformedAndOversizedBodiesGetClearErrors) {
  httplib::Client http(url_);
  auto not_json = http.Post("/v1/tx", "garbage", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  EXPECT_NE(not_json->body.find("base64"), std::string::npos);
  auto bad_b64 = http.Post("/v1/tx", R"({"tx":"!!!"})", "application/json");
  EXPECT_EQ(bad_b64->status, 400);
  auto truncated = http.Post("/v1/tx", R"({"tx":"AQID"})", "application/json");
  EXPECT_EQ(truncated->status, 400);
  std::string huge = R"({"tx":")" + std::string(1 << 20, 'A') + R"("})";
  auto too_big = http.Post("/v1/tx", huge, "application/json");
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  auto bad_account = http.Get("/v1/accounts/zz");
  EXPECT_EQ(bad_account->status, 404);  // no route matches a non-hex id
}

TEST_F(NodeApiTest, ProofFromTheApiVerifiesOfflineAgainstTheOperatorKey) {
  NodeClient c(url_);
  auto out = c.submit(transfer(alice_, 1, bob_.public_key, 42));
  ASSERT_EQ((*out)["status"], "included");
  const std::string id = (*out)["tx_id"];
  auto pj = c.get("/v1/proof/" + id);
  ASSERT_TRUE(pj.ok()) << pj.error().message;
  auto proof = ledger::tx_proof_from_json(*pj);
  ASSERT_TRUE(proof.ok()) << proof.error().message;
  EXPECT_TRUE(ledger::verify_tx_proof(*proof, node_->operator_public_key()).ok());
  auto stranger = crypto::SigningKeyPair::generate();
  EXPECT_ERROR_CODE(ledger::verify_tx_proof(*proof, stranger.public_key),
                    ErrorCode::kUnauthenticated);
  auto shown = c.get("/v1/tx/" + id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ((*shown)["height"], (*out)["height"]);
}

TEST_F(NodeApiTest, UnknownThingsAre404WithMessages) {
  NodeClient c(url_);
  auto tx = c.get("/v1/tx/" + std::string(64, 'a'));
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, ErrorCode::kNotFound);
  auto file = c.get("/v1/files/99");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message.find("99"), std::string::npos);
}

TEST_F(NodeApiTest, UnreachableNodeGivesAClearError) {
  api_->stop();
  NodeClient c(url_);
  auto s = c.get("/v1/status");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIoError);
  EXPECT_NE(s.error().message.find(url_), std::string::npos);
}

TEST_F(NodeApiTest, SecondNodeOnTheSameDirectoryIsRefused) {
  auto second = Node::open(paths_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(second.error().message.find("already running"), std::string::npos);
}

TEST_F(NodeApiTest, SecondServerCannotBindAPortInUse) {
  ApiServer other(*node_);
  EXPECT_ERROR_CODE(other.start("127.0.0.1", api_->port()), ErrorCode::kIoError);
}

TEST_F(NodeApiTest, CommittedBlocksSurviveReopen) {
  NodeClient c(url_);
  for (uint64_t n = 1; n <= 5; ++n) {
    ASSERT_EQ((*c.submit(transfer(alice_, n, bob_.public_key, 1)))["status"], "included");
  }
  auto before = c.get("/v1/status");
  api_.reset();
  node_.reset();
  auto reopened = Node::open(paths_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto h = (*reopened)->read([](ledger::Chain& chain) { return chain.height(); });
  EXPECT_EQ(h, (*before)["height"].get<uint64_t>());
  auto bob = (*reopened)->read(
      [&](ledger::Chain& chain) { return chain.state().account(bob_.public_key); });
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->credits, 5u);
}

}  // namespace
}  // namespace datadao::node
