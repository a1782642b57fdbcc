// Model ownership and rewards on the ledger: AssignShares (only to listed contributors, never
// above kShareSupply), PublishModel's share rule (complete assignment; a personal model mints all
// to its proposer) and server key, TransferShares (settles pending rewards first), UseModel (pays
// into the model's escrow in O(1) state entries), Claim (whole credits, the rest stays accrued),
// and the conservation of reward units and credits under a long random sequence, with replay.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <random>

#include "datadao/codec/codec.hpp"
#include "datadao/common/u128.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

using u128 = unsigned __int128;
using Key = crypto::SigningKeyPair;

constexpr uint64_t kCredits = 1'000'000;
constexpr uint64_t kFee = 100;

// One step of the log the fixture keeps, so that a fresh state can replay it.
struct LogStep {
  std::optional<Transaction> tx;  // nullopt: end_block + commit_block at ctx
  BlockContext ctx;
  bool ok = false;
};

class SharesTest : public ::testing::Test {
 protected:
  SharesTest() : s_(must(State::from_genesis(genesis()))) {
    pool_box_.fill(0x11);
    dev_box_.fill(0x12);
    EXPECT_TRUE(submit(creator_, CreatePool{"reddit-dao", "reddit", 1, validator_.public_key,
                                            pool_box_, PoolParams{1000, 5000, 3, true}})
                    .ok());
  }

