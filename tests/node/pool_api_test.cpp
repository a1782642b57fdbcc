// The pool routes over real HTTP: a pool is found by id or name, contributions page in id order
// with a pending filter, attestations and token balances read back as the ledger holds them,
// proposals and votes are visible, and bad paths get clear errors.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/testing/in_process_node.hpp"

namespace datadao::node {
namespace {

using nlohmann::json;

class PoolApiTest : public testkit::InProcessNode {
 protected:
  void SetUp() override {
    start_node("pool-chain", {{alice_.public_key, 10}, {val_.public_key, 10}});
  }

  // alice: a reddit pool validated by val, and `files` files contributed to it.
  void pool_with_contributions(int files) {
    ledger::CreatePool cp;
    cp.name = "reddit-dao";
    cp.source = "reddit";
    cp.validator = val_.public_key;
    cp.box_key = val_box_.public_key;
    cp.params = {1000, 5000, 3, true};
    submit(alice_, cp);
    for (int i = 0; i < files; ++i) {
      ledger::RegisterFile rf;
      rf.blob_hash = crypto::blake2b256(crypto::as_bytes(std::to_string(i)));
      rf.size = 100 + i;
      rf.source = "reddit";
      rf.locator = "node";
      submit(alice_, rf);
      ledger::Contribute c;
      c.pool_id = 1;
      c.file_id = static_cast<uint64_t>(i + 1);
      c.sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 7));
      c.sealed_claim = crypto::seal_to(val_box_.public_key, crypto::as_bytes("alice_h"));
      submit(alice_, c);
    }
  }

  ledger::Attest attest(uint64_t contribution, uint32_t accepted) {
    ledger::Attest a;
    a.contribution_id = contribution;
    a.authentic = true;
    a.owned = true;
    a.handle_tag = crypto::blake2b256(crypto::as_bytes("alice_h"));
    a.records_total = accepted + 1;
    a.exact_duplicates = 1;
    a.accepted = accepted;
    a.refined_blob_hash = crypto::blake2b256(crypto::as_bytes("refined"));
    a.refined_size = 64;
    a.refined_sealed_key = crypto::seal_to(val_box_.public_key, crypto::Bytes(32, 9));
    a.note = "1 exact duplicate";
    return a;
  }

  crypto::SigningKeyPair alice_ = crypto::SigningKeyPair::generate();
  crypto::SigningKeyPair val_ = crypto::SigningKeyPair::generate();
  crypto::BoxKeyPair val_box_ = crypto::BoxKeyPair::generate();
};

TEST_F(PoolApiTest, PoolIsFoundByIdAndByNameWithItsParameters) {
  pool_with_contributions(0);
  auto by_id = client_->pool("1");
  auto by_name = client_->pool("reddit-dao");
  ASSERT_TRUE(by_id.ok() && by_name.ok());
  EXPECT_EQ(*by_id, *by_name);
  EXPECT_EQ((*by_id)["source"], "reddit");
  EXPECT_EQ((*by_id)["validator"], codec::to_hex(val_.public_key));
  EXPECT_EQ((*by_id)["box_key"], codec::to_hex(val_box_.public_key));
  EXPECT_EQ((*by_id)["params"]["reward_per_point"], 1000);
  EXPECT_EQ((*by_id)["params"]["accepting"], true);
  auto all = client_->get("/v1/pools");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ((*all)["pools"].size(), 1u);
  EXPECT_EQ((*all)["pools"][0]["name"], "reddit-dao");
  EXPECT_EQ(client_->pool("2").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(client_->pool("no-such-pool").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(client_->pool("bad name").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PoolApiTest, ContributionsPageInIdOrderAndPendingFilterDropsAttestedOnes) {
  pool_with_contributions(5);
  submit(val_, attest(2, 4));
  auto page1 = client_->get("/v1/pools/1/contributions?limit=2");
  ASSERT_TRUE(page1.ok()) << page1.error().message;
  ASSERT_EQ((*page1)["contributions"].size(), 2u);
  EXPECT_EQ((*page1)["contributions"][0]["id"], 1);
  EXPECT_EQ((*page1)["next_after"], 2);
  auto last = client_->get("/v1/pools/1/contributions?after=4&limit=2");
  ASSERT_EQ((*last)["contributions"].size(), 1u);
  EXPECT_TRUE((*last)["next_after"].is_null());

  auto pending = client_->get("/v1/pools/1/contributions?pending=1");
  std::vector<uint64_t> ids;
  for (const auto& c : (*pending)["contributions"]) ids.push_back(c["id"].get<uint64_t>());
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 3, 4, 5}));
  // The validator finds the blob it must fetch in the contribution itself.
  const auto& first = (*pending)["contributions"][0];
  EXPECT_EQ(first["file"]["blob_hash"], codec::to_hex(crypto::blake2b256(crypto::as_bytes("0"))));
  EXPECT_EQ(codec::from_base64(first["sealed_claim"].get<std::string>(), "claim")->size(),
            std::string("alice_h").size() + crypto::kSealOverheadBytes);

  auto bad = client_->get("/v1/pools/1/contributions?limit=0");
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(client_->get("/v1/pools/1/contributions?limit=5000").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(client_->get("/v1/pools/9/contributions").error().code, ErrorCode::kNotFound);
}

TEST_F(PoolApiTest, AttestationAndTokensReadBackAsTheLedgerHoldsThem) {
  pool_with_contributions(1);
  auto before = client_->get("/v1/contributions/1");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)["attested"], false);
  EXPECT_FALSE(before->contains("attestation"));
  submit(val_, attest(1, 4));
  auto c = client_->get("/v1/contributions/1");
  ASSERT_TRUE(c.ok());
  const json& a = (*c)["attestation"];
  EXPECT_EQ(a["accepted"], 4);
  EXPECT_EQ(a["exact_duplicates"], 1);
  EXPECT_EQ(a["points"], 4);
  EXPECT_EQ(a["tokens"], 4000);
  EXPECT_EQ(a["note"], "1 exact duplicate");
  EXPECT_EQ(a["refined_blob_hash"], codec::to_hex(crypto::blake2b256(crypto::as_bytes("refined"))));
  const std::string alice = codec::to_hex(alice_.public_key);
  auto tokens = client_->get("/v1/pools/1/tokens/" + alice);
  EXPECT_EQ((*tokens)["tokens"], 4000);
  auto mine = client_->get("/v1/accounts/" + alice + "/contributions");
  ASSERT_EQ((*mine)["contributions"].size(), 1u);
  EXPECT_EQ((*mine)["contributions"][0]["attestation"]["tokens"], 4000);
  EXPECT_EQ((*client_->pool("1"))["token_supply"], 4000);
  EXPECT_EQ(client_->get("/v1/contributions/77").error().code, ErrorCode::kNotFound);
}

