// Pools on the ledger: CreatePool, Contribute, Attest (token minting, handle ownership), and
// that pool state persists and hashes like the rest. Governance (Propose/Vote, quorum,
// deadline) and who may contribute: tests/scenarios/pools.txt.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

#include "datadao/ledger/chain.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

class PoolTest : public ::testing::Test {
 protected:
  PoolTest()
      : s_(must(State::from_genesis(test::make_genesis(
            {{&creator_, 100}, {&validator_, 100}, {&alice_, 100}, {&bob_, 100}, {&eve_, 100}})))) {
  }

  CreatePool pool_spec(std::string name = "reddit-dao", std::string source = "reddit") {
    CreatePool p;
    p.name = std::move(name);
    p.source = std::move(source);
    p.schema_version = 1;
    p.validator = validator_.public_key;
    p.box_key = pool_box_.public_key;
    p.params = PoolParams{1000, 5000, 3, true};
    return p;
  }
  uint64_t register_file(const crypto::SigningKeyPair& owner, uint8_t tag,
                         std::string source = "reddit") {
    RegisterFile r;
    r.blob_hash.fill(tag);
    r.size = 100;
    r.source = std::move(source);
    uint64_t id = s_.next_file_id();
    EXPECT_TRUE(submit(s_, owner, r).ok());
    return id;
  }
  Contribute contribute_spec(uint64_t pool, uint64_t file) {
    Contribute c;
    c.pool_id = pool;
    c.file_id = file;
    c.sealed_key.assign(kSealedFileKeyBytes, 7);
    c.sealed_claim.assign(crypto::kSealOverheadBytes + 6, 9);
    return c;
  }
  Attest attest_spec(uint64_t contribution, uint8_t handle, uint32_t accepted) {
    Attest a;
    a.contribution_id = contribution;
    a.authentic = true;
    a.owned = true;
    a.handle_tag.fill(handle);
    a.records_total = accepted + 3;
    a.exact_duplicates = 1;
    a.near_duplicates = 1;
    a.low_quality = 1;
    a.accepted = accepted;
    a.refined_blob_hash.fill(0xab);
    a.refined_size = 42;
    a.refined_sealed_key.assign(kSealedFileKeyBytes, 5);
    a.note = "ok";
    return a;
  }
  // Creates pool 1, contributes a file of `who`, attests it with `accepted` points.
  uint64_t contribute_and_attest(const crypto::SigningKeyPair& who, uint8_t file_tag,
                                 uint8_t handle, uint32_t accepted) {
    uint64_t file = register_file(who, file_tag);
    EXPECT_TRUE(submit(s_, who, contribute_spec(1, file)).ok());
    uint64_t cid = s_.contributions_by(who.public_key).back().id;
    Status st = submit(s_, validator_, attest_spec(cid, handle, accepted));
    EXPECT_TRUE(st.ok()) << err(st);
    return cid;
  }
  void end_block(uint64_t height) {
    s_.end_block(BlockContext{height, 1'700'000'100 + height});
    s_.commit_block();
  }

  crypto::SigningKeyPair creator_ = key_for(10);
  crypto::SigningKeyPair validator_ = key_for(11);
  crypto::SigningKeyPair alice_ = key_for(12);
  crypto::SigningKeyPair bob_ = key_for(13);
  crypto::SigningKeyPair eve_ = key_for(14);
  crypto::BoxKeyPair pool_box_ = crypto::BoxKeyPair::generate();
  State s_;
};

TEST_F(PoolTest, CreatePoolAssignsIdsAndRejectsTakenNamesAndBadParams) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  ASSERT_TRUE(submit(s_, creator_, pool_spec("x-dao", "x")).ok());
  auto p = s_.pool(1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "reddit-dao");
  EXPECT_EQ(p->creator, creator_.public_key);
  EXPECT_EQ(p->validator, validator_.public_key);
  EXPECT_EQ(p->params.reward_per_point, 1000u);
  EXPECT_EQ(s_.pool_by_name("x-dao")->id, 2u);
  EXPECT_EQ(s_.pools().size(), 2u);

  Status taken = submit(s_, eve_, pool_spec());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists) << err(taken);
  CreatePool bad = pool_spec("other");
  bad.params.quorum_bps = 10'001;
  Status st = submit(s_, creator_, bad);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("quorum_bps"), std::string::npos) << err(st);
  bad = pool_spec("other");
  bad.params.voting_period = 0;
  EXPECT_NE(err(submit(s_, creator_, bad)).find("voting_period"), std::string::npos);
  for (const char* name : {"bad\nname", "with space", "a/b", "12345", ""}) {
    bad = pool_spec(name);
    EXPECT_NE(err(submit(s_, creator_, bad)).find("name"), std::string::npos) << name;
  }
  EXPECT_TRUE(submit(s_, creator_, pool_spec("pool.v2_2024-x")).ok());
  bad = pool_spec("other", "Reddit!");
  EXPECT_NE(err(submit(s_, creator_, bad)).find("source"), std::string::npos);
  EXPECT_EQ(s_.pools().size(), 3u);
}

