// The ownership and rewards routes over real HTTP on an in-process node: a model's share holders
// (paged by account), its rewards, and an account's holdings read back as the ledger holds them
// after shares are assigned, the model is published and used; unknown models are 404 and
// malformed accounts 400.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/testing/api.hpp"
#include "datadao/testing/in_process_node.hpp"

namespace datadao::node {
namespace {

using nlohmann::json;

class ShareApiTest : public testkit::InProcessNode {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start_node("share-chain", {{alice_.public_key, 10},
                                                       {bob_.public_key, 10},
                                                       {val_.public_key, 10},
                                                       {dev_.public_key, 1000}}));
  }

  // Pool 1 (validated and run by val), alice and bob each with a scored contribution, and model 1
  // trained on both, assigned 600M / 400M shares, published at price 2 and used 3 times by dev.
  void publish_and_use() {
    ledger::CreatePool cp;
    cp.name = "reddit-dao";
    cp.source = "reddit";
    cp.validator = val_.public_key;
    cp.box_key = val_box_.public_key;
    cp.params = {1000, 5000, 60, true};
    submit(alice_, cp);
    const uint64_t a = scored(alice_, 1);
    const uint64_t b = scored(bob_, 2);
    ledger::ProposeModel p;
    p.pools = {1};
    p.kind = "text";
    p.purpose = "research";
    p.terms.min_contributors = 1;
    p.terms.price_per_call = 2;
    p.terms.consent_blocks = 60;
    p.developer_box_key = dev_box_.public_key;
    submit(dev_, p);
    submit(alice_, ledger::ModelVote{1, 1, true});
    submit(bob_, ledger::ModelVote{1, 1, true});
    // Consent may be given while the model is still voting.
    submit(alice_, ledger::Consent{1, {a}, true});
    submit(bob_, ledger::Consent{1, {b}, true});
    ASSERT_EQ(wait_for_status(1, "training")["status"], "training");
    submit(val_, ledger::RecordTrainingSet{1, {a, b}});
    submit(val_, ledger::AssignShares{
                     1, {{alice_.public_key, 600'000'000}, {bob_.public_key, 400'000'000}}});
    ledger::PublishModel pub;
    pub.model_id = 1;
    pub.weights_hash.fill(7);
    pub.weights_size = 10;
    pub.weights_sealed_key = crypto::seal_to(dev_box_.public_key, crypto::Bytes(32, 1));
    pub.training_set_size = 2;
    submit(val_, pub);
    for (uint8_t i = 0; i < 3; ++i) submit(dev_, ledger::UseModel{1, crypto::Hash32{i}});
  }

