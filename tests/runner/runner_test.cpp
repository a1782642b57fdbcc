// The compute-to-data runner end to end: an in-process node and API on loopback, a pool whose
// validator attests refined blobs (sealed here, so each contributor's records carry a marker
// word), a developer's model proposal, votes, consents, and the runner training and publishing.
#include "datadao/runner/runner.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/runner/serving.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

wallet::Wallet make_wallet(const std::string& name) {
  return wallet::Wallet{name, crypto::SigningKeyPair::generate(), crypto::BoxKeyPair::generate(),
                        0};
}

// Refined reddit records (the validator's output schema) whose texts all carry `marker`.
std::string refined_texts(const std::string& marker, int n) {
  static const char* const kBodies[] = {
      "what is the best book you have read this year",
      "ran my first ten kilometres today and it felt great",
      "why does my vector reallocate when I push back",
      "this is the way to cook rice without a rice cooker",
      "anyone else think the new season is better than the last",
  };
  std::string out;
  for (int i = 0; i < n; ++i) {
    json r = {{"source", "reddit"},
              {"kind", "post"},
              {"id", marker + std::to_string(i)},
              {"time", "2023-01-02T03:00Z"},
              {"text", std::string(kBodies[i % 5]) + " " + marker + " " + std::to_string(i)},
              {"fields", {{"subreddit", "AskReddit"}}}};
    out += r.dump() + "\n";
  }
  return out;
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("datadao-runner-test-" + std::to_string(std::random_device{}()));
    node::NodePaths paths{dir_ / "node"};
    node::NodeConfig cfg;
    cfg.chain_id = "test-chain";
    cfg.block_interval_ms = 5;
    ledger::Genesis g;
    g.chain_id = cfg.chain_id;
    g.timestamp = 1700000000;
    for (auto* w : {&validator_, &alice_, &bob_, &carol_, &dev_, &dave_}) {
      g.allocations.push_back({w->account(), 1000});
    }
    ASSERT_TRUE(node::init_node(paths, cfg, g).ok());
    auto n = node::Node::open(paths);
    ASSERT_TRUE(n.ok()) << n.error().message;
    node_ = std::move(n).value();
    node_->start();
    api_ = std::make_unique<node::ApiServer>(*node_);
    ASSERT_TRUE(api_->start("127.0.0.1", 0).ok());
    url_ = "http://127.0.0.1:" + std::to_string(api_->port());
    backend_ = std::make_unique<vault::HttpBackend>(url_);
    pool_ = create_pool("reddit-dao");
    a_ = contribute_attested(alice_, "zebraalice", 12);
    b_ = contribute_attested(bob_, "yakbob", 12);
    c_ = contribute_attested(carol_, "walruscarol", 12);
  }
  void TearDown() override {
    api_.reset();
    node_.reset();
    fs::remove_all(dir_);
  }

  template <class P>
  json submit(const wallet::Wallet& w, const P& payload, bool expect_included = true) {
    node::NodeClient c(url_);
    auto nonce = c.next_nonce(w.account());
    EXPECT_TRUE(nonce.ok());
    auto out = c.submit(ledger::make_tx("test-chain", w.sign, *nonce, payload), true);
    EXPECT_TRUE(out.ok()) << out.error().message;
    if (expect_included) EXPECT_EQ((*out)["status"], "included") << out->dump();
    return *out;
  }

  json get(const std::string& path) {
    node::NodeClient c(url_);
    auto j = c.get(path);
    EXPECT_TRUE(j.ok()) << path << ": " << j.error().message;
    return j.ok() ? *j : json::object();
  }

  uint64_t create_pool(const std::string& name) {
    ledger::CreatePool p;
    p.name = name;
    p.source = "reddit";
    p.validator = validator_.account();
    p.box_key = validator_.box.public_key;
    p.params.reward_per_point = 1;
    p.params.quorum_bps = 5000;
    p.params.voting_period = 3;
    submit(validator_, p);
    return get("/v1/pools/" + name)["id"].get<uint64_t>();
  }

  // Registers and contributes a (dummy) export as `w`, then attests it as the validator with a
  // refined blob of `n` records carrying `marker` (or `records_of`: another contributor's
  // records, copied). Returns the contribution id.
  uint64_t contribute_attested(const wallet::Wallet& w, const std::string& marker, int n,
                               const std::string& records_of = "") {
    auto sealed = vault::seal_bytes(crypto::as_bytes("export of " + marker), *backend_);
    EXPECT_TRUE(sealed.ok());
    ledger::RegisterFile rf;
    rf.blob_hash = sealed->first.hash;
    rf.size = sealed->first.ciphertext_size;
    rf.source = "reddit";
    rf.locator = backend_->locator(sealed->first.hash);
    submit(w, rf);
    const json files = get("/v1/files?owner=" + codec::to_hex(w.account()));
    const uint64_t file_id = files["files"].back()["id"].get<uint64_t>();
    ledger::Contribute c;
    c.pool_id = pool_;
    c.file_id = file_id;
    c.sealed_key = vault::share_key(sealed->second, validator_.box.public_key);
    c.sealed_claim = crypto::seal_to(validator_.box.public_key, crypto::as_bytes(marker));
    submit(w, c);
    const json mine = get("/v1/accounts/" + codec::to_hex(w.account()) + "/contributions");
    const uint64_t id = mine["contributions"].back()["id"].get<uint64_t>();

    auto refined = vault::seal_bytes(
        crypto::as_bytes(refined_texts(records_of.empty() ? marker : records_of, n)), *backend_);
    EXPECT_TRUE(refined.ok());
    ledger::Attest a;
    a.contribution_id = id;
    a.authentic = true;
    a.owned = true;
    a.handle_tag = crypto::blake2b256(crypto::as_bytes(marker));
    a.records_total = n;
    a.accepted = n;
    a.refined_blob_hash = refined->first.hash;
    a.refined_size = refined->first.ciphertext_size;
    a.refined_sealed_key = vault::share_key(refined->second, validator_.box.public_key);
    submit(validator_, a);
    return id;
  }

  uint64_t propose(const std::string& spec, bool personal = false,
                   const wallet::Wallet* as = nullptr, uint64_t fee = 100) {
    const wallet::Wallet& w = as != nullptr ? *as : dev_;
    ledger::ProposeModel p;
    p.pools = {pool_};
    p.personal = personal;
    p.kind = "text";
    p.purpose = "research";
    p.description = "a small post generator";
    p.fields = {"text"};
    p.spec = spec;
    p.terms.min_contributors = personal ? 1 : 2;
    p.terms.price_per_call = 5;
    p.terms.training_fee = personal ? 0 : fee;
    p.terms.consent_blocks = 5;
    p.developer_box_key = w.box.public_key;
    submit(w, p);
    const json list = get("/v1/models");
    return list["models"].back()["id"].get<uint64_t>();
  }

  // Waits (heartbeat blocks move deadlines) until the model reaches `status`.
  bool wait_status(uint64_t model, const std::string& status) {
    for (int i = 0; i < 400; ++i) {
      if (get("/v1/models/" + std::to_string(model)).value("status", "") == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }

  void vote_yes(uint64_t model) {
    for (auto* w : {&alice_, &bob_}) submit(*w, ledger::ModelVote{model, pool_, true});
  }

  void consent(const wallet::Wallet& w, uint64_t model, uint64_t contribution) {
    ledger::Consent c;
    c.model_id = model;
    c.contribution_ids = {contribution};
    c.consent = true;
    submit(w, c);
  }

  std::vector<uint64_t> training_set(uint64_t model) {
    std::vector<uint64_t> ids;
    for (const json& e : get("/v1/models/" + std::to_string(model) + "/training-set")
                             .value("training_set", json::array())) {
      ids.push_back(e.is_number() ? e.get<uint64_t>() : e["contribution_id"].get<uint64_t>());
    }
    return ids;
  }

  static constexpr const char* kTinySpec =
      "layers=1 width=16 heads=2 context=16 vocab=80 steps=6 batch=4 lr=0.01";

  wallet::Wallet validator_ = make_wallet("validator");
  wallet::Wallet alice_ = make_wallet("alice");
  wallet::Wallet bob_ = make_wallet("bob");
  wallet::Wallet carol_ = make_wallet("carol");
  wallet::Wallet dev_ = make_wallet("dev");
  wallet::Wallet dave_ = make_wallet("dave");
  fs::path dir_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ApiServer> api_;
  std::string url_;
  std::unique_ptr<vault::HttpBackend> backend_;
  uint64_t pool_ = 0;
  uint64_t a_ = 0, b_ = 0, c_ = 0;
};

TEST_F(RunnerTest, NonConsentingContributorsRecordsNeverEnterTraining) {
  const uint64_t model = propose(kTinySpec);
  vote_yes(model);
  ASSERT_TRUE(wait_status(model, "consent"));
  consent(alice_, model, a_);
  consent(bob_, model, b_);
  ASSERT_TRUE(wait_status(model, "training"));

  std::vector<std::string> trained;
  RunnerOptions o;
  o.canaries = 0;
  o.on_text_dataset = [&](uint64_t, const std::vector<std::string>& t) { trained = t; };
  auto r = Runner::open(validator_, url_, {"reddit-dao"}, *backend_, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto round = (*r)->run_once();
  ASSERT_TRUE(round.ok()) << round.error().message;
  ASSERT_EQ(round->published.size(), 1u)
      << (round->failed.empty() ? "" : round->failed[0].second.message);

  ASSERT_EQ(trained.size(), 24u);
  bool saw_alice = false, saw_bob = false;
  for (const auto& t : trained) {
    EXPECT_EQ(t.find("walruscarol"), std::string::npos) << "carol did not consent: " << t;
    saw_alice |= t.find("zebraalice") != std::string::npos;
    saw_bob |= t.find("yakbob") != std::string::npos;
  }
  EXPECT_TRUE(saw_alice);
  EXPECT_TRUE(saw_bob);
  EXPECT_EQ(training_set(model), (std::vector<uint64_t>{a_, b_}));
  const json m = get("/v1/models/" + std::to_string(model));
  EXPECT_EQ(m["status"], "published");
  EXPECT_EQ(m["training_set_size"], 2);
}

TEST_F(RunnerTest, DeveloperOpensWeightsOthersCannot) {
  const uint64_t model = propose(kTinySpec);
  vote_yes(model);
  ASSERT_TRUE(wait_status(model, "consent"));
  consent(alice_, model, a_);
  consent(bob_, model, b_);
  ASSERT_TRUE(wait_status(model, "training"));
  RunnerOptions o;
  o.canaries = 0;
  auto r = Runner::open(validator_, url_, {"reddit-dao"}, *backend_, o);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE((*r)->run_once().ok());

  const json m = get("/v1/models/" + std::to_string(model));
  ASSERT_EQ(m["status"], "published");
  auto h = codec::from_hex_fixed<32>(m["weights_hash"].get<std::string>(), "weights_hash");
  ASSERT_TRUE(h.ok());
  auto sealed = codec::from_base64(m["weights_sealed_key"].get<std::string>(), "key");
  ASSERT_TRUE(sealed.ok());
  EXPECT_FALSE(vault::receive_key(validator_.box, *sealed).ok()) << "sealed to the developer only";
  auto key = vault::receive_key(dev_.box, *sealed);
  ASSERT_TRUE(key.ok());
  auto weights = vault::open_bytes(*backend_, *h, *key);
  ASSERT_TRUE(weights.ok()) << weights.error().message;
  auto loaded = ml::TextModel::load(*weights);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  auto text = loaded->generate("what is", 8, 1.0, 7);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->rfind("what is", 0), 0u);
}

TEST_F(RunnerTest, StandingPolicyConsentsOnlyMatchingProposals) {
  // Carol consents automatically to research models without DP priced at >= 5 per call.
  ledger::SetConsentPolicy sp;
  sp.policy.enabled = true;
  sp.policy.require_dp = false;
  sp.policy.min_price_per_call = 5;
  sp.policy.purposes = {"research"};
  submit(carol_, sp);

  const uint64_t model = propose(kTinySpec);
  RunnerOptions o;
  o.canaries = 0;
  auto r = Runner::open(validator_, url_, {"reddit-dao"}, *backend_, o);
  ASSERT_TRUE(r.ok());
  auto round = (*r)->run_once();
  ASSERT_TRUE(round.ok()) << round.error().message;
  EXPECT_EQ(round->policy_consents, 1u);
  const json consents = get("/v1/models/" + std::to_string(model) + "/consents");
  ASSERT_EQ(consents["consents"].size(), 1u);
  EXPECT_EQ(consents["consents"][0]["contribution_id"], c_);
  EXPECT_EQ(consents["consents"][0]["by_policy"], true);
  // A second round applies nothing new.
  round = (*r)->run_once();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->policy_consents, 0u);

  // Raising the policy's price floor above the proposal's price: a new proposal is not matched.
  sp.policy.min_price_per_call = 6;
  submit(carol_, sp);
  const uint64_t second = propose(kTinySpec);
  round = (*r)->run_once();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->policy_consents, 0u);
  EXPECT_TRUE(get("/v1/models/" + std::to_string(second) + "/consents")["consents"].empty());
}

