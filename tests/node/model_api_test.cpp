// The model routes over real HTTP on an in-process node: models, consents, policies and training
// sets read back as the ledger holds them and page in id order; policy candidates are exactly the
// contributions a runner may still apply a standing policy to; progress is taken only from the
// model's runner, with a valid signature, a small body, and only while the model trains.
#include <gtest/gtest.h>

#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/node/progress.hpp"
#include "datadao/testing/api.hpp"
#include "datadao/testing/in_process_node.hpp"

namespace datadao::node {
namespace {

using nlohmann::json;

class ModelApiTest : public testkit::InProcessNode {
 protected:
  void SetUp() override {
    start_node("model-chain", {{alice_.public_key, 10},
                               {bob_.public_key, 10},
                               {val_.public_key, 10},
                               {dev_.public_key, 1000}});
  }

  // Pool 1, validated (and so run) by val. A long voting period keeps models in voting.
  void create_pool(uint64_t voting_period) {
    ledger::CreatePool cp;
    cp.name = "reddit-dao";
    cp.source = "reddit";
    cp.validator = val_.public_key;
    cp.box_key = val_box_.public_key;
    cp.params = {1000, 5000, voting_period, true};
    submit(alice_, cp);
  }

  // A new file of `who` contributed to pool 1; returns the contribution id.
  uint64_t contribute(const crypto::SigningKeyPair& who) {
    ledger::RegisterFile rf;
    rf.blob_hash = crypto::blake2b256(crypto::as_bytes("file " + std::to_string(++files_)));
    rf.size = 100;
    rf.source = "reddit";
    rf.locator = "node";
    submit(who, rf);
    ledger::Contribute c;
    c.pool_id = 1;
    c.file_id = files_;
    c.sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 7));
    c.sealed_claim = crypto::seal_to(val_box_.public_key, crypto::as_bytes("handle"));
    submit(who, c);
    return files_;  // one contribution per file, in the same order
  }

