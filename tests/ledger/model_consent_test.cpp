// Standing consent policies on the ledger: deny by default, applied only through the pool's
// validator, never for a personal model, and opting out. Consent contribution by contribution,
// its window and the training set: tests/scenarios/models.txt.
#include "model_fixture.hpp"

namespace datadao::ledger::model_test {
namespace {

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
