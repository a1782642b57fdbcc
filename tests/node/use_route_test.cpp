// POST /v1/models/<id>/use over real HTTP on an in-process node: a call is served only once its
// UseModel payment is in a committed block; a retry with the same payment is served again and
// not charged twice; a bad request, or one whose payment does not match it, costs nothing; a
// rejected payment is answered 402 and nothing runs; only models sealed to this node's serving
// key are served. The engine here is a deterministic echo (the libtorch engine is exercised end
// to end by the models demo, cli_demo_models): these tests are about payment and serving.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/node/serving.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/testing/in_process_node.hpp"

namespace datadao::node {
namespace {

using nlohmann::json;

class EchoEngine final : public InferenceEngine {
 public:
  Status check(const ledger::Model&, const std::string& op, const json& input) override {
    if (op != "generate") return make_error(ErrorCode::kInvalidArgument, "unknown op '" + op + "'");
    if (!input.contains("prompt") || !input["prompt"].is_string()) {
      return make_error(ErrorCode::kInvalidArgument, "generate input: prompt must be a string");
    }
    return Status::Ok();
  }
  Result<json> run(const ledger::Model& m, const std::string&, const json& input,
                   uint64_t seed) override {
    ++runs;
    return json{{"text", input["prompt"].get<std::string>() + " #" + std::to_string(seed)},
                {"model", m.id}};
  }
  std::atomic<int> runs{0};
};

class UseRouteTest : public testkit::InProcessNode {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start_node(
        "use-chain", {{alice_.public_key, 10}, {bob_.public_key, 5}, {val_.public_key, 10}}));
    engine_ = std::make_shared<EchoEngine>();
    node_->set_inference_engine(engine_);
    ledger::CreatePool cp;
    cp.name = "reddit-dao";
    cp.source = "reddit";
    cp.validator = val_.public_key;
    cp.box_key = val_box_.public_key;
    cp.params = {1000, 5000, 100000, true};
    submit(alice_, cp);
  }