TEST_F(PoolTest, ContributeNeedsOwnerMatchingSourceOpenPoolAndOnlyOnce) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  uint64_t alices = register_file(alice_, 1);
  uint64_t spotify = register_file(alice_, 2, "spotify");

  Status st = submit(s_, eve_, contribute_spec(1, alices));
  EXPECT_EQ(st.error().code, ErrorCode::kPermissionDenied) << err(st);
  st = submit(s_, alice_, contribute_spec(1, spotify));
  EXPECT_NE(err(st).find("source is 'spotify'"), std::string::npos) << err(st);
  st = submit(s_, alice_, contribute_spec(9, alices));
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
  Contribute empty_claim = contribute_spec(1, alices);
  empty_claim.sealed_claim.resize(crypto::kSealOverheadBytes);
  EXPECT_NE(err(submit(s_, alice_, empty_claim)).find("sealed claim"), std::string::npos);

  ASSERT_TRUE(submit(s_, alice_, contribute_spec(1, alices)).ok());
  st = submit(s_, alice_, contribute_spec(1, alices));
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists) << err(st);

  auto pending = s_.pool_contributions(1, 0, 10, true);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].contributor, alice_.public_key);
  EXPECT_EQ(pending[0].file_id, alices);
  EXPECT_FALSE(pending[0].attested);
  EXPECT_EQ(s_.pool(1)->contributions, 1u);
}

TEST_F(PoolTest, OnlyThePoolValidatorCanAttest) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  uint64_t file = register_file(alice_, 1);
  ASSERT_TRUE(submit(s_, alice_, contribute_spec(1, file)).ok());
  const Hash32 before = (s_.commit_block(), s_.state_hash());
  // The contributor, the pool creator and a stranger may not append a proof.
  for (const auto* k : {&alice_, &creator_, &eve_}) {
    Status st = submit(s_, *k, attest_spec(1, 1, 10));
    EXPECT_EQ(st.error().code, ErrorCode::kPermissionDenied) << err(st);
  }
  s_.commit_block();
  EXPECT_EQ(s_.state_hash(), before);  // rejected attestations leave no trace
  EXPECT_EQ(s_.pool_tokens(1, alice_.public_key), 0u);
  EXPECT_FALSE(s_.contribution(1)->attested);
}