TEST_F(RunnerTest, PersonalModelTrainsOnItsOwnersDataAlone) {
  const uint64_t model = propose(kTinySpec, /*personal=*/true, &alice_);
  ASSERT_TRUE(wait_status(model, "consent"));
  consent(alice_, model, a_);
  ASSERT_TRUE(wait_status(model, "training"));
  std::vector<std::string> trained;
  RunnerOptions o;
  o.canaries = 0;
  o.on_text_dataset = [&](uint64_t, const std::vector<std::string>& t) { trained = t; };
  auto r = Runner::open(validator_, url_, {"reddit-dao"}, *backend_, o);
  ASSERT_TRUE(r.ok());
  auto round = (*r)->run_once();
  ASSERT_TRUE(round.ok());
  ASSERT_EQ(round->published.size(), 1u);
  ASSERT_EQ(trained.size(), 12u);
  for (const auto& t : trained) EXPECT_NE(t.find("zebraalice"), std::string::npos) << t;
  EXPECT_EQ(training_set(model), (std::vector<uint64_t>{a_}));
}

// Ownership end to end: the runner values the contributors (exact KNN-Shapley over the trained
// model's embeddings), assigns the share supply to the training set's contributors only (a
// copy of an earlier contributor's records gets nothing, even past a lax validator), seals the
// weights key to the node's serving key, and the node serves a paid call with the real engine;
// the call's price accrues to the owners exactly by their share units.
TEST_F(RunnerTest, SharesGoToContributorsByValueAndAPaidCallPaysThem) {
  // Dave's export repeats alice's records; this test's validator attests it anyway.
  const uint64_t d = contribute_attested(dave_, "daveshandle", 12, /*records_of=*/"zebraalice");
  node_->set_inference_engine(make_inference_engine(node_->serving_key(), node_->blobs()));
  const uint64_t model = propose(kTinySpec);
  vote_yes(model);
  ASSERT_TRUE(wait_status(model, "consent"));
  consent(alice_, model, a_);
  consent(bob_, model, b_);
  consent(dave_, model, d);
  ASSERT_TRUE(wait_status(model, "training"));
  RunnerOptions o;
  o.canaries = 0;
  auto r = Runner::open(validator_, url_, {"reddit-dao"}, *backend_, o);
  ASSERT_TRUE(r.ok());
  auto round = (*r)->run_once();
  ASSERT_TRUE(round.ok()) << round.error().message;
  ASSERT_EQ(round->published.size(), 1u)
      << (round->failed.empty() ? "" : round->failed[0].second.message);

  const json m = get("/v1/models/" + std::to_string(model));
  EXPECT_EQ(m["status"], "published");
  EXPECT_EQ(m["served"], true);
  EXPECT_EQ(m["server_box_key"], codec::to_hex(node_->serving_key().public_key));
  const json shares = get("/v1/models/" + std::to_string(model) + "/shares");
  std::map<std::string, uint64_t> held;
  uint64_t total = 0;
  for (const json& h : shares["holders"]) {
    held[h["account"]] = h["shares"].get<uint64_t>();
    total += h["shares"].get<uint64_t>();
  }
  EXPECT_EQ(total, ledger::kShareSupply);
  EXPECT_EQ(held.size(), 2u);
  EXPECT_GT(held[codec::to_hex(alice_.account())], 0u);
  EXPECT_GT(held[codec::to_hex(bob_.account())], 0u);
  EXPECT_EQ(held.count(codec::to_hex(dave_.account())), 0u) << "a copy earns nothing";
  EXPECT_EQ(held.count(codec::to_hex(carol_.account())), 0u) << "carol did not consent";

  // Carol calls it once through the node: real weights, real generation, paid first.
  node::NodeClient c(url_);
  const json input = {{"prompt", "what is"}, {"tokens", 6}};
  ledger::UseModel u;
  u.model_id = model;
  u.request_hash = node::request_hash(model, "generate", input, "s3cret");
  const auto tx = ledger::make_tx("test-chain", carol_.sign, *c.next_nonce(carol_.account()), u);
  const uint64_t before = get("/v1/accounts/" + codec::to_hex(carol_.account()))["credits"];
  auto out = c.post_json("/v1/models/" + std::to_string(model) + "/use",
                         {{"op", "generate"},
                          {"input", input},
                          {"salt", "s3cret"},
                          {"tx", codec::to_base64(crypto::as_bytes(ledger::encode(tx)))}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["output"]["text"].get<std::string>().rfind("what is", 0), 0u);
  EXPECT_EQ(get("/v1/accounts/" + codec::to_hex(carol_.account()))["credits"], before - 5);
  for (const json& h : get("/v1/models/" + std::to_string(model) + "/shares")["holders"]) {
    const uint64_t units = h["shares"].get<uint64_t>();
    EXPECT_EQ(h["accrued_units"], std::to_string(5 * units)) << "5 credits x share units";
  }
}

TEST_F(RunnerTest, WalletThatIsNotThePoolsValidatorCannotRun) {
  auto r = Runner::open(alice_, url_, {"reddit-dao"}, *backend_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace datadao::runner