  // A personal model of alice's, published by the runner (val) with the weights key sealed to
  // `server` (the node's serving key unless told otherwise). Returns its id.
  uint64_t publish(const crypto::PublicKey& server, uint64_t price = 2) {
    const uint64_t n = ++models_;
    ledger::RegisterFile rf;
    rf.blob_hash = crypto::blake2b256(crypto::as_bytes("file " + std::to_string(n)));
    rf.size = 10;
    rf.source = "reddit";
    rf.locator = "node";
    submit(alice_, rf);
    ledger::Contribute c;
    c.pool_id = 1;
    c.file_id = n;
    c.sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 7));
    c.sealed_claim = crypto::seal_to(val_box_.public_key, crypto::as_bytes("handle"));
    submit(alice_, c);
    ledger::Attest a;
    a.contribution_id = n;
    a.authentic = a.owned = true;
    a.handle_tag = crypto::blake2b256(crypto::as_bytes("h" + std::to_string(n)));
    a.records_total = a.accepted = 3;
    a.refined_blob_hash = crypto::blake2b256(crypto::as_bytes("refined"));
    a.refined_size = 64;
    a.refined_sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 9));
    submit(val_, a);
    ledger::ProposeModel p;
    p.pools = {1};
    p.personal = true;
    p.kind = "text";
    p.purpose = "research";
    p.description = "mine";
    p.fields = {"text"};
    p.spec = "layers=1";
    p.terms.price_per_call = price;
    p.terms.consent_blocks = 3;
    p.developer_box_key = alice_box_.public_key;
    submit(alice_, p);
    ledger::Consent cs;
    cs.model_id = n;
    cs.contribution_ids = {n};
    submit(alice_, cs);
    for (int i = 0; i < 400; ++i) {
      if ((*client_->get("/v1/models/" + std::to_string(n)))["status"] == "training") break;
      // A transfer makes a block: the consent window is counted in blocks.
      ledger::Transfer t;
      t.to = bob_.public_key;
      t.amount = 1;
      submit(val_, t);
    }
    ledger::RecordTrainingSet ts;
    ts.model_id = n;
    ts.contribution_ids = {n};
    submit(val_, ts);
    ledger::PublishModel pub;
    pub.model_id = n;
    pub.weights_hash = crypto::blake2b256(crypto::as_bytes("weights"));
    pub.weights_size = 100;
    pub.weights_sealed_key = crypto::seal_to(alice_box_.public_key, crypto::Bytes(32, 1));
    pub.steps = 1;
    pub.training_set_size = 1;
    pub.server_box_key = server;
    pub.server_sealed_key = crypto::seal_to(server, crypto::Bytes(32, 1));
    submit(val_, pub);
    EXPECT_EQ((*client_->get("/v1/models/" + std::to_string(n)))["status"], "published");
    return n;
  }

  ledger::Transaction use_tx(const crypto::SigningKeyPair& who, uint64_t model,
                             const std::string& op, const json& input,
                             const std::string& salt = kSalt) {
    const uint64_t nonce = *client_->next_nonce(who.public_key);
    ledger::UseModel u;
    u.model_id = model;
    u.request_hash = request_hash(model, op, input, salt);
    return ledger::make_tx(chain_id_, who, nonce, u);
  }

  Result<json> call(uint64_t model, const ledger::Transaction& tx, const std::string& op,
                    const json& input, const std::string& salt = kSalt) {
    return client_->post_json("/v1/models/" + std::to_string(model) + "/use",
                              {{"op", op},
                               {"input", input},
                               {"salt", salt},
                               {"tx", codec::to_base64(crypto::as_bytes(ledger::encode(tx)))}});
  }

  uint64_t credits(const crypto::SigningKeyPair& who) {
    return (*client_->get("/v1/accounts/" + codec::to_hex(who.public_key)))["credits"];
  }
  uint64_t uses(uint64_t model) {
    return (*client_->get("/v1/models/" + std::to_string(model) + "/rewards"))["uses"];
  }

  static constexpr const char* kSalt = "3f9a0c17e2b4d6a8";
  uint64_t models_ = 0;
  std::shared_ptr<EchoEngine> engine_;
  crypto::SigningKeyPair alice_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair bob_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair val_ = crypto::SigningKeyPair::generate();
  crypto::BoxKeyPair val_box_ = crypto::BoxKeyPair::generate();
  crypto::BoxKeyPair alice_box_ = crypto::BoxKeyPair::generate();
};

TEST_F(UseRouteTest, CallIsServedOnlyOnceItsPaymentIsInABlock) {
  const uint64_t m = publish(node_->serving_key().public_key);
  const uint64_t before = credits(bob_);
  const json input = {{"prompt", "hello"}};
  const ledger::Transaction tx = use_tx(bob_, m, "generate", input);
  auto r = call(m, tx, "generate", input);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["output"]["text"].get<std::string>().rfind("hello #", 0), 0u);
  // The payment is on the chain, in a block at or below the height the answer names.
  const std::string id = codec::to_hex(ledger::tx_id(tx));
  EXPECT_EQ((*r)["tx_id"], id);
  auto where = client_->get("/v1/tx/" + id);
  ASSERT_TRUE(where.ok()) << where.error().message;
  EXPECT_EQ((*r)["height"], (*where)["height"]);
  EXPECT_EQ(credits(bob_), before - 2);
  EXPECT_EQ(uses(m), 1u);
  EXPECT_EQ(engine_->runs, 1);
}

TEST_F(UseRouteTest, RetryWithTheSamePaymentIsServedAgainAndNotChargedTwice) {
  const uint64_t m = publish(node_->serving_key().public_key);
  const json input = {{"prompt", "again"}};
  const ledger::Transaction tx = use_tx(bob_, m, "generate", input);
  auto first = call(m, tx, "generate", input);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const uint64_t after_first = credits(bob_);
  auto second = call(m, tx, "generate", input);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ((*second)["output"], (*first)["output"]);  // same seed: same answer
  EXPECT_EQ(credits(bob_), after_first);
  EXPECT_EQ(uses(m), 1u);
}