TEST_F(PoolApiTest, ProposalsAndVotesAreVisible) {
  pool_with_contributions(1);
  submit(val_, attest(1, 2));
  ledger::Propose p;
  p.pool_id = 1;
  p.param = ledger::PoolParam::kRewardPerPoint;
  p.value = 7;
  p.description = "cheaper";
  submit(alice_, p);
  ledger::Vote v;
  v.pool_id = 1;
  v.proposal_id = 1;
  v.approve = true;
  submit(alice_, v);
  auto list = client_->get("/v1/pools/1/proposals");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ((*list)["proposals"].size(), 1u);
  const json& prop = (*list)["proposals"][0];
  EXPECT_EQ(prop["param"], "reward_per_point");
  EXPECT_EQ(prop["value"], 7);
  EXPECT_EQ(prop["yes"], 2000);
  EXPECT_EQ(prop["status"], "open");
  EXPECT_EQ(*client_->get("/v1/pools/1/proposals/1"), prop);
  const std::string alice = codec::to_hex(alice_.public_key);
  auto vote = client_->get("/v1/pools/1/proposals/1/votes/" + alice);
  EXPECT_EQ((*vote)["voted"], true);
  EXPECT_EQ((*vote)["weight"], 2000);
  auto none = client_->get("/v1/pools/1/proposals/1/votes/" + codec::to_hex(val_.public_key));
  EXPECT_EQ((*none)["voted"], false);
  EXPECT_EQ(client_->get("/v1/pools/1/proposals/2").error().code, ErrorCode::kNotFound);
}

TEST_F(PoolApiTest, OpenProposalClosesOnAnIdleChainThroughHeartbeatBlocks) {
  pool_with_contributions(1);
  submit(val_, attest(1, 2));
  ledger::Propose p;
  p.pool_id = 1;
  p.param = ledger::PoolParam::kQuorumBps;
  p.value = 100;
  submit(alice_, p);  // voting period 3 blocks; nobody sends anything after this
  const uint64_t height_at_proposal = (*client_->get("/v1/status"))["height"].get<uint64_t>();
  json prop;
  for (int i = 0; i < 200; ++i) {
    prop = *client_->get("/v1/pools/1/proposals/1");
    if (prop["status"] != "open") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(prop["status"], "rejected");  // no votes: no quorum
  EXPECT_EQ(prop["closed_height"], prop["deadline"]);
  // Heartbeats stop once nothing is open: the chain goes quiet again.
  const uint64_t h1 = (*client_->get("/v1/status"))["height"].get<uint64_t>();
  EXPECT_GT(h1, height_at_proposal);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ((*client_->get("/v1/status"))["height"].get<uint64_t>(), h1);
}

}  // namespace
}  // namespace datadao::node
