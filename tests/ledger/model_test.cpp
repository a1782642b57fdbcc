// Models on the ledger: ProposeModel (fee escrow), ModelVote (every pool's quorum), the
// block-end transitions (approval, rejection, too few contributors), RecordTrainingSet (only
// consented data, cross-pool joins), PublishModel (runner, ε budget, fee payout), conservation
// of credits + escrow on every path, persistence and replay.
// Votes that fail, consent and its window: tests/scenarios/models.txt; standing policies:
// model_consent_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <filesystem>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/testing/ledger.hpp"

#include "model_fixture.hpp"

namespace datadao::ledger::model_test {
namespace {

TEST_F(ModelTest, LifeCycleFromProposalToPublicationPaysTheFeeToTheRunner) {
  const uint64_t a = contribute(alice_, 1, 60);  // 60k tokens
  const uint64_t b = contribute(bob_, 1, 40);    // 40k
  const uint64_t c = contribute(carol_, 1, 10);  // 10k, never consents
  const uint64_t id = propose(model_spec());
  auto m = s_.model(id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, ModelStatus::kVoting);
  EXPECT_EQ(m->vote_deadline, 13u);  // voting_period 3
  EXPECT_EQ(m->supply_at_creation, std::vector<uint64_t>{110'000});
  EXPECT_EQ(credits(dev_), kCredits - kFee);  // escrowed
  EXPECT_EQ(credits_plus_escrow(), supply());
  EXPECT_EQ(s_.models_of_pool(1, 0, 10).size(), 1u);
  EXPECT_EQ(s_.next_model_deadline(), 13u);

  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  ASSERT_OK(submit(s_, bob_, ModelVote{id, 1, false}, at(11)));
  EXPECT_EQ(submit(s_, alice_, ModelVote{id, 1, true}, at(11)).error().code,
            ErrorCode::kAlreadyExists);
  ASSERT_OK(consent(alice_, id, {a}, 12));  // consent may come during the vote
  end_block(12);
  EXPECT_EQ(s_.model(id)->status, ModelStatus::kVoting);
  end_block(13);
  m = s_.model(id);
  EXPECT_EQ(m->status, ModelStatus::kConsent);
  EXPECT_EQ(m->yes, std::vector<uint64_t>{60'000});
  EXPECT_EQ(m->no, std::vector<uint64_t>{40'000});
  EXPECT_EQ(m->consent_deadline, 18u);
  EXPECT_EQ(s_.next_model_deadline(), 18u);

  ASSERT_OK(consent(bob_, id, {b}, 15));
  EXPECT_EQ(s_.model(id)->consenting_contributors, 2u);
  EXPECT_EQ(s_.model_consents(id, 0, 10), (std::vector<uint64_t>{a, b}));
  EXPECT_FALSE(s_.consent(id, c));
  // Nobody else may consent for Carol.
  EXPECT_EQ(consent(alice_, id, {c}, 15).error().code, ErrorCode::kPermissionDenied);
  end_block(18);
  m = s_.model(id);
  EXPECT_EQ(m->status, ModelStatus::kTraining);
  EXPECT_FALSE(s_.next_model_deadline());
  Status frozen = consent(bob_, id, {b}, 19, false);
  EXPECT_TRUE(has(frozen, "consent is frozen: training started at height 18")) << err(frozen);

  // Only the runner (validator of pools[0]) lists and publishes.
  EXPECT_EQ(submit(s_, dev_, RecordTrainingSet{id, {a, b}}, at(19)).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {a}}, at(19)));
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {b}}, at(19)));
  EXPECT_EQ(s_.model_training_set(id, 0, 10), (std::vector<uint64_t>{a, b}));
  const uint64_t runner_before = credits(validator_);
  ASSERT_OK(
      submit(s_, validator_,
             AssignShares{id, {{alice_.public_key, 600'000'000}, {bob_.public_key, 400'000'000}}},
             at(20)));
  ASSERT_OK(submit(s_, validator_, publish_spec(id, 2), at(20)));
  m = s_.model(id);
  EXPECT_EQ(m->status, ModelStatus::kPublished);
  EXPECT_EQ(m->training_set_size, 2u);
  EXPECT_EQ(m->epsilon_spent_milli, 2900u);
  EXPECT_EQ(m->metrics.size(), 2u);
  EXPECT_EQ(m->closed_height, 20u);
  EXPECT_EQ(credits(validator_), runner_before + kFee);
  EXPECT_EQ(credits(dev_), kCredits - kFee);
  EXPECT_EQ(credits_plus_escrow(), supply());
  EXPECT_EQ(submit(s_, validator_, publish_spec(id, 2), at(21)).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(ModelTest, PersonalModelSkipsTheVoteAndTakesOnlyItsProposersConsent) {
  const uint64_t mine = contribute(alice_, 1, 20);
  const uint64_t bobs = contribute(bob_, 1, 20);
  ProposeModel spec = model_spec();
  spec.personal = true;
  spec.terms.min_contributors = 1;
  // Only someone with a scoring contribution in the pool may propose one.
  EXPECT_EQ(submit(s_, eve_, spec, at(10)).error().code, ErrorCode::kFailedPrecondition);
  spec.terms.min_contributors = 2;
  EXPECT_TRUE(has(submit(s_, alice_, spec, at(10)), "min_contributors 2"));
  spec.terms.min_contributors = 1;
  const uint64_t id = propose(spec, 10, &alice_);
  auto m = s_.model(id);
  EXPECT_EQ(m->status, ModelStatus::kConsent);
  EXPECT_EQ(m->vote_deadline, 0u);
  EXPECT_EQ(m->consent_deadline, 15u);
  EXPECT_EQ(credits(alice_), kCredits - kFee);
  EXPECT_TRUE(has(submit(s_, alice_, ModelVote{id, 1, true}, at(11)), "personal"));
  Status other = consent(bob_, id, {bobs}, 11);
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied) << err(other);
  ASSERT_OK(consent(alice_, id, {mine}, 11));
  end_block(15);
  EXPECT_EQ(s_.model(id)->status, ModelStatus::kTraining);
  EXPECT_EQ(submit(s_, validator_, RecordTrainingSet{id, {bobs}}, at(16)).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {mine}}, at(16)));
  ASSERT_OK(submit(s_, validator_, publish_spec(id, 1), at(16)));
  EXPECT_EQ(s_.model(id)->status, ModelStatus::kPublished);
  EXPECT_EQ(s_.share_holding(id, alice_.public_key)->shares, kShareSupply);
  EXPECT_EQ(credits_plus_escrow(), supply());
}

TEST_F(ModelTest, CrossPoolModelCountsOnlyContributorsWhoConsentedInEveryPool) {
  const uint64_t alice_r = contribute(alice_, 1, 50);
  const uint64_t alice_o = contribute(alice_, 2, 50);
  const uint64_t bob_r = contribute(bob_, 1, 50);
  const uint64_t bob_o = contribute(bob_, 2, 50);
  const uint64_t carol_r = contribute(carol_, 1, 10);
  ProposeModel spec = model_spec({1, 2});
  spec.terms.min_contributors = 1;
  const uint64_t id = propose(spec);
  EXPECT_EQ(s_.models_of_pool(2, 0, 10).size(), 1u);
  // Both pools must approve.
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  ASSERT_OK(submit(s_, bob_, ModelVote{id, 1, true}, at(11)));
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 2, true}, at(11)));
  EXPECT_TRUE(has(submit(s_, carol_, ModelVote{id, 2, true}, at(11)), "holds no tokens"));
  end_block(13);
  ASSERT_EQ(s_.model(id)->status, ModelStatus::kConsent);

  ASSERT_OK(consent(alice_, id, {alice_r, alice_o}, 14));
  ASSERT_OK(consent(bob_, id, {bob_r}, 14));  // bob consents in one pool only
  ASSERT_OK(consent(carol_, id, {carol_r}, 14));
  auto m = s_.model(id);
  EXPECT_EQ(m->consents, 4u);
  EXPECT_EQ(m->consenting_contributors, 1u);
  // Revoking Alice's Oura consent drops her; giving it back restores her.
  ASSERT_OK(consent(alice_, id, {alice_o}, 15, false));
  EXPECT_EQ(s_.model(id)->consenting_contributors, 0u);
  EXPECT_TRUE(s_.consent_denied(id, alice_o));
  ASSERT_OK(consent(alice_, id, {alice_o}, 15));
  EXPECT_FALSE(s_.consent_denied(id, alice_o));
  EXPECT_EQ(s_.model(id)->consenting_contributors, 1u);
  end_block(18);
  ASSERT_EQ(s_.model(id)->status, ModelStatus::kTraining);

  Status half = submit(s_, validator_, RecordTrainingSet{id, {bob_r}}, at(19));
  EXPECT_TRUE(has(half, "consented in 1 of the model's 2 pools")) << err(half);
  EXPECT_EQ(submit(s_, validator_, RecordTrainingSet{id, {bob_o}}, at(19)).error().code,
            ErrorCode::kPermissionDenied);
  // The runner is pools[0]'s validator, not the second pool's.
  EXPECT_EQ(submit(s_, validator2_, RecordTrainingSet{id, {alice_r}}, at(19)).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {alice_r, alice_o}}, at(19)));
  EXPECT_EQ(s_.model_training_set(id, 0, 10), (std::vector<uint64_t>{alice_r, alice_o}));
}