  // The validator scores a contribution: `accepted` records earn points (0 = none).
  void attest(uint64_t contribution, uint32_t accepted) {
    ledger::Attest a;
    a.contribution_id = contribution;
    a.authentic = true;
    a.owned = true;
    a.handle_tag = crypto::blake2b256(crypto::as_bytes("handle " + std::to_string(contribution)));
    a.records_total = accepted + 1;
    a.exact_duplicates = 1;
    a.accepted = accepted;
    if (accepted > 0) {
      a.refined_blob_hash = crypto::blake2b256(crypto::as_bytes("refined"));
      a.refined_size = 64;
      a.refined_sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 9));
    }
    submit(val_, a);
  }

  uint64_t scored(const crypto::SigningKeyPair& who, uint32_t accepted = 2) {
    const uint64_t id = contribute(who);
    attest(id, accepted);
    return id;
  }

  ledger::ProposeModel proposal(uint64_t epsilon_milli = 3000) {
    ledger::ProposeModel p;
    p.pools = {1};
    p.kind = "text";
    p.purpose = "research";
    p.description = "post generator";
    p.fields = {"text"};
    p.spec = "layers=2 width=64";
    p.terms.dp_required = true;
    p.terms.epsilon_milli = epsilon_milli;
    p.terms.delta_e12 = 10'000'000;
    p.terms.min_contributors = 1;
    p.terms.price_per_call = 2;
    p.terms.training_fee = 100;
    p.terms.consent_blocks = 20;
    p.developer_box_key = dev_box_.public_key;
    return p;
  }

  void consent(const crypto::SigningKeyPair& who, uint64_t model, std::vector<uint64_t> ids,
               bool yes = true) {
    ledger::Consent c;
    c.model_id = model;
    c.contribution_ids = std::move(ids);
    c.consent = yes;
    submit(who, c);
  }

  void set_policy(const crypto::SigningKeyPair& who, uint64_t max_epsilon_milli) {
    ledger::SetConsentPolicy s;
    s.policy.enabled = true;
    s.policy.require_dp = true;
    s.policy.max_epsilon_milli = max_epsilon_milli;
    s.policy.purposes = {"research"};
    submit(who, s);
  }

  json get(const std::string& path) { return testkit::get_ok(*client_, path); }
  ErrorCode get_error(const std::string& path) { return testkit::get_error(*client_, path); }

  // Every item of a paged list, `limit` per request.
  std::vector<uint64_t> all_ids(const std::string& path, const std::string& key,
                                const std::string& id_key, int limit) {
    std::vector<uint64_t> ids;
    std::string after = "0";
    for (int pages = 0; pages < 100; ++pages) {
      json page = get(path + (path.find('?') == std::string::npos ? "?" : "&") +
                      "limit=" + std::to_string(limit) + "&after=" + after);
      for (const auto& item : page[key]) ids.push_back(item[id_key].get<uint64_t>());
      if (page["next_after"].is_null()) break;
      after = std::to_string(page["next_after"].get<uint64_t>());
    }
    return ids;
  }

  // Waits (bounded) until the model reaches `status`: heartbeat blocks move it on their own.
  json wait_for_status(uint64_t model, const std::string& status) {
    json m;
    for (int i = 0; i < 400; ++i) {
      m = get("/v1/models/" + std::to_string(model));
      if (m["status"] == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return m;
  }

  ModelProgress progress(uint64_t step) {
    ModelProgress p;
    p.step = step;
    p.total_steps = 100;
    p.loss = 3.25;
    p.epsilon = 0.5;
    p.eta_seconds = 42;
    p.phase = "training";
    return p;
  }

  // Posts a raw body to a model's progress route; returns the error code, or nullopt if taken.
  std::optional<ErrorCode> post(uint64_t model, const json& body) {
    auto r = client_->post_json("/v1/models/" + std::to_string(model) + "/progress", body);
    if (r.ok()) return std::nullopt;
    return r.error().code;
  }

  uint64_t files_ = 0;
  crypto::SigningKeyPair alice_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair bob_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair val_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair dev_ = crypto::SigningKeyPair::generate();
  crypto::BoxKeyPair val_box_ = crypto::BoxKeyPair::generate();
  crypto::BoxKeyPair dev_box_ = crypto::BoxKeyPair::generate();
};

TEST_F(ModelApiTest, ModelReadsBackAsProposedAndListsPageInIdOrder) {
  create_pool(100000);
  scored(alice_);
  for (int i = 0; i < 3; ++i) submit(dev_, proposal(1000 + i));
  json m = get("/v1/models/2");
  EXPECT_EQ(m["id"], 2);
  EXPECT_EQ(m["developer"], codec::to_hex(dev_.public_key));
  EXPECT_EQ(m["developer_box_key"], codec::to_hex(dev_box_.public_key));
  EXPECT_EQ(m["pools"], json::array({1}));
  EXPECT_EQ(m["kind"], "text");
  EXPECT_EQ(m["purpose"], "research");
  EXPECT_EQ(m["fields"], json::array({"text"}));
  EXPECT_EQ(m["spec"], "layers=2 width=64");
  EXPECT_EQ(m["status"], "voting");
  EXPECT_EQ(m["terms"]["epsilon_milli"], 1001);
  EXPECT_EQ(m["terms"]["delta_e12"], 10'000'000);
  EXPECT_EQ(m["terms"]["price_per_call"], 2);
  EXPECT_EQ(m["terms"]["training_fee"], 100);
  EXPECT_EQ(m["supply_at_creation"], json::array({2000}));
  EXPECT_GT(m["vote_deadline"].get<uint64_t>(), m["created_height"].get<uint64_t>());
  EXPECT_FALSE(m.contains("progress"));

  json page1 = get("/v1/models?limit=2");
  ASSERT_EQ(page1["models"].size(), 2u);
  EXPECT_EQ(page1["models"][1], m);
  EXPECT_EQ(page1["next_after"], 2);
  json page2 = get("/v1/models?after=2&limit=2");
  ASSERT_EQ(page2["models"].size(), 1u);
  EXPECT_EQ(page2["models"][0]["id"], 3);
  EXPECT_TRUE(page2["next_after"].is_null());
  EXPECT_EQ(all_ids("/v1/pools/1/models", "models", "id", 2), (std::vector<uint64_t>{1, 2, 3}));
  const std::string dev = codec::to_hex(dev_.public_key);
  EXPECT_EQ(all_ids("/v1/accounts/" + dev + "/models", "models", "id", 1),
            (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(
      get("/v1/accounts/" + codec::to_hex(alice_.public_key) + "/models")["models"].empty());

  EXPECT_EQ(get_error("/v1/models/4"), ErrorCode::kNotFound);
  EXPECT_EQ(get_error("/v1/pools/9/models"), ErrorCode::kNotFound);
  EXPECT_EQ(get_error("/v1/models?limit=0"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/models/1/consents?limit=1001"), ErrorCode::kInvalidArgument);
}

TEST_F(ModelApiTest, ConsentsPageWithTheirContributorAndEachContributionHasAStatus) {
  create_pool(100000);
  const uint64_t a1 = scored(alice_), a2 = scored(alice_), a3 = scored(alice_);
  const uint64_t b1 = scored(bob_), b2 = scored(bob_);
  submit(dev_, proposal());
  consent(alice_, 1, {a1, a2, a3});
  consent(bob_, 1, {b1});
  consent(bob_, 1, {b2}, /*yes=*/false);

  EXPECT_EQ(all_ids("/v1/models/1/consents", "consents", "contribution_id", 2),
            (std::vector<uint64_t>{a1, a2, a3, b1}));
  json first = get("/v1/models/1/consents?limit=1");
  ASSERT_EQ(first["consents"].size(), 1u);
  const json& c = first["consents"][0];
  EXPECT_EQ(c["pool_id"], 1);
  EXPECT_EQ(c["contributor"], codec::to_hex(alice_.public_key));
  EXPECT_EQ(c["by_policy"], false);
  EXPECT_FALSE(c.contains("contribution"));
  json full = get("/v1/models/1/consents?limit=1&full=1");
  EXPECT_EQ(full["consents"][0]["contribution"], get("/v1/contributions/" + std::to_string(a1)));

  json yes = get("/v1/models/1/consents/" + std::to_string(b1));
  EXPECT_EQ(yes["status"], "consented");
  EXPECT_EQ(yes["by_policy"], false);
  EXPECT_EQ(yes["contributor"], codec::to_hex(bob_.public_key));
  EXPECT_EQ(get("/v1/models/1/consents/" + std::to_string(b2))["status"], "denied");
  const uint64_t unasked = scored(bob_);
  EXPECT_EQ(get("/v1/models/1/consents/" + std::to_string(unasked))["status"], "none");
  EXPECT_EQ(get_error("/v1/models/1/consents/99"), ErrorCode::kNotFound);
  EXPECT_EQ(get_error("/v1/models/7/consents"), ErrorCode::kNotFound);
  EXPECT_EQ(get("/v1/models/1")["consents"], 4);
}

TEST_F(ModelApiTest, PolicyCandidatesAreMatchingScoredContributionsNotYetConsentedOrDenied) {
  create_pool(100000);
  set_policy(alice_, 5000);  // matches a model at ε 3
  set_policy(bob_, 1000);    // does not
  const uint64_t match1 = scored(alice_);
  scored(alice_, /*accepted=*/0);  // points 0: cannot consent
  contribute(alice_);              // not scored yet
  const uint64_t consented = scored(alice_);
  const uint64_t denied = scored(alice_);
  scored(bob_);
  const uint64_t match2 = scored(alice_);
  submit(dev_, proposal(3000));
  consent(alice_, 1, {consented});
  consent(alice_, 1, {denied}, /*yes=*/false);

  EXPECT_EQ(all_ids("/v1/models/1/policy-candidates?pool=1", "candidates", "contribution_id", 1),
            (std::vector<uint64_t>{match1, match2}));
  json page = get("/v1/models/1/policy-candidates?pool=1");
  ASSERT_EQ(page["candidates"].size(), 2u);
  EXPECT_EQ(page["candidates"][0]["contributor"], codec::to_hex(alice_.public_key));
  EXPECT_TRUE(page["next_after"].is_null());
  EXPECT_EQ(get_error("/v1/models/1/policy-candidates"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/models/1/policy-candidates?pool=2"), ErrorCode::kInvalidArgument);

  // What the runner applies leaves the candidates and shows as consent by policy.
  ledger::ApplyConsentPolicy apply;
  apply.model_id = 1;
  apply.contribution_ids = {match1, match2};
  submit(val_, apply);
  EXPECT_TRUE(get("/v1/models/1/policy-candidates?pool=1")["candidates"].empty());
  json c = get("/v1/models/1/consents/" + std::to_string(match2));
  EXPECT_EQ(c["status"], "consented");
  EXPECT_EQ(c["by_policy"], true);

  json policy = get("/v1/accounts/" + codec::to_hex(alice_.public_key) + "/consent-policy");
  EXPECT_EQ(policy["enabled"], true);
  EXPECT_EQ(policy["require_dp"], true);
  EXPECT_EQ(policy["max_epsilon_milli"], 5000);
  EXPECT_EQ(policy["purposes"], json::array({"research"}));
  json none = get("/v1/accounts/" + codec::to_hex(dev_.public_key) + "/consent-policy");
  EXPECT_EQ(none["enabled"], false);
  EXPECT_EQ(none["set"], false);
}

TEST_F(ModelApiTest, ProgressIsTakenOnlyFromTheRunnerWithAValidSignatureWhileTraining) {
  create_pool(100000);
  const uint64_t mine = scored(alice_);
  ledger::ProposeModel p = proposal();
  p.personal = true;  // no vote: straight to consent
  p.terms.training_fee = 0;
  submit(alice_, p);
  // Not training yet: refused.
  ModelProgress early = progress(1);
  early.runner = val_.public_key;
  EXPECT_EQ(post(1, sign_progress(1, early, val_)), ErrorCode::kFailedPrecondition);
  consent(alice_, 1, {mine});
  // Nobody sends anything now: heartbeat blocks close the consent window.
  ASSERT_EQ(wait_for_status(1, "training")["status"], "training");

  ASSERT_TRUE(client_->post_progress(1, progress(40), val_).ok());
  json m = get("/v1/models/1");
  ASSERT_TRUE(m.contains("progress"));
  EXPECT_EQ(m["progress"]["step"], 40);
  EXPECT_EQ(m["progress"]["total_steps"], 100);
  EXPECT_EQ(m["progress"]["loss"], 3.25);
  EXPECT_EQ(m["progress"]["phase"], "training");
  EXPECT_EQ(m["progress"]["runner"], codec::to_hex(val_.public_key));
  EXPECT_GT(m["progress"]["received_at"].get<uint64_t>(), 0u);

  // Anyone else, even with a valid signature of their own: refused.
  EXPECT_EQ(client_->post_progress(1, progress(99), alice_).error().code,
            ErrorCode::kPermissionDenied);
  // The runner's key, but the body was changed after signing.
  ModelProgress forged = progress(99);
  forged.runner = val_.public_key;
  json body = sign_progress(1, forged, val_);
  body["step"] = 100;
  EXPECT_EQ(post(1, body), ErrorCode::kUnauthenticated);
  // Signed for another model: the model id is in the signed bytes.
  EXPECT_EQ(post(1, sign_progress(2, forged, val_)), ErrorCode::kUnauthenticated);
  // Malformed and oversized bodies.
  json bad = sign_progress(1, forged, val_);
  bad["step"] = 101;  // past total_steps
  EXPECT_EQ(post(1, bad), ErrorCode::kInvalidArgument);
  json big = sign_progress(1, forged, val_);
  big["phase"] = std::string(kMaxProgressBodyBytes, 'a');
  EXPECT_EQ(post(1, big), ErrorCode::kLimitExceeded);
  EXPECT_EQ(post(9, sign_progress(9, forged, val_)), ErrorCode::kNotFound);
  // None of the refused reports replaced the accepted one.
  EXPECT_EQ(get("/v1/models/1")["progress"]["step"], 40);

  // The runner lists what it trained on.
  ledger::RecordTrainingSet ts;
  ts.model_id = 1;
  ts.contribution_ids = {mine};
  submit(val_, ts);
  json set = get("/v1/models/1/training-set");
  ASSERT_EQ(set["training_set"].size(), 1u);
  EXPECT_EQ(set["training_set"][0]["contribution_id"], mine);
  EXPECT_EQ(set["training_set"][0]["contributor"], codec::to_hex(alice_.public_key));
  EXPECT_TRUE(set["next_after"].is_null());
}

TEST_F(ModelApiTest, ProgressBodyRoundTripsThroughItsSignature) {
  const auto key = crypto::SigningKeyPair::generate();
  ModelProgress p;
  p.step = 7;
  p.total_steps = 9;
  p.loss = 0.1;  // not exact in binary: the dump must still round-trip
  p.epsilon = 1.0 / 3;
  p.eta_seconds = 12.5;
  p.phase = "evaluating";
  p.runner = key.public_key;
  // As the node sees it: the body re-parsed from its wire form.
  const json wire = json::parse(sign_progress(5, p, key).dump());
  auto back = verify_progress(5, wire);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->step, 7u);
  EXPECT_EQ(back->loss, 0.1);
  EXPECT_EQ(back->epsilon, 1.0 / 3);
  EXPECT_EQ(back->phase, "evaluating");
  json extra = wire;
  extra["note"] = "x";
  EXPECT_EQ(verify_progress(5, extra).error().code, ErrorCode::kInvalidArgument);
  json negative = wire;
  negative["eta_seconds"] = -1;
  EXPECT_EQ(verify_progress(5, negative).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::node