TEST_F(UseRouteTest, BadOrMismatchedRequestsCostNothing) {
  const uint64_t m = publish(node_->serving_key().public_key);
  const uint64_t before = credits(bob_);
  const json input = {{"prompt", "hi"}};
  // The input was changed after the payment was signed.
  auto r = call(m, use_tx(bob_, m, "generate", input), "generate", json{{"prompt", "other"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("request_hash"), std::string::npos) << r.error().message;
  // An op the engine refuses (checked before paying).
  const json bad = {{"prompt", 7}};
  r = call(m, use_tx(bob_, m, "generate", bad), "generate", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  // A payment for another model.
  r = call(m + 1, use_tx(bob_, m, "generate", input), "generate", input);
  ASSERT_ERROR_CODE(r, ErrorCode::kInvalidArgument);
  // Not a UseModel at all.
  ledger::Transfer t;
  t.to = alice_.public_key;
  t.amount = 1;
  r = client_->post_json("/v1/models/" + std::to_string(m) + "/use",
                         {{"op", "generate"},
                          {"input", input},
                          {"tx", codec::to_base64(crypto::as_bytes(
                                     ledger::encode(ledger::make_tx(chain_id_, bob_, 1, t))))}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not use_model"), std::string::npos) << r.error().message;
  EXPECT_EQ(credits(bob_), before);
  EXPECT_EQ(*client_->next_nonce(bob_.public_key), 1u);  // nothing of bob's reached the chain
  EXPECT_EQ(uses(m), 0u);
  EXPECT_EQ(engine_->runs, 0);
}

TEST_F(UseRouteTest, CopiedPaymentCannotBeReplayedWithoutTheSalt) {
  const uint64_t m = publish(node_->serving_key().public_key);
  const json input = {{"prompt", "guessable"}};
  const ledger::Transaction tx = use_tx(bob_, m, "generate", input);
  ASSERT_TRUE(call(m, tx, "generate", input).ok());
  // Someone copies the public UseModel from the chain and guesses the input, not the salt.
  auto r = call(m, tx, "generate", input, "0000000000000000");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  r = call(m, tx, "generate", input, "");
  ASSERT_ERROR_CODE(r, ErrorCode::kInvalidArgument);
  EXPECT_EQ(engine_->runs, 1);
  // Deeply nested bodies are refused while parsing.
  json deep = "x";
  for (int i = 0; i < 64; ++i) deep = json{{"a", deep}};
  r = call(m, tx, "generate", json{{"prompt", "p"}, {"nest", deep}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded) << r.error().message;
  EXPECT_EQ(uses(m), 1u);
}

TEST_F(UseRouteTest, RejectedPaymentIsAnswered402AndNothingRuns) {
  const uint64_t m = publish(node_->serving_key().public_key, /*price=*/1000);
  const json input = {{"prompt", "too dear"}};
  auto r = call(m, use_tx(bob_, m, "generate", input), "generate", input);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not paid"), std::string::npos) << r.error().message;
  EXPECT_EQ(uses(m), 0u);
  EXPECT_EQ(engine_->runs, 0);
}

TEST_F(UseRouteTest, OnlyModelsSealedToThisNodeAreServed) {
  const crypto::BoxKeyPair elsewhere = crypto::BoxKeyPair::generate();
  const uint64_t m = publish(elsewhere.public_key);
  const json input = {{"prompt", "x"}};
  auto r = call(m, use_tx(bob_, m, "generate", input), "generate", input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("not served by this node"), std::string::npos);
  // Without an engine the node says so, and charges nothing.
  const uint64_t here = publish(node_->serving_key().public_key);
  node_->set_inference_engine(nullptr);
  r = call(here, use_tx(bob_, here, "generate", input), "generate", input);
  EXPECT_ERROR(r, ErrorCode::kFailedPrecondition, "no inference engine");
  EXPECT_EQ(uses(here), 0u);
  EXPECT_EQ(*client_->next_nonce(bob_.public_key), 1u);
}

}  // namespace
}  // namespace datadao::node