TEST_F(PoolTest, AttestationMintsAcceptedTimesRewardToTheContributor) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  contribute_and_attest(alice_, 1, 1, 37);
  auto c = s_.contribution(1);
  ASSERT_TRUE(c && c->attested);
  EXPECT_EQ(c->attestation.points, 37u);
  EXPECT_EQ(c->attestation.tokens, 37'000u);
  EXPECT_EQ(s_.pool_tokens(1, alice_.public_key), 37'000u);
  EXPECT_EQ(s_.pool(1)->token_supply, 37'000u);
  EXPECT_TRUE(s_.pool_contributions(1, 0, 10, true).empty());  // no longer pending
  EXPECT_EQ(s_.pool_contributions(1, 0, 10, false).size(), 1u);
  Status again = submit(s_, validator_, attest_spec(1, 1, 37));
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << err(again);
  EXPECT_EQ(s_.pool(1)->token_supply, 37'000u);
}

TEST_F(PoolTest, InauthenticOrUnownedOrDuplicateContributionsEarnNothing) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  uint64_t f1 = register_file(alice_, 1);
  uint64_t f2 = register_file(alice_, 2);
  uint64_t f3 = register_file(alice_, 3);
  for (uint64_t f : {f1, f2, f3}) ASSERT_TRUE(submit(s_, alice_, contribute_spec(1, f)).ok());
  Attest fake = attest_spec(1, 1, 10);
  fake.authentic = false;
  ASSERT_TRUE(submit(s_, validator_, fake).ok());
  Attest unowned = attest_spec(2, 1, 10);
  unowned.owned = false;
  ASSERT_TRUE(submit(s_, validator_, unowned).ok());
  Attest all_dup = attest_spec(3, 1, 0);  // a re-upload: every record a duplicate
  all_dup.exact_duplicates = 5;
  all_dup.records_total = 7;
  ASSERT_TRUE(submit(s_, validator_, all_dup).ok());
  for (uint64_t id : {1, 2, 3}) {
    EXPECT_EQ(s_.contribution(id)->attestation.points, 0u) << id;
    EXPECT_EQ(s_.contribution(id)->attestation.tokens, 0u) << id;
  }
  EXPECT_EQ(s_.pool_tokens(1, alice_.public_key), 0u);
  EXPECT_EQ(s_.pool(1)->token_supply, 0u);
}

TEST_F(PoolTest, AHandleBelongsToTheFirstWalletAttestedOwningIt) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  contribute_and_attest(alice_, 1, /*handle=*/7, 10);
  // Eve uploads an export of the same account (same handle tag): recorded, but not owned.
  uint64_t eves = contribute_and_attest(eve_, 2, 7, 10);
  auto c = s_.contribution(eves);
  EXPECT_FALSE(c->attestation.owned);
  EXPECT_TRUE(c->attestation.handle_conflict);
  EXPECT_EQ(c->attestation.points, 0u);
  EXPECT_EQ(s_.pool_tokens(1, eve_.public_key), 0u);
  EXPECT_EQ(s_.handle_owner(1, Hash32{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                      7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}),
            alice_.public_key);
  // Alice's second export of her own account still counts.
  uint64_t again = contribute_and_attest(alice_, 3, 7, 4);
  EXPECT_TRUE(s_.contribution(again)->attestation.owned);
  EXPECT_EQ(s_.pool_tokens(1, alice_.public_key), 14'000u);
}

TEST_F(PoolTest, AttestationPartsMustAddUpAndScoringNeedsARefinedBlob) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  uint64_t file = register_file(alice_, 1);
  ASSERT_TRUE(submit(s_, alice_, contribute_spec(1, file)).ok());
  Attest too_many = attest_spec(1, 1, 10);
  too_many.records_total = 12;  // 1 + 1 + 1 + 10 = 13 > 12
  EXPECT_NE(err(submit(s_, validator_, too_many)).find("exceeds the 12 records"),
            std::string::npos);
  Attest no_blob = attest_spec(1, 1, 10);
  no_blob.refined_size = 0;
  EXPECT_NE(err(submit(s_, validator_, no_blob)).find("refined blob"), std::string::npos);
  Attest no_tag = attest_spec(1, 0, 10);
  EXPECT_NE(err(submit(s_, validator_, no_tag)).find("handle tag"), std::string::npos);
  EXPECT_FALSE(s_.contribution(1)->attested);
}

TEST_F(PoolTest, PoolStateRoundTripsThroughEntriesWithTheSameHash) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  contribute_and_attest(alice_, 1, 1, 10);
  contribute_and_attest(eve_, 2, 1, 10);  // handle conflict
  ASSERT_TRUE(submit(s_, alice_, Propose{1, PoolParam::kVotingPeriod, 9, "slower"}, {5, 1}).ok());
  ASSERT_TRUE(submit(s_, alice_, Vote{1, 1, true}, {5, 1}).ok());
  uint64_t pending = register_file(bob_, 3);
  ASSERT_TRUE(submit(s_, bob_, contribute_spec(1, pending)).ok());
  s_.commit_block();
  State copy = must(State::from_entries(test::kChain, s_.entries()));
  EXPECT_EQ(copy.state_hash(), s_.state_hash());
  EXPECT_EQ(copy.pool(1), s_.pool(1));
  EXPECT_EQ(copy.contribution(2), s_.contribution(2));
  EXPECT_EQ(copy.proposal(1, 1), s_.proposal(1, 1));
  EXPECT_EQ(copy.pool_contributions(1, 0, 10, true).size(), 1u);
  // A corrupted pool entry is refused on load.
  auto entries = s_.entries();
  for (auto& e : entries) {
    if (e.key[0] == 0x10) e.value->pop_back();
  }
  auto bad = State::from_entries(test::kChain, entries);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
}