  uint64_t scored(const crypto::SigningKeyPair& who, uint8_t tag) {
    ledger::RegisterFile rf;
    rf.blob_hash.fill(tag);
    rf.size = 100;
    rf.source = "reddit";
    submit(who, rf);
    ledger::Contribute c{1, tag, crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 7)),
                         crypto::seal_to(val_box_.public_key, crypto::as_bytes("handle"))};
    submit(who, c);
    ledger::Attest at;
    at.contribution_id = tag;  // one file and one contribution each, in this order
    at.authentic = at.owned = true;
    at.handle_tag.fill(tag);
    at.records_total = at.accepted = 3;
    at.refined_blob_hash.fill(9);
    at.refined_size = 64;
    at.refined_sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 9));
    submit(val_, at);
    return tag;
  }

  json get(const std::string& path) { return testkit::get_ok(*client_, path); }
  ErrorCode get_error(const std::string& path) { return testkit::get_error(*client_, path); }
  json wait_for_status(uint64_t model, const std::string& status) {
    json m;
    for (int i = 0; i < 800; ++i) {
      m = get("/v1/models/" + std::to_string(model));
      if (m["status"] == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return m;
  }

  crypto::SigningKeyPair alice_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair bob_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair val_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair dev_ = crypto::SigningKeyPair::generate();
  crypto::BoxKeyPair val_box_ = crypto::BoxKeyPair::generate();
  crypto::BoxKeyPair dev_box_ = crypto::BoxKeyPair::generate();
};

TEST_F(ShareApiTest, SharesAndRewardsReadBackAndHoldersPageByAccount) {
  ASSERT_NO_FATAL_FAILURE(publish_and_use());
  json r = get("/v1/models/1/rewards");
  EXPECT_EQ(r["model_id"], 1);
  EXPECT_EQ(r["price_per_call"], 2);
  EXPECT_EQ(r["uses"], 3);
  EXPECT_EQ(r["rewards_paid"], 6);
  EXPECT_EQ(r["rewards_claimed"], 0);
  EXPECT_EQ(r["escrow"], 6);
  EXPECT_EQ(r["reward_per_share"], "6");
  EXPECT_EQ(r["reward_remainder"], "0");
  EXPECT_EQ(r["share_holders"], 2);
  EXPECT_EQ(r["shares_assigned"], 1'000'000'000);

  // Two pages of one holder each, in account-key order.
  const bool alice_first = alice_.public_key < bob_.public_key;
  const auto& first = alice_first ? alice_ : bob_;
  json p1 = get("/v1/models/1/shares?limit=1");
  EXPECT_EQ(p1["model_id"], 1);
  EXPECT_EQ(p1["supply"], 1'000'000'000);
  ASSERT_EQ(p1["holders"].size(), 1u);
  EXPECT_EQ(p1["holders"][0]["account"], codec::to_hex(first.public_key));
  EXPECT_EQ(p1["next_after"], codec::to_hex(first.public_key));
  json p2 = get("/v1/models/1/shares?limit=1&after=" + p1["next_after"].get<std::string>());
  ASSERT_EQ(p2["holders"].size(), 1u);
  EXPECT_TRUE(p2["next_after"].is_null());
  json all = get("/v1/models/1/shares");
  ASSERT_EQ(all["holders"].size(), 2u);
  for (const json& h : all["holders"]) {
    const bool is_alice = h["account"] == codec::to_hex(alice_.public_key);
    EXPECT_EQ(h["shares"], is_alice ? 600'000'000 : 400'000'000);
    // 6 reward units per share unit so far.
    EXPECT_EQ(h["accrued_units"], is_alice ? "3600000000" : "2400000000");
    EXPECT_EQ(h["claimable_credits"], is_alice ? 3 : 2);
  }
}

TEST_F(ShareApiTest, HoldingsListPoolTokensAndModelsHeld) {
  ASSERT_NO_FATAL_FAILURE(publish_and_use());
  submit(bob_, ledger::Claim{1});
  json h = get("/v1/accounts/" + codec::to_hex(bob_.public_key) + "/holdings");
  EXPECT_EQ(h["account"], codec::to_hex(bob_.public_key));
  EXPECT_EQ(h["credits"], 12);  // 10 at genesis + 2 claimed
  ASSERT_EQ(h["pool_tokens"].size(), 1u);
  EXPECT_EQ(h["pool_tokens"][0]["pool_id"], 1);
  EXPECT_EQ(h["pool_tokens"][0]["pool"], "reddit-dao");
  EXPECT_GT(h["pool_tokens"][0]["tokens"].get<uint64_t>(), 0u);
  ASSERT_EQ(h["models"].size(), 1u);
  EXPECT_EQ(h["models"][0]["model_id"], 1);
  EXPECT_EQ(h["models"][0]["kind"], "text");
  EXPECT_EQ(h["models"][0]["shares"], 400'000'000);
  EXPECT_EQ(h["models"][0]["accrued_units"], "400000000");
  EXPECT_EQ(h["models"][0]["claimable_credits"], 0);
  json r = get("/v1/models/1/rewards");
  EXPECT_EQ(r["rewards_claimed"], 2);
  EXPECT_EQ(r["escrow"], 4);
  // The developer holds nothing; an account the chain never saw has nothing at all.
  json d = get("/v1/accounts/" + codec::to_hex(dev_.public_key) + "/holdings");
  EXPECT_TRUE(d["pool_tokens"].empty());
  EXPECT_TRUE(d["models"].empty());
  json nobody = get("/v1/accounts/" + std::string(64, 'a') + "/holdings");
  EXPECT_EQ(nobody["credits"], 0);
  EXPECT_TRUE(nobody["models"].empty());
}

TEST_F(ShareApiTest, UnknownModelIs404AndMalformedInputIs400) {
  EXPECT_EQ(get_error("/v1/models/99/shares"), ErrorCode::kNotFound);
  EXPECT_EQ(get_error("/v1/models/99/rewards"), ErrorCode::kNotFound);
  EXPECT_EQ(get_error("/v1/accounts/zz/holdings"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/accounts/" + std::string(63, 'a') + "/holdings"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/models/1/shares?after=xyz"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/models/1/shares?limit=0"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_error("/v1/models/1/shares?limit=1001"), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::node
