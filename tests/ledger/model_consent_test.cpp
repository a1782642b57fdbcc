// Consent on the ledger: only consented, attested, scoring contributions enter a training set;
// revocation and the consent window; standing policies (deny by default, only through the
// pool's validator, never for a personal model) and opting out.
#include "model_fixture.hpp"

namespace datadao::ledger::model_test {
namespace {

TEST_F(ModelTest, NonConsentingContributionCannotEnterTrainingSet) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t a2 = contribute(alice_, 1, 5);  // Alice consents with one export only
  const uint64_t b = contribute(bob_, 1, 50);
  const uint64_t e = contribute(eve_, 1, 1);
  ProposeModel spec = model_spec();
  spec.terms.min_contributors = 2;
  const uint64_t id = propose(spec);
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  end_block(13);
  ASSERT_OK(consent(alice_, id, {a}, 14));
  ASSERT_OK(consent(bob_, id, {b}, 14));
  end_block(18);
  ASSERT_EQ(s_.model(id)->status, ModelStatus::kTraining);
  for (uint64_t never : {e, a2}) {
    Status st = submit(s_, validator_, RecordTrainingSet{id, {a, never}}, at(19));
    EXPECT_TRUE(has(st, "contribution " + std::to_string(never) + " does not consent")) << err(st);
  }
  EXPECT_TRUE(s_.model_training_set(id, 0, 10).empty());  // the batch left no trace
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {a, b}}, at(19)));
  EXPECT_EQ(submit(s_, validator_, RecordTrainingSet{id, {a}}, at(19)).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(s_.model(id)->training_set_size, 2u);
}

TEST_F(ModelTest, RevokedConsentCannotBeListed) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t a2 = contribute(alice_, 1, 50);
  const uint64_t b = contribute(bob_, 1, 50);
  ProposeModel spec = model_spec();
  spec.terms.min_contributors = 2;
  const uint64_t id = propose(spec);
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  end_block(13);
  ASSERT_OK(consent(alice_, id, {a, a2}, 14));
  ASSERT_OK(consent(bob_, id, {b}, 14));
  ASSERT_OK(consent(alice_, id, {a2}, 16, false));
  EXPECT_EQ(s_.model(id)->consents, 2u);
  EXPECT_EQ(s_.model(id)->consenting_contributors, 2u);  // Alice still consents with `a`
  EXPECT_EQ(consent(alice_, id, {a2}, 16, false).error().code, ErrorCode::kAlreadyExists);
  end_block(18);
  Status st = submit(s_, validator_, RecordTrainingSet{id, {a2}}, at(19));
  EXPECT_TRUE(has(st, "does not consent")) << err(st);
  ASSERT_OK(submit(s_, validator_, RecordTrainingSet{id, {a, b}}, at(19)));
}

TEST_F(ModelTest, ConsentAfterTheWindowIsRejected) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t b = contribute(bob_, 1, 50);
  ProposeModel spec = model_spec();
  spec.terms.min_contributors = 1;
  const uint64_t id = propose(spec);
  ASSERT_OK(submit(s_, alice_, ModelVote{id, 1, true}, at(11)));
  end_block(13);
  ASSERT_OK(consent(alice_, id, {a}, 18));  // the deadline's block still counts
  // A block past the deadline whose end has not run yet: the window is closed all the same.
  EXPECT_TRUE(has(consent(bob_, id, {b}, 19), "the consent window closed at height 18"));
  end_block(18);
  Status late = consent(bob_, id, {b}, 19);
  EXPECT_TRUE(has(late, "consent is frozen: training started at height 18")) << err(late);
  EXPECT_EQ(s_.model(id)->consents, 1u);
}

TEST_F(ModelTest, ConsentNeedsAnAttestedScoringContributionInTheModelsPools) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t oura = contribute(alice_, 2, 50);
  const uint64_t zero = contribute(bob_, 1, 0);  // attested, 0 points
  const uint64_t id = propose(model_spec({1}));
  EXPECT_TRUE(has(consent(alice_, id, {oura}, 11), "does not draw on"));
  EXPECT_TRUE(has(consent(bob_, id, {zero}, 11), "scored 0 points"));
  EXPECT_EQ(consent(alice_, id, {99}, 11).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(consent(alice_, 42, {a}, 11).error().code, ErrorCode::kNotFound);
  ASSERT_OK(consent(alice_, id, {a}, 11));
  EXPECT_EQ(consent(alice_, id, {a}, 11).error().code, ErrorCode::kAlreadyExists);
}