TEST_F(PoolTest, ContributionListsPageInIdOrder) {
  ASSERT_TRUE(submit(s_, creator_, pool_spec()).ok());
  for (uint8_t i = 1; i <= 5; ++i) {
    uint64_t f = register_file(alice_, i);
    ASSERT_TRUE(submit(s_, alice_, contribute_spec(1, f)).ok());
  }
  auto first = s_.pool_contributions(1, 0, 2, false);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, 1u);
  EXPECT_EQ(first[1].id, 2u);
  auto next = s_.pool_contributions(1, first.back().id, 10, true);
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(next[0].id, 3u);
  EXPECT_EQ(s_.contributions_by(alice_.public_key).size(), 5u);
}

// Proposals are tallied by the chain at the end of the deadline's block, and a node replaying
// the blocks reaches the same state hash.
TEST(PoolChainTest, ChainTalliesAtTheDeadlineAndReplaysToTheSameHash) {
  auto dir =
      std::filesystem::temp_directory_path() / ("datadao_pool_chain_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto op = key_for(1), creator = key_for(2), val = key_for(3), alice = key_for(4);
  Genesis g = test::make_genesis({{&creator, 10}, {&val, 10}, {&alice, 10}});
  auto a = Chain::create(dir / "a.db", g, op);
  auto b = Chain::create(dir / "b.db", g, op);
  ASSERT_TRUE(a.ok() && b.ok());
  auto blocks =
      test::scored_contribution_blocks(g.chain_id, creator, val, alice, PoolParams{5, 1, 2, true});
  blocks.push_back(
      {make_tx(g.chain_id, alice, 3, Propose{1, PoolParam::kRewardPerPoint, 7, ""})});  // h4
  blocks.push_back({make_tx(g.chain_id, alice, 4, Vote{1, 1, true})});
  blocks.push_back(
      {make_tx(g.chain_id, creator, 2, Transfer{alice.public_key, 1})});  // h6 = deadline
  test::produce_and_replay(**a, **b, blocks, op, g.timestamp);
  if (HasFatalFailure()) return;
  const State& s = (*a)->state();
  EXPECT_EQ(s.proposal(1, 1)->status, ProposalStatus::kPassed);
  EXPECT_EQ(s.pool(1)->params.reward_per_point, 7u);
  EXPECT_EQ(s.pool_tokens(1, alice.public_key), 20u);
  EXPECT_EQ((*a)->head().header.state_hash, (*b)->head().header.state_hash);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace datadao::ledger