  Genesis genesis() {
    std::vector<std::pair<const Key*, uint64_t>> a;
    for (const Key* k : everyone()) a.emplace_back(k, kCredits);
    return test::make_genesis(a);
  }
  std::vector<const Key*> everyone() {
    return {&creator_, &validator_, &dev_, &alice_, &bob_, &carol_, &eve_, &zoe_};
  }
  uint64_t supply() { return kCredits * everyone().size(); }
  BlockContext at() const { return BlockContext{height_, 1'700'000'000 + height_}; }

  // Signs with the sender's next nonce, applies at the current height and logs it.
  template <class P>
  Status submit(const Key& k, const P& payload) {
    auto a = s_.account(k.public_key);
    Transaction tx = make_tx(s_.chain_id(), k, a ? a->nonce + 1 : 1, payload);
    Status st = s_.apply(tx, at());
    log_.push_back({tx, at(), st.ok()});
    return st;
  }
  // Ends the current block and moves to the next height; returns the committed entries.
  std::vector<StateEntry> end_block() {
    s_.end_block(at());
    log_.push_back({std::nullopt, at(), true});
    ++height_;
    return s_.commit_block();
  }
  void end_blocks_until(uint64_t h) {
    while (height_ <= h) end_block();
  }

  uint64_t contribute(const Key& who, uint32_t accepted) {
    RegisterFile r;
    r.blob_hash.fill(++file_tag_);
    r.size = 100;
    r.source = "reddit";
    const uint64_t file = s_.next_file_id();
    EXPECT_TRUE(submit(who, r).ok());
    Status st = submit(who, Contribute{1, file, Bytes(kSealedFileKeyBytes, 7),
                                       Bytes(crypto::kSealOverheadBytes + 6, 9)});
    EXPECT_TRUE(st.ok()) << err(st);
    const uint64_t cid = s_.contributions_by(who.public_key).back().id;
    Attest a;
    a.contribution_id = cid;
    a.authentic = a.owned = true;
    a.handle_tag.fill(file_tag_);
    a.records_total = a.accepted = accepted;
    a.refined_blob_hash.fill(0xab);
    a.refined_size = 42;
    a.refined_sealed_key.assign(kSealedFileKeyBytes, 5);
    st = submit(validator_, a);
    EXPECT_TRUE(st.ok()) << err(st);
    return cid;
  }

  ProposeModel model_spec(uint64_t price, bool personal = false) {
    ProposeModel p;
    p.pools = {1};
    p.personal = personal;
    p.kind = "text";
    p.purpose = "research";
    p.spec = "layers=2";
    p.terms.dp_required = true;
    p.terms.epsilon_milli = 3000;
    p.terms.delta_e12 = 100'000;
    p.terms.min_contributors = 1;
    p.terms.price_per_call = price;
    p.terms.training_fee = kFee;
    p.terms.consent_blocks = 2;
    p.terms.attribution = AttributionMethod::kTracIn;
    p.developer_box_key = dev_box_;
    return p;
  }

  // Proposes a model, approves it, takes consent from `contributors`' contributions (by id) and
  // lists them: the model ends in kTraining. Returns its id.
  uint64_t train(uint64_t price, const std::vector<std::pair<const Key*, uint64_t>>& contributors,
                 bool personal = false, const Key* proposer = nullptr) {
    EXPECT_TRUE(submit(proposer ? *proposer : dev_, model_spec(price, personal)).ok());
    const uint64_t id = s_.models(0, 1000).back().id;
    if (!personal) {
      for (const Key* voter : {&alice_, &bob_, &carol_, &eve_}) {
        if (s_.pool_tokens(1, voter->public_key) > 0) {
          EXPECT_TRUE(submit(*voter, ModelVote{id, 1, true}).ok());
        }
      }
      end_blocks_until(s_.model(id)->vote_deadline);
    }
    std::vector<uint64_t> ids;
    for (const auto& [who, cid] : contributors) {
      Status st = submit(*who, Consent{id, {cid}, true});
      EXPECT_TRUE(st.ok()) << err(st);
      ids.push_back(cid);
    }
    end_blocks_until(s_.model(id)->consent_deadline);
    EXPECT_EQ(s_.model(id)->status, ModelStatus::kTraining);
    Status st = submit(validator_, RecordTrainingSet{id, ids});
    EXPECT_TRUE(st.ok()) << err(st);
    return id;
  }

  PublishModel publish_spec(uint64_t model) {
    PublishModel p;
    p.model_id = model;
    p.weights_hash.fill(0x77);
    p.weights_size = 4096;
    p.weights_sealed_key.assign(kSealedFileKeyBytes, 3);
    p.epsilon_spent_milli = 2900;
    p.steps = 10;
    p.training_set_size = s_.model(model)->training_set_size;
    return p;
  }

  // A published model whose shares are `split` (must sum to kShareSupply).
  uint64_t published(uint64_t price, const std::vector<std::pair<const Key*, uint64_t>>& split) {
    std::vector<std::pair<const Key*, uint64_t>> contributors;
    AssignShares as;
    for (const auto& [who, shares] : split) {
      contributors.emplace_back(who, contribution_of(*who));
      as.entries.push_back({who->public_key, shares});
    }
    const uint64_t id = train(price, contributors);
    as.model_id = id;
    Status st = submit(validator_, as);
    EXPECT_TRUE(st.ok()) << err(st);
    st = submit(validator_, publish_spec(id));
    EXPECT_TRUE(st.ok()) << err(st);
    end_block();
    return id;
  }
  uint64_t contribution_of(const Key& who) {
    auto mine = s_.contributions_by(who.public_key);
    if (!mine.empty()) return mine.front().id;
    return contribute(who, 10);
  }

  uint64_t credits(const Key& k) { return s_.account(k.public_key)->credits; }
  u128 accrued(uint64_t model, const Key& k) {
    auto h = s_.share_holding(model, k.public_key);
    return h ? accrued_units(*s_.model(model), *h) : 0;
  }

  // Reward units and credits are conserved, holdings and their index agree.
  void check_conservation() {
    uint64_t total = 0;
    for (const Key* k : everyone()) total += credits(*k);
    for (const Model& m : s_.models(0, 1000)) {
      if (m.status == ModelStatus::kVoting || m.status == ModelStatus::kConsent ||
          m.status == ModelStatus::kTraining) {
        total += m.terms.training_fee;
      }
      total += m.rewards_paid - m.rewards_claimed;
      if (m.status != ModelStatus::kPublished) continue;
      u128 held = 0;
      uint64_t shares = 0, with_shares = 0;
      for (const auto& [account, h] : s_.share_holders(m.id, std::nullopt, 100'000)) {
        held += accrued_units(m, h);
        shares += h.shares;
        with_shares += h.shares > 0 ? 1 : 0;
        auto idx = s_.models_held_by(account, m.id - 1, 1);
        ASSERT_EQ(idx, std::vector<uint64_t>{m.id}) << "index entry missing";
      }
      ASSERT_EQ(u128_to_string(u128{m.rewards_paid} * kRewardUnitsPerCredit),
                u128_to_string(held + u128{m.rewards_claimed} * kRewardUnitsPerCredit + m.reward_remainder))
          << "model " << m.id;
      ASSERT_EQ(shares, kShareSupply) << "model " << m.id;
      ASSERT_EQ(with_shares, m.share_holders) << "model " << m.id;
    }
    ASSERT_EQ(total, supply());
  }

  // Replays the log on a fresh state: the same results and the same state hash.
  void expect_replay_matches() {
    State r = must(State::from_genesis(genesis()));
    for (size_t i = 0; i < log_.size(); ++i) {
      const LogStep& step = log_[i];
      if (step.tx) {
        ASSERT_EQ(r.apply(*step.tx, step.ctx).ok(), step.ok) << "step " << i;
      } else {
        r.end_block(step.ctx);
        r.commit_block();
      }
    }
    EXPECT_EQ(r.state_hash(), s_.state_hash());
  }

  Key creator_ = key_for(40), validator_ = key_for(41), dev_ = key_for(42), alice_ = key_for(43),
      bob_ = key_for(44), carol_ = key_for(45), eve_ = key_for(46), zoe_ = key_for(47);
  crypto::PublicKey pool_box_{}, dev_box_{};
  uint8_t file_tag_ = 0;
  uint64_t height_ = 1;
  std::vector<LogStep> log_;
  State s_;
};

TEST_F(SharesTest, AssignSharesOnlyToListedContributorsWithinTheSupply) {
  const uint64_t a = contribute(alice_, 10);
  const uint64_t b = contribute(bob_, 10);
  contribute(carol_, 10);  // contributes to the pool, but is not in the training set
  const uint64_t id = train(5, {{&alice_, a}, {&bob_, b}});
  auto assign = [&](const Key& who, std::vector<ShareEntry> e) {
    return submit(who, AssignShares{id, std::move(e)});
  };
  EXPECT_EQ(assign(dev_, {{alice_.public_key, 1}}).error().code, ErrorCode::kPermissionDenied);
  Status outsider = assign(validator_, {{alice_.public_key, 5}, {carol_.public_key, 5}});
  EXPECT_TRUE(has(outsider, "account " + short_hex(carol_.public_key) +
                                " has no contribution in the training set"))
      << err(outsider);
  EXPECT_FALSE(s_.share_holding(id, alice_.public_key));  // all-or-nothing
  Status over = assign(validator_, {{alice_.public_key, kShareSupply}, {bob_.public_key, 1}});
  EXPECT_TRUE(has(over, "assigning 1000000001 shares to the 0 already assigned exceeds the supply"))
      << err(over);
  ASSERT_OK(assign(validator_, {{alice_.public_key, 600'000'000}}));
  Status again = assign(validator_, {{alice_.public_key, 1}});
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists) << err(again);
  EXPECT_TRUE(has(assign(validator_, {{bob_.public_key, 400'000'001}}),
                  "to the 600000000 already assigned"));
  ASSERT_OK(assign(validator_, {{bob_.public_key, 400'000'000}}));
  auto m = s_.model(id);
  EXPECT_EQ(m->shares_assigned, kShareSupply);
  EXPECT_EQ(m->share_holders, 2u);
  EXPECT_EQ(s_.share_holding(id, bob_.public_key), (ShareHolding{400'000'000, 0, 0}));
  EXPECT_EQ(s_.models_held_by(alice_.public_key, 0, 10), std::vector<uint64_t>{id});
  // Not once the model is published.
  ASSERT_OK(submit(validator_, publish_spec(id)));
  EXPECT_EQ(assign(validator_, {{alice_.public_key, 1}}).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(SharesTest, AssignSharesPayloadIsBoundedDistinctAndPositive) {
  auto decode = [](const AssignShares& p) {
    Bytes b = encode_payload(p);
    return decode_payload(ByteView(b), std::type_identity<AssignShares>{});
  };
  AssignShares ok{3, {{alice_.public_key, 5}, {bob_.public_key, 7}}};
  EXPECT_EQ(*decode(ok), ok);
  EXPECT_FALSE(decode(AssignShares{3, {}}).ok());
  auto zero = decode(AssignShares{3, {{alice_.public_key, 0}}});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("shares must be > 0"), std::string::npos);
  auto dup = decode(AssignShares{3, {{alice_.public_key, 1}, {alice_.public_key, 2}}});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("repeats account"), std::string::npos);
  AssignShares big{3, {}};
  for (size_t i = 0; i <= kMaxShareChunk; ++i) {
    AccountId a{};
    a[0] = static_cast<uint8_t>(i);
    a[1] = static_cast<uint8_t>(i >> 8);
    big.entries.push_back({a, 1});
  }
  EXPECT_EQ(decode(big).error().code, ErrorCode::kLimitExceeded);
  // A count claiming more entries than the bytes hold is refused before allocating.
  codec::Writer w;
  w.u64(3).u32(1000);
  Bytes b = w.take();
  auto truncated = decode_payload(ByteView(b), std::type_identity<AssignShares>{});
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
}

TEST_F(SharesTest, PublishWithIncompleteSharesIsRefused) {
  const uint64_t a = contribute(alice_, 10);
  const uint64_t b = contribute(bob_, 10);
  const uint64_t id = train(5, {{&alice_, a}, {&bob_, b}});
  Status none = submit(validator_, publish_spec(id));
  EXPECT_TRUE(has(none, "shares: 0 of 1000000000 assigned")) << err(none);
  ASSERT_OK(submit(validator_, AssignShares{id, {{alice_.public_key, kShareSupply - 1}}}));
  Status short_one = submit(validator_, publish_spec(id));
  EXPECT_EQ(short_one.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(has(short_one, "shares: 999999999 of 1000000000 assigned")) << err(short_one);
  ASSERT_OK(submit(validator_, AssignShares{id, {{bob_.public_key, 1}}}));
  ASSERT_OK(submit(validator_, publish_spec(id)));
  EXPECT_EQ(s_.model(id)->status, ModelStatus::kPublished);
}

TEST_F(SharesTest, ServerKeyIsEmptyOrSealedToANonZeroBoxKey) {
  const uint64_t a = contribute(alice_, 10);
  const uint64_t id = train(5, {{&alice_, a}});
  ASSERT_OK(submit(validator_, AssignShares{id, {{alice_.public_key, kShareSupply}}}));
  PublishModel p = publish_spec(id);
  p.server_sealed_key.assign(kSealedFileKeyBytes, 4);
  EXPECT_TRUE(has(submit(validator_, p), "server_box_key is zero"));
  p.server_sealed_key.clear();
  p.server_box_key.fill(0x33);
  EXPECT_TRUE(has(submit(validator_, p), "server_sealed_key is empty"));
  p.server_sealed_key.assign(40, 4);
  const Bytes wrong = encode_payload(p);
  EXPECT_ERROR_CODE(decode_payload(ByteView(wrong), std::type_identity<PublishModel>{}),
                    ErrorCode::kInvalidArgument);
  p.server_sealed_key.assign(kSealedFileKeyBytes, 4);
  ASSERT_OK(submit(validator_, p));
  auto m = s_.model(id);
  EXPECT_EQ(m->server_box_key, p.server_box_key);
  EXPECT_EQ(m->server_sealed_key, p.server_sealed_key);
  nlohmann::json j = to_json(make_tx(s_.chain_id(), validator_, 9, p));
  EXPECT_EQ(j["payload"]["server_box_key"], codec::to_hex(p.server_box_key));
  EXPECT_EQ(j["payload"]["server_sealed_key"],
            codec::to_base64(crypto::as_bytes(p.server_sealed_key)));
}

TEST_F(SharesTest, PersonalModelMintsAllSharesToItsProposer) {
  const uint64_t a = contribute(alice_, 10);
  const uint64_t id = train(3, {{&alice_, a}}, /*personal=*/true, &alice_);
  EXPECT_TRUE(has(submit(validator_, AssignShares{id, {{alice_.public_key, 1}}}), "personal"));
  ASSERT_OK(submit(validator_, publish_spec(id)));
  auto m = s_.model(id);
  EXPECT_EQ(m->shares_assigned, kShareSupply);
  EXPECT_EQ(m->share_holders, 1u);
  EXPECT_EQ(s_.share_holding(id, alice_.public_key), (ShareHolding{kShareSupply, 0, 0}));
  EXPECT_EQ(s_.models_held_by(alice_.public_key, 0, 10), std::vector<uint64_t>{id});
  ASSERT_OK(submit(bob_, UseModel{id, {}}));
  EXPECT_EQ(claimable_credits(*s_.model(id), *s_.share_holding(id, alice_.public_key)), 3u);
}

TEST_F(SharesTest, UseModelWithInsufficientCreditsIsRefusedAndChangesNothing) {
  const uint64_t id = published(7, {{&alice_, kShareSupply}});
  ASSERT_OK(submit(zoe_, Transfer{creator_.public_key, kCredits - 6}));  // zoe keeps 6
  end_block();
  const Model before = *s_.model(id);
  const Hash32 hash = s_.state_hash();
  Status st = submit(zoe_, UseModel{id, {}});
  EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(has(st, "has 6 credits, the price per call is 7")) << err(st);
  EXPECT_EQ(*s_.model(id), before);
  EXPECT_EQ(credits(zoe_), 6u);
  EXPECT_TRUE(end_block().empty());
  EXPECT_EQ(s_.state_hash(), hash);
  // A model that is not published cannot be used.
  const uint64_t training = train(1, {{&alice_, contribution_of(alice_)}});
  EXPECT_EQ(submit(eve_, UseModel{training, {}}).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(submit(eve_, UseModel{999, {}}).error().code, ErrorCode::kNotFound);
  // Paid: the price moves into the escrow.
  ASSERT_OK(submit(eve_, UseModel{id, {}}));
  auto m = s_.model(id);
  EXPECT_EQ(m->uses, 1u);
  EXPECT_EQ(m->rewards_paid, 7u);
  EXPECT_EQ(u128_to_string(m->reward_per_share), "7");
  EXPECT_EQ(credits(eve_), kCredits - 7);
  check_conservation();
}

TEST_F(SharesTest, FreeModelOnlyCountsTheUse) {
  const uint64_t id = published(0, {{&alice_, kShareSupply}});
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  auto m = s_.model(id);
  EXPECT_EQ(m->uses, 1u);
  EXPECT_EQ(m->rewards_paid, 0u);
  EXPECT_EQ(credits(zoe_), kCredits);
  EXPECT_EQ(submit(alice_, Claim{id}).error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(SharesTest, ClaimPaysWholeCreditsAndKeepsTheRestAccrued) {
  const uint64_t id = published(5, {{&alice_, 333'333'333}, {&bob_, 666'666'667}});
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  EXPECT_EQ(u128_to_string(accrued(id, alice_)), "1666666665");
  EXPECT_EQ(u128_to_string(accrued(id, bob_)), "3333333335");
  const uint64_t alice_before = credits(alice_);
  ASSERT_OK(submit(alice_, Claim{id}));
  EXPECT_EQ(credits(alice_), alice_before + 1);
  EXPECT_EQ(u128_to_string(accrued(id, alice_)), "666666665");
  Status nothing = submit(alice_, Claim{id});
  EXPECT_EQ(nothing.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(has(nothing, "nothing to claim")) << err(nothing);
  EXPECT_TRUE(has(nothing, "666666665 reward units accrued, less than one credit")) << err(nothing);
  ASSERT_OK(submit(bob_, Claim{id}));
  EXPECT_EQ(s_.model(id)->rewards_claimed, 4u);
  EXPECT_EQ(s_.share_holding(id, bob_.public_key)->shares, 666'666'667u);
  Status stranger = submit(carol_, Claim{id});
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(has(stranger, "holds no shares")) << err(stranger);
  end_block();
  check_conservation();
}

TEST_F(SharesTest, TransferSettlesPendingRewards) {
  const uint64_t id = published(5, {{&alice_, 500'000'000}, {&bob_, 500'000'000}});
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  // Alice's whole balance goes to Carol: the 10 credits × half accrued so far stay Alice's.
  ASSERT_OK(submit(alice_, TransferShares{id, carol_.public_key, 500'000'000}));
  EXPECT_EQ(s_.share_holding(id, alice_.public_key), (ShareHolding{0, 10, 5'000'000'000}));
  EXPECT_EQ(s_.model(id)->share_holders, 2u);
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  EXPECT_EQ(u128_to_string(accrued(id, alice_)), "5000000000");
  EXPECT_EQ(u128_to_string(accrued(id, carol_)), "2500000000");
  EXPECT_EQ(u128_to_string(accrued(id, bob_)), "7500000000");
  // Alice keeps an index entry while she is owed; claiming it all deletes her holding.
  EXPECT_EQ(s_.models_held_by(alice_.public_key, 0, 10), std::vector<uint64_t>{id});
  ASSERT_OK(submit(alice_, Claim{id}));
  EXPECT_FALSE(s_.share_holding(id, alice_.public_key));
  EXPECT_TRUE(s_.models_held_by(alice_.public_key, 0, 10).empty());
  // Part of Bob's shares: both keep holdings and his accrued rewards stay his.
  ASSERT_OK(submit(bob_, TransferShares{id, carol_.public_key, 100'000'000}));
  EXPECT_EQ(s_.share_holding(id, carol_.public_key)->shares, 600'000'000u);
  EXPECT_EQ(u128_to_string(accrued(id, bob_)), "7500000000");
  EXPECT_EQ(s_.model(id)->share_holders, 2u);
  end_block();
  check_conservation();
}

TEST_F(SharesTest, TransferSharesRulesNameTheAccountAndAmount) {
  const uint64_t id = published(5, {{&alice_, 400'000'000}, {&bob_, 600'000'000}});
  auto transfer = [&](const Key& from, const Key& to, uint64_t amount, uint64_t model = 0) {
    return submit(from, TransferShares{model ? model : id, to.public_key, amount});
  };
  EXPECT_TRUE(has(transfer(alice_, bob_, 0), "amount must be > 0"));
  EXPECT_TRUE(has(transfer(alice_, alice_, 1), "transfer to self"));
  Status over = transfer(alice_, bob_, 400'000'001);
  EXPECT_TRUE(has(over, "holds 400000000 shares, transfer needs 400000001")) << err(over);
  EXPECT_TRUE(has(transfer(carol_, bob_, 1), "holds 0 shares"));
  EXPECT_EQ(transfer(alice_, bob_, 1, 999).error().code, ErrorCode::kNotFound);
  const uint64_t training = train(1, {{&alice_, contribution_of(alice_)}});
  ASSERT_OK(submit(validator_, AssignShares{training, {{alice_.public_key, 10}}}));
  EXPECT_TRUE(has(transfer(alice_, bob_, 1, training), "not published"));
  ASSERT_OK(transfer(alice_, bob_, 400'000'000));
  EXPECT_FALSE(s_.share_holding(id, alice_.public_key));  // nothing accrued: deleted
  EXPECT_EQ(s_.model(id)->share_holders, 1u);
  EXPECT_EQ(s_.models_held_by(alice_.public_key, 0, 10), std::vector<uint64_t>{training});
}

TEST_F(SharesTest, RewardsEqualPriceTimesUsesTimesShare) {
  const uint64_t shares_a = 123'456'789;
  const uint64_t id = published(13, {{&alice_, shares_a}, {&bob_, kShareSupply - shares_a}});
  const uint64_t uses = 77;
  for (uint64_t i = 0; i < uses; ++i) ASSERT_OK(submit(i % 2 ? zoe_ : eve_, UseModel{id, {}}));
  const u128 expect_a = u128{13} * uses * shares_a;
  const u128 expect_b = u128{13} * uses * (kShareSupply - shares_a);
  EXPECT_EQ(u128_to_string(accrued(id, alice_)), u128_to_string(expect_a));
  EXPECT_EQ(u128_to_string(accrued(id, bob_)), u128_to_string(expect_b));
  EXPECT_EQ(u128_to_string(expect_a + expect_b), u128_to_string(u128{13} * uses * kRewardUnitsPerCredit));
  const auto h = *s_.share_holding(id, alice_.public_key);
  EXPECT_EQ(claimable_credits(*s_.model(id), h), static_cast<uint64_t>(expect_a / kShareSupply));
  const uint64_t before = credits(alice_);
  ASSERT_OK(submit(alice_, Claim{id}));
  EXPECT_EQ(credits(alice_), before + static_cast<uint64_t>(expect_a / kShareSupply));
  EXPECT_EQ(u128_to_string(accrued(id, alice_)), u128_to_string(expect_a % kShareSupply));
}

TEST_F(SharesTest, RewardConservationUnderRandomUsesTransfersAndClaims) {
  const std::vector<const Key*> users = {&alice_, &bob_, &carol_, &eve_, &zoe_};
  std::vector<uint64_t> models = {
      published(1, {{&alice_, 500'000'000}, {&bob_, 500'000'000}}),
      published(7, {{&alice_, 333'333'333}, {&bob_, 333'333'333}, {&carol_, 333'333'334}}),
      published(13, {{&carol_, 999'999'999}, {&eve_, 1}}),
      published(0, {{&eve_, kShareSupply}}),
  };
  check_conservation();
  std::mt19937_64 rng(0x5eed'5a4e5);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  size_t ok = 0, failed = 0, uses = 0, transfers = 0, claims = 0;
  for (int op = 0; op < 4000; ++op) {
    const uint64_t id = models[pick(models.size())];
    const Key& who = *users[pick(users.size())];
    Status st;
    switch (pick(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
        st = submit(who, UseModel{id, {}});
        uses += st.ok();
        break;
      case 4:
      case 5:
      case 6: {
        const Key& to = *users[pick(users.size())];
        auto h = s_.share_holding(id, who.public_key);
        const uint64_t held = h ? h->shares : 0;
        uint64_t amount;
        switch (pick(4)) {
          case 0:
            amount = held;  // the whole balance (0 when none: refused)
            break;
          case 1:
            amount = held + 1;  // more than held: refused
            break;
          default:
            amount = held ? 1 + rng() % held : rng() % 3;
        }
        st = submit(who, TransferShares{id, to.public_key, amount});
        transfers += st.ok();
        break;
      }
      default:
        st = submit(who, Claim{id});
        claims += st.ok();
    }
    st.ok() ? ++ok : ++failed;
    if (pick(25) == 0) {
      end_block();
      check_conservation();
      if (HasFatalFailure()) return;
    }
  }
  end_block();
  check_conservation();
  EXPECT_GT(uses, 1000u);
  EXPECT_GT(transfers, 300u);
  EXPECT_GT(claims, 100u);
  EXPECT_GT(failed, 300u);
  expect_replay_matches();
  // And reloading the state from its entries gives the same hash and holdings.
  State copy = must(State::from_entries(s_.chain_id(), s_.entries()));
  EXPECT_EQ(copy.state_hash(), s_.state_hash());
  for (uint64_t id : models) {
    EXPECT_EQ(copy.share_holders(id, std::nullopt, 100), s_.share_holders(id, std::nullopt, 100));
  }
}

// Builds, from the current state, a copy in which `n` synthetic accounts each have a contribution
// listed in model `id`'s training set (0x29 entries), then assigns them `each` shares through
// AssignShares chunks signed by the runner. Returns the synthetic accounts.
std::vector<AccountId> add_listed_contributors(State& s, uint64_t id, size_t n) {
  std::vector<StateEntry> entries = s.entries();
  std::vector<AccountId> out;
  for (size_t i = 0; i < n; ++i) {
    AccountId a{};
    for (int b = 0; b < 4; ++b) a[b] = static_cast<uint8_t>((i + 1) >> (8 * b));
    a[31] = 0xee;
    out.push_back(a);
    Bytes key{0x29};
    for (int b = 7; b >= 0; --b) key.push_back(static_cast<uint8_t>(id >> (8 * b)));
    key.insert(key.end(), a.begin(), a.end());
    codec::Writer w;
    w.u64(1);
    entries.push_back({key, w.take()});
  }
  s = must(State::from_entries(s.chain_id(), entries));
  return out;
}

TEST_F(SharesTest, UseModelTouchesTheSameStateEntriesForOneHolderAndFiveThousand) {
  const uint64_t a = contribute(alice_, 10);
  const uint64_t one = train(5, {{&alice_, a}});
  ASSERT_OK(submit(validator_, AssignShares{one, {{alice_.public_key, kShareSupply}}}));
  ASSERT_OK(submit(validator_, publish_spec(one)));
  const uint64_t many = train(5, {{&alice_, a}});
  end_block();
  constexpr size_t kHolders = 5000;
  const std::vector<AccountId> synthetic = add_listed_contributors(s_, many, kHolders - 1);
  constexpr uint64_t kEach = 100'000;
  for (size_t i = 0; i < synthetic.size(); i += kMaxShareChunk) {
    AssignShares chunk{many, {}};
    for (size_t j = i; j < std::min(synthetic.size(), i + kMaxShareChunk); ++j) {
      chunk.entries.push_back({synthetic[j], kEach});
    }
    ASSERT_OK(submit(validator_, chunk));
  }
  ASSERT_OK(
      submit(validator_,
             AssignShares{many, {{alice_.public_key, kShareSupply - kEach * (kHolders - 1)}}}));
  ASSERT_OK(submit(validator_, publish_spec(many)));
  end_block();
  ASSERT_EQ(s_.model(many)->share_holders, kHolders);
  ASSERT_EQ(s_.model(one)->share_holders, 1u);

  ASSERT_OK(submit(zoe_, UseModel{one, {}}));
  const size_t touched_one = end_block().size();
  ASSERT_OK(submit(zoe_, UseModel{many, {}}));
  const size_t touched_many = end_block().size();
  EXPECT_EQ(touched_one, touched_many);
  EXPECT_EQ(touched_many, 2u);  // the payer's account and the model record
}

TEST_F(SharesTest, HoldingsRoundTripThroughEntriesAndEmptyOnesAreRefused) {
  const uint64_t id = published(5, {{&alice_, 400'000'000}, {&bob_, 600'000'000}});
  ASSERT_OK(submit(zoe_, UseModel{id, {}}));
  ASSERT_OK(submit(alice_, TransferShares{id, carol_.public_key, 100}));
  end_block();
  State copy = must(State::from_entries(s_.chain_id(), s_.entries()));
  EXPECT_EQ(copy.state_hash(), s_.state_hash());
  EXPECT_EQ(copy.model(id), s_.model(id));
  EXPECT_EQ(copy.share_holding(id, alice_.public_key), s_.share_holding(id, alice_.public_key));
  EXPECT_EQ(copy.models_held_by(carol_.public_key, 0, 10), std::vector<uint64_t>{id});
  auto holders = copy.share_holders(id, std::nullopt, 2);
  ASSERT_EQ(holders.size(), 2u);
  auto rest = copy.share_holders(id, holders[1].first, 10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_LT(holders[1].first, rest[0].first);
  for (uint8_t tag : {uint8_t{0x29}, uint8_t{0x2a}}) {
    auto entries = s_.entries();
    for (auto& e : entries) {
      if (e.key[0] != tag) continue;
      codec::Writer w;
      w.u64(0);
      if (tag == 0x2a) w.u64(0).u64(0).u64(0).u64(0);
      e.value = w.take();
    }
    auto bad = State::from_entries(s_.chain_id(), entries);
    ASSERT_FALSE(bad.ok()) << int(tag);
    EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
  }
}

TEST_F(SharesTest, AttributionIsOneOrTwoAndShownByName) {
  ProposeModel p = model_spec(1);
  Bytes enc = encode_payload(p);
  auto back = decode_payload(ByteView(enc), std::type_identity<ProposeModel>{});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->terms.attribution, AttributionMethod::kTracIn);
  p.terms.attribution = static_cast<AttributionMethod>(3);
  enc = encode_payload(p);
  auto bad = decode_payload(ByteView(enc), std::type_identity<ProposeModel>{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("attribution"), std::string::npos);
  nlohmann::json j = to_json(make_tx(s_.chain_id(), dev_, 1, model_spec(1)));
  EXPECT_EQ(j["payload"]["terms"]["attribution"], "tracin");
  EXPECT_EQ(attribution_method_name(AttributionMethod::kKnnShapley), "knn_shapley");
  j = to_json(make_tx(s_.chain_id(), dev_, 1, UseModel{4, {}}));
  EXPECT_EQ(j["type"], "use_model");
  EXPECT_EQ(j["payload"]["model_id"], 4);
  j = to_json(make_tx(s_.chain_id(), dev_, 1, TransferShares{4, bob_.public_key, 9}));
  EXPECT_EQ(j["payload"]["amount"], 9);
  j = to_json(make_tx(s_.chain_id(), dev_, 1, AssignShares{4, {{bob_.public_key, 9}}}));
  EXPECT_EQ(j["payload"]["entries"][0]["shares"], 9);
  j = to_json(make_tx(s_.chain_id(), dev_, 1, Claim{4}));
  EXPECT_EQ(j["type"], "claim");
}

}  // namespace
}  // namespace datadao::ledger