TEST_F(ModelTest, PolicyConsentsOnlyWhenItMatchesAndOnlyThroughThePoolValidator) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t b = contribute(bob_, 1, 50);
  const uint64_t c = contribute(carol_, 1, 50);
  const uint64_t id = propose(model_spec());  // DP ε 3, price 5, purpose research
  ConsentPolicy strict;
  strict.enabled = true;
  strict.require_dp = true;
  strict.max_epsilon_milli = 2000;  // ε <= 2: the model's 3 is too much
  strict.purposes = {"research"};
  ConsentPolicy loose = strict;
  loose.max_epsilon_milli = 3000;
  loose.min_price_per_call = 5;
  ASSERT_OK(submit(s_, alice_, SetConsentPolicy{loose}, at(11)));
  ASSERT_OK(submit(s_, bob_, SetConsentPolicy{strict}, at(11)));
  EXPECT_EQ(s_.consent_policy(alice_.public_key)->height, 11u);
  EXPECT_TRUE(policy_matches(loose, *s_.model(id)));
  EXPECT_FALSE(policy_matches(strict, *s_.model(id)));

  // Not the pool's validator: neither Alice herself, nor the developer, nor another pool's.
  for (const auto* k : {&alice_, &dev_, &validator2_}) {
    EXPECT_EQ(submit(s_, *k, ApplyConsentPolicy{id, {a}}, at(12)).error().code,
              ErrorCode::kPermissionDenied);
  }
  Status st = submit(s_, validator_, ApplyConsentPolicy{id, {b}}, at(12));
  EXPECT_TRUE(has(st, "does not match")) << err(st);
  st = submit(s_, validator_, ApplyConsentPolicy{id, {c}}, at(12));  // deny by default
  EXPECT_TRUE(has(st, "has no consent policy (deny by default)")) << err(st);
  ASSERT_OK(submit(s_, validator_, ApplyConsentPolicy{id, {a}}, at(12)));
  EXPECT_TRUE(s_.consent(id, a)->by_policy);
  EXPECT_EQ(s_.model(id)->consenting_contributors, 1u);
  EXPECT_EQ(submit(s_, validator_, ApplyConsentPolicy{id, {a}}, at(12)).error().code,
            ErrorCode::kAlreadyExists);
  // A disabled policy consents to nothing.
  ConsentPolicy off = loose;
  off.enabled = false;
  ASSERT_OK(submit(s_, bob_, SetConsentPolicy{off}, at(12)));
  EXPECT_TRUE(has(submit(s_, validator_, ApplyConsentPolicy{id, {b}}, at(12)), "does not match"));
}

TEST_F(ModelTest, OptOutBarsThePolicyAndRevokesItsConsent) {
  const uint64_t a = contribute(alice_, 1, 50);
  const uint64_t a2 = contribute(alice_, 1, 50);
  const uint64_t id = propose(model_spec());
  ConsentPolicy p;
  p.enabled = true;
  p.max_epsilon_milli = 5000;
  p.purposes = {"research", "health"};
  ASSERT_OK(submit(s_, alice_, SetConsentPolicy{p}, at(11)));
  ASSERT_OK(consent(alice_, id, {a2}, 11, false));  // opted out before the runner applies
  Status st = submit(s_, validator_, ApplyConsentPolicy{id, {a, a2}}, at(12));
  EXPECT_TRUE(has(st, "contribution " + std::to_string(a2) + " was opted out")) << err(st);
  EXPECT_FALSE(s_.consent(id, a));  // all or nothing
  ASSERT_OK(submit(s_, validator_, ApplyConsentPolicy{id, {a}}, at(12)));
  // Revoking a consent the policy gave is the contributor's right too, and sticks.
  ASSERT_OK(consent(alice_, id, {a}, 13, false));
  EXPECT_FALSE(s_.consent(id, a));
  EXPECT_EQ(s_.model(id)->consents, 0u);
  EXPECT_EQ(s_.model(id)->consenting_contributors, 0u);
  EXPECT_TRUE(has(submit(s_, validator_, ApplyConsentPolicy{id, {a}}, at(13)), "opted out"));
}

TEST_F(ModelTest, PolicyMatchesEveryRuleAndNeverAPersonalModel) {
  Model m;
  m.pools = {1, 2};
  m.purpose = "research";
  m.terms.dp_required = true;
  m.terms.epsilon_milli = 3000;
  m.terms.price_per_call = 10;
  ConsentPolicy p;
  p.enabled = true;
  p.require_dp = true;
  p.max_epsilon_milli = 3000;
  p.min_price_per_call = 10;
  p.purposes = {"research"};
  p.join_pools = {1, 2};
  EXPECT_TRUE(policy_matches(p, m));
  auto without = [&](auto change) {
    ConsentPolicy q = p;
    Model n = m;
    change(q, n);
    return policy_matches(q, n);
  };
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.enabled = false; }));
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.max_epsilon_milli = 2999; }));
  EXPECT_FALSE(without([](ConsentPolicy&, Model& n) { n.terms.dp_required = false; }));
  EXPECT_TRUE(without([](ConsentPolicy& q, Model& n) {
    q.require_dp = false;
    n.terms.dp_required = false;
  }));
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.min_price_per_call = 11; }));
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.purposes = {"ads"}; }));
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.purposes.clear(); }));
  EXPECT_FALSE(without([](ConsentPolicy& q, Model&) { q.join_pools = {1}; }));
  EXPECT_TRUE(without([](ConsentPolicy& q, Model& n) {
    q.join_pools.clear();
    n.pools = {1};
  }));
  EXPECT_FALSE(without([](ConsentPolicy&, Model& n) { n.personal = true; }));
}

}  // namespace
}  // namespace datadao::ledger::model_test
