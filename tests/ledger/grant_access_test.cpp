// GrantAccess and RevokeAccess rules.
#include <gtest/gtest.h>

#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

constexpr uint64_t kNow = 1'700'000'100;

class GrantAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(submit(state, owner, RegisterFile{Hash32{7}, 10, "oura", ""}, {1, kNow}).ok());
  }
  GrantAccess grant_to(const crypto::SigningKeyPair& who, uint64_t expires_at = 0) {
    crypto::SymmetricKey file_key = crypto::random_key();
    GrantAccess g;
    g.file_id = 1;
    g.grantee = who.public_key;
    g.grantee_box_key = pool_box.public_key;
    g.sealed_key = crypto::seal_to(pool_box.public_key, file_key.view());
    g.purpose = "sleep-model training";
    g.expires_at = expires_at;
    return g;
  }
  crypto::SigningKeyPair owner = key_for(1), pool = key_for(2), other = key_for(3);
  crypto::BoxKeyPair pool_box = crypto::BoxKeyPair::generate();
  State state = must(State::from_genesis(test::make_genesis({{&owner, 1000}, {&other, 1000}})));
};

TEST_F(GrantAccessTest, OwnerGrantsAndTheGrantIsIndexedByGrantee) {
  GrantAccess g = grant_to(pool, kNow + 3600);
  ASSERT_TRUE(submit(state, owner, g, {4, kNow}).ok());
  auto stored = state.grant(1, pool.public_key);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->sealed_key, g.sealed_key);
  EXPECT_EQ(stored->grantee_box_key, pool_box.public_key);
  EXPECT_EQ(stored->purpose, "sleep-model training");
  EXPECT_EQ(stored->granted_height, 4u);
  EXPECT_TRUE(state.grant_active(*stored, kNow));
  ASSERT_EQ(state.grants_to(pool.public_key).size(), 1u);
  ASSERT_EQ(state.grants_for_file(1).size(), 1u);
  EXPECT_TRUE(state.grants_to(other.public_key).empty());
}

TEST_F(GrantAccessTest, OnlyTheOwnerGrants) {
  Status s = submit(state, other, grant_to(pool));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(s.error().message.find("is not the owner"), std::string::npos) << err(s);
  EXPECT_FALSE(state.grant(1, pool.public_key).has_value());
}

TEST_F(GrantAccessTest, OnlyTheOwnerRevokes) {
  ASSERT_TRUE(submit(state, owner, grant_to(pool)).ok());
  Status s = submit(state, other, RevokeAccess{1, pool.public_key});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(state.grant(1, pool.public_key)->revoked);
}

TEST_F(GrantAccessTest, GrantOnMissingFileIsNotFound) {
  GrantAccess g = grant_to(pool);
  g.file_id = 99;
  Status s = submit(state, owner, g);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_NE(s.error().message.find("file 99"), std::string::npos);
}

TEST_F(GrantAccessTest, GranteeCannotBeTheOwner) {
  EXPECT_EQ(submit(state, owner, grant_to(owner)).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(GrantAccessTest, SealedKeyMustBeExactly80Bytes) {
  GrantAccess g = grant_to(pool);
  g.sealed_key.pop_back();
  Status s = submit(state, owner, g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("79 bytes, expected 80"), std::string::npos) << err(s);
}

TEST_F(GrantAccessTest, ExpiryMustBeAfterTheBlockTimestamp) {
  EXPECT_ERROR_CODE(submit(state, owner, grant_to(pool, kNow), {2, kNow}),
                    ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(submit(state, owner, grant_to(pool, kNow - 1), {2, kNow}),
                    ErrorCode::kInvalidArgument);
  EXPECT_TRUE(submit(state, owner, grant_to(pool, kNow + 1), {2, kNow}).ok());
}

TEST_F(GrantAccessTest, ExpiredGrantIsInactiveAndCannotBeRevoked) {
  ASSERT_TRUE(submit(state, owner, grant_to(pool, kNow + 10), {2, kNow}).ok());
  Grant g = *state.grant(1, pool.public_key);
  EXPECT_TRUE(state.grant_active(g, kNow + 9));
  EXPECT_FALSE(state.grant_active(g, kNow + 10));
  Status s = submit(state, owner, RevokeAccess{1, pool.public_key}, {3, kNow + 10});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("expired"), std::string::npos) << err(s);
}

TEST_F(GrantAccessTest, RevokeMarksTheGrantAndKeepsTheRecord) {
  ASSERT_TRUE(submit(state, owner, grant_to(pool), {2, kNow}).ok());
  ASSERT_TRUE(submit(state, owner, RevokeAccess{1, pool.public_key}, {3, kNow}).ok());
  auto g = state.grant(1, pool.public_key);
  ASSERT_TRUE(g.has_value());
  EXPECT_TRUE(g->revoked);
  EXPECT_EQ(g->revoked_height, 3u);
  EXPECT_FALSE(state.grant_active(*g, kNow));
  EXPECT_EQ(state.grants_to(pool.public_key).size(), 1u);
  // Revoking twice fails.
  Status s = submit(state, owner, RevokeAccess{1, pool.public_key}, {4, kNow});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("already revoked at height 3"), std::string::npos) << err(s);
}

TEST_F(GrantAccessTest, RevokeWithoutAGrantIsNotFound) {
  EXPECT_EQ(submit(state, owner, RevokeAccess{1, pool.public_key}).error().code,
            ErrorCode::kNotFound);
}

TEST_F(GrantAccessTest, RegrantAfterRevokeReplacesTheGrantAndReactivatesIt) {
  ASSERT_TRUE(submit(state, owner, grant_to(pool), {2, kNow}).ok());
  ASSERT_TRUE(submit(state, owner, RevokeAccess{1, pool.public_key}, {3, kNow}).ok());
  GrantAccess again = grant_to(pool, kNow + 100);
  again.purpose = "second round";
  ASSERT_TRUE(submit(state, owner, again, {5, kNow}).ok());
  Grant g = *state.grant(1, pool.public_key);
  EXPECT_FALSE(g.revoked);
  EXPECT_EQ(g.revoked_height, 0u);
  EXPECT_EQ(g.granted_height, 5u);
  EXPECT_EQ(g.purpose, "second round");
  EXPECT_EQ(g.sealed_key, again.sealed_key);
  EXPECT_TRUE(state.grant_active(g, kNow));
  EXPECT_EQ(state.grants_for_file(1).size(), 1u);
}

TEST_F(GrantAccessTest, GrantSurvivesCommitAndRebuildFromEntries) {
  ASSERT_TRUE(submit(state, owner, grant_to(pool, kNow + 5), {2, kNow}).ok());
  state.commit_block();
  State rebuilt = must(State::from_entries(state.chain_id(), state.entries()));
  EXPECT_EQ(rebuilt.state_hash(), state.state_hash());
  EXPECT_EQ(rebuilt.grant(1, pool.public_key), state.grant(1, pool.public_key));
  EXPECT_EQ(rebuilt.grants_to(pool.public_key).size(), 1u);
}

}  // namespace
}  // namespace datadao::ledger