TEST_F(ModelTest, PublishNeedsTheRunnerTheListedCountAndEpsilonWithinBudget) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t b = contribute(bob_, 1, 50);
  const uint64_t id = propose(model_spec());
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  EXPECT_EQ(submit(s_, validator_, publish_spec(id, 0), at(12)).error().code,
            ErrorCode::kFailedPrecondition);  // still voting
  end_block(13);
  ASSERT_OK(consent(alice_, id, {a}, 14));
  ASSERT_OK(consent(bob_, id, {b}, 14));
  end_block(18);
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {a, b}}, at(19)));
  ASSERT_OK(
      submit(s_, validator_,
             AssignShares{
                 id, {{alice_.public_key, kShareSupply / 2}, {bob_.public_key, kShareSupply / 2}}},
             at(19)));
  EXPECT_EQ(submit(s_, dev_, publish_spec(id, 2), at(19)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(submit(s_, validator2_, publish_spec(id, 2), at(19)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(has(submit(s_, validator_, publish_spec(id, 3), at(19)),
                  "training_set_size 3 must equal the 2 contributions listed"));
  PublishModel over = publish_spec(id, 2);
  over.epsilon_spent_milli = 3001;
  EXPECT_TRUE(has(submit(s_, validator_, over, at(19)), "epsilon_spent_milli 3001"));
  over.epsilon_spent_milli = 0;
  EXPECT_TRUE(has(submit(s_, validator_, over, at(19)), "epsilon_spent_milli 0"));
  PublishModel no_key = publish_spec(id, 2);
  no_key.weights_sealed_key.resize(10);
  EXPECT_TRUE(has(submit(s_, validator_, no_key, at(19)), "weights_sealed_key"));
  PublishModel exact = publish_spec(id, 2);
  exact.epsilon_spent_milli = 3000;
  ASSERT_OK(submit(s_, validator_, exact, at(19)));
  EXPECT_EQ(credits_plus_escrow(), supply());
}

TEST_F(ModelTest, ProposalRulesNameTheFieldAndValue) {
  auto rejects = [&](ProposeModel p, std::string_view text) {
    Status st = submit(s_, dev_, p, at(10));
    EXPECT_TRUE(has(st, text)) << text << " / " << err(st);
  };
  ProposeModel p = model_spec();
  p.terms.training_fee = kCredits + 1;
  rejects(p, "training_fee 1001 exceeds the 1000 credits");
  p = model_spec({1, 9});
  rejects(p, "pool 9 not found");
  p = model_spec();
  p.kind = "Text!";
  rejects(p, "kind 'Text!'");
  p = model_spec();
  p.fields = {"body", "a b"};
  rejects(p, "field 'a b'");
  p = model_spec();
  p.terms.consent_blocks = 0;
  rejects(p, "consent_blocks 0 is outside 1..1000000");
  p = model_spec();
  p.terms.delta_e12 = kDeltaScale;
  rejects(p, "delta_e12 1000000000000 is outside");
  p = model_spec();
  p.terms.epsilon_milli = 0;
  rejects(p, "epsilon_milli 0 must be > 0");
  p = model_spec();
  p.terms.dp_required = false;
  rejects(p, "must be 0 without dp_required");
  p = model_spec();
  p.terms.min_contributors = 0;
  rejects(p, "min_contributors 0");
  p = model_spec();
  p.developer_box_key = {};
  rejects(p, "developer_box_key is zero");
  EXPECT_TRUE(s_.models(0, 10).empty());
  EXPECT_EQ(credits(dev_), kCredits);
}

TEST_F(ModelTest, ModelStateRoundTripsThroughEntriesWithTheSameHash) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t a2 = contribute(alice_, 2, 50);
  const uint64_t b = contribute(bob_, 1, 50);
  const uint64_t id = propose(model_spec({1, 2}));
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  ASSERT_OK(consent(alice_, id, {a, a2}, 11));
  ASSERT_OK(consent(bob_, id, {b}, 11, false));
  ConsentPolicy p;
  p.enabled = true;
  p.purposes = {"research"};
  p.join_pools = {1, 2};
  ASSERT_OK(submit(s_, carol_, SetConsentPolicy{p}, at(11)));
  s_.commit_block();
  State copy = must(State::from_entries(test::kChain, s_.entries()));
  EXPECT_EQ(copy.state_hash(), s_.state_hash());
  EXPECT_EQ(copy.model(id), s_.model(id));
  EXPECT_EQ(copy.model_consents(id, 0, 10), (std::vector<uint64_t>{a, a2}));
  EXPECT_TRUE(copy.consent_denied(id, b));
  EXPECT_EQ(copy.consent_policy(carol_.public_key), s_.consent_policy(carol_.public_key));
  EXPECT_EQ(copy.next_model_deadline(), 13u);
  // A truncated model record, or a consent count of 0, is refused on load.
  for (uint8_t tag : {uint8_t{0x20}, uint8_t{0x24}}) {
    auto entries = s_.entries();
    for (auto& e : entries) {
      if (e.key[0] == tag)
        e.value = tag == 0x20 ? Bytes(e.value->begin(), e.value->end() - 1) : Bytes(8, 0);
    }
    auto bad = State::from_entries(test::kChain, entries);
    ASSERT_FALSE(bad.ok()) << int(tag);
    EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
  }
}

TEST_F(ModelTest, ListsPageInIdOrder) {
  for (uint8_t i = 0; i < 4; ++i) contribute(alice_, 1, 10);
  const uint64_t first = propose(model_spec());
  propose(model_spec({2}));
  const uint64_t third = propose(model_spec({2, 1}));
  ASSERT_OK(consent(alice_, first, {1, 2, 3, 4}, 11));
  EXPECT_EQ(s_.model_consents(first, 2, 10), (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(s_.model_consents(first, 0, 1), std::vector<uint64_t>{1});
  auto of_pool_1 = s_.models_of_pool(1, 0, 10);
  ASSERT_EQ(of_pool_1.size(), 2u);
  EXPECT_EQ(of_pool_1[1].id, third);
  EXPECT_EQ(s_.models_of_pool(1, first, 10).size(), 1u);
  EXPECT_EQ(s_.models(first, 1).size(), 1u);
  EXPECT_EQ(s_.models(0, 10).size(), 3u);
}

// Every payload: its encoding round-trips, and every truncation and any trailing byte is refused.
template <class P>
void expect_strict(const P& p) {
  const Bytes enc = encode_payload(p);
  auto ok = decode_payload(ByteView(enc), std::type_identity<P>{});
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(*ok, p);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(decode_payload(ByteView(enc.data(), n), std::type_identity<P>{}).ok()) << n;
  }
  Bytes longer = enc;
  longer.push_back(0);
  EXPECT_ERROR_CODE(decode_payload(ByteView(longer), std::type_identity<P>{}),
                    ErrorCode::kInvalidArgument);
}

TEST_F(ModelTest, PayloadsDecodeStrictly) {
  expect_strict(model_spec({1, 2}));
  expect_strict(ModelVote{1, 2, true});
  expect_strict(Consent{1, {3, 4}, false});
  ConsentPolicy policy;
  policy.enabled = true;
  policy.purposes = {"research"};
  policy.join_pools = {1, 2};
  expect_strict(SetConsentPolicy{policy});
  expect_strict(ApplyConsentPolicy{1, {5}});
  expect_strict(RecordTrainingSet{1, {5, 6, 7}});
  expect_strict(publish_spec(1, 3));
}

TEST_F(ModelTest, PayloadListsAreBoundedNonEmptyAndDistinct) {
  auto consent_bytes = [](uint32_t count, std::vector<uint64_t> ids) {
    codec::Writer w;
    w.u64(1).u32(count);
    for (uint64_t id : ids) w.u64(id);
    w.boolean(true);
    return w.take();
  };
  auto decode = [](const Bytes& b) {
    return decode_payload(ByteView(b), std::type_identity<Consent>{});
  };
  auto over = decode(consent_bytes(kMaxConsentBatch + 1, {}));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded) << over.error().to_string();
  auto truncated = decode(consent_bytes(3, {1, 2}));  // claims 3 ids, holds 2 and a bool
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
  EXPECT_FALSE(decode(consent_bytes(0, {})).ok());
  auto dup = decode(consent_bytes(2, {4, 4}));
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("repeats"), std::string::npos);
  ProposeModel five = model_spec({1, 2, 3, 4, 5});
  Bytes enc = encode_payload(five);
  EXPECT_EQ(decode_payload(ByteView(enc), std::type_identity<ProposeModel>{}).error().code,
            ErrorCode::kLimitExceeded);
  PublishModel metrics = publish_spec(1, 1);
  metrics.metrics = {{"loss", 1}, {"loss", 2}};
  enc = encode_payload(metrics);
  EXPECT_ERROR_CODE(decode_payload(ByteView(enc), std::type_identity<PublishModel>{}),
                    ErrorCode::kInvalidArgument);
  RecordTrainingSet big{1, std::vector<uint64_t>(kMaxTrainingSetChunk + 1)};
  for (size_t i = 0; i < big.contribution_ids.size(); ++i) big.contribution_ids[i] = i + 1;
  enc = encode_payload(big);
  EXPECT_EQ(decode_payload(ByteView(enc), std::type_identity<RecordTrainingSet>{}).error().code,
            ErrorCode::kLimitExceeded);
}

TEST_F(ModelTest, TransactionJsonShowsModelPayloads) {
  Transaction tx = make_tx(test::kChain, dev_, 1, model_spec({1, 2}));
  nlohmann::json j = to_json(tx);
  EXPECT_EQ(j["type"], "propose_model");
  EXPECT_EQ(j["payload"]["pools"], nlohmann::json({1, 2}));
  EXPECT_EQ(j["payload"]["terms"]["epsilon_milli"], 3000);
  j = to_json(make_tx(test::kChain, validator_, 1, publish_spec(4, 2)));
  EXPECT_EQ(j["type"], "publish_model");
  EXPECT_EQ(j["payload"]["metrics_micro"]["heldout_loss"], 3'210'000);
  j = to_json(make_tx(test::kChain, alice_, 1, Consent{4, {1, 2}, true}));
  EXPECT_EQ(j["payload"]["contribution_ids"], nlohmann::json({1, 2}));
}

// The chain runs end_block at each block's end: a model proposed, approved, consented, trained
// and published over ten blocks ends in the same state hash on a node that replays the blocks,
// and on one that reopens the database.
TEST(ModelChainTest, LifeCycleReplaysAndReopensToTheSameHash) {
  auto dir = std::filesystem::temp_directory_path() /
             ("datadao_model_chain_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto op = key_for(1), creator = key_for(2), val = key_for(3), alice = key_for(4),
       dev = key_for(5);
  Genesis g = test::make_genesis({{&creator, 10}, {&val, 10}, {&alice, 10}, {&dev, 10}});
  auto a = Chain::create(dir / "a.db", g, op);
  auto b = Chain::create(dir / "b.db", g, op);
  ASSERT_TRUE(a.ok() && b.ok());
  ProposeModel pm;
  pm.pools = {1};
  pm.kind = "text";
  pm.purpose = "research";
  pm.terms = ModelTerms{true, 3000, 1000, 1, 1, 5, 2};
  pm.developer_box_key.fill(9);
  PublishModel pub;
  pub.model_id = 1;
  pub.weights_hash.fill(8);
  pub.weights_size = 10;
  pub.weights_sealed_key = Bytes(kSealedFileKeyBytes, 6);
  pub.epsilon_spent_milli = 2500;
  pub.training_set_size = 1;
  auto filler = [&](uint64_t nonce) {
    return make_tx(g.chain_id, creator, nonce, Transfer{alice.public_key, 1});
  };
  auto blocks =
      test::scored_contribution_blocks(g.chain_id, creator, val, alice, PoolParams{5, 1, 2, true});
  const std::vector<std::vector<Transaction>> model_blocks = {
      {make_tx(g.chain_id, dev, 1, pm)},  // h4: vote until h6
      {make_tx(g.chain_id, alice, 3, ModelVote{1, 1, true}),
       make_tx(g.chain_id, alice, 4, Consent{1, {1}, true})},
      {filler(2)},  // h6: approved, consent until h8
      {filler(3)},
      {filler(4)},  // h8: training
      {make_tx(g.chain_id, val, 2, RecordTrainingSet{1, {1}})},
      {make_tx(g.chain_id, val, 3, AssignShares{1, {{alice.public_key, kShareSupply}}}),
       make_tx(g.chain_id, val, 4, pub)},
  };
  blocks.insert(blocks.end(), model_blocks.begin(), model_blocks.end());
  test::produce_and_replay(**a, **b, blocks, op, g.timestamp);
  if (HasFatalFailure()) return;
  const State& s = (*a)->state();
  ASSERT_TRUE(s.model(1));
  EXPECT_EQ(s.model(1)->status, ModelStatus::kPublished);
  EXPECT_EQ(s.account(dev.public_key)->credits, 5u);
  EXPECT_EQ(s.account(val.public_key)->credits, 15u);
  EXPECT_EQ((*a)->head().header.state_hash, (*b)->head().header.state_hash);
  const Hash32 head = (*a)->head().header.state_hash;
  a->reset();
  auto reopened = Chain::open(dir / "a.db");
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  EXPECT_EQ((*reopened)->state().state_hash(), head);
  EXPECT_EQ((*reopened)->state().model(1), (*b)->state().model(1));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace datadao::ledger::model_test
