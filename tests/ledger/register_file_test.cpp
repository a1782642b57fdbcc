#include <gtest/gtest.h>

#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

class RegisterFileTest : public ::testing::Test {
 protected:
  crypto::SigningKeyPair alice = key_for(1), bob = key_for(2);
  State state = must(State::from_genesis(test::make_genesis({{&alice, 1000}, {&bob, 500}})));
  static Hash32 blob(uint8_t n) { return crypto::blake2b256(ByteView(&n, 1)); }
};

TEST_F(RegisterFileTest, AssignsSequentialIdsFromOneOwnedBySender) {
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(1), 100, "reddit", "local://a"}, {5, 0}).ok());
  ASSERT_TRUE(submit(state, bob, RegisterFile{blob(2), 200, "oura", ""}, {6, 0}).ok());
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(3), 300, "x_com-2", ""}, {6, 0}).ok());
  auto f1 = state.file(1);
  ASSERT_TRUE(f1.has_value());
  EXPECT_EQ(f1->owner, alice.public_key);
  EXPECT_EQ(f1->blob_hash, blob(1));
  EXPECT_EQ(f1->size, 100u);
  EXPECT_EQ(f1->source, "reddit");
  EXPECT_EQ(f1->locator, "local://a");
  EXPECT_EQ(f1->registered_height, 5u);
  EXPECT_EQ(state.file(2)->owner, bob.public_key);
  EXPECT_EQ(state.next_file_id(), 4u);
  auto owned = state.files_owned_by(alice.public_key);
  ASSERT_EQ(owned.size(), 2u);
  EXPECT_EQ(owned[0].id, 1u);
  EXPECT_EQ(owned[1].id, 3u);
}

TEST_F(RegisterFileTest, ZeroSizeIsRejected) {
  Status s = submit(state, alice, RegisterFile{blob(1), 0, "reddit", ""});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("size"), std::string::npos);
  EXPECT_EQ(state.next_file_id(), 1u);
}

TEST_F(RegisterFileTest, SourceMustMatchLowercaseAlnumDashUnderscore) {
  for (const std::string& bad :
       std::vector<std::string>{"", "Reddit", "red dit", "reddit.com", "é", std::string(33, 'a')}) {
    Status s = submit(state, alice, RegisterFile{blob(1), 1, bad, ""});
    EXPECT_FALSE(s.ok()) << "source '" << bad << "' accepted";
  }
  EXPECT_TRUE(submit(state, alice, RegisterFile{blob(1), 1, std::string(32, 'a'), ""}).ok());
  EXPECT_EQ(state.account(alice.public_key)->nonce, 1u);
}

TEST_F(RegisterFileTest, LocatorLongerThan512BytesIsRejected) {
  EXPECT_ERROR_CODE(submit(state, alice, RegisterFile{blob(1), 1, "a", std::string(513, 'l')}),
                    ErrorCode::kLimitExceeded);
  EXPECT_TRUE(submit(state, alice, RegisterFile{blob(1), 1, "a", std::string(512, 'l')}).ok());
}

TEST_F(RegisterFileTest, SameBlobTwiceBySameOwnerIsAlreadyExistsNamingTheFile) {
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(1), 1, "a", ""}).ok());
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(2), 1, "a", ""}).ok());
  Status s = submit(state, alice, RegisterFile{blob(2), 5, "b", "elsewhere"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(s.error().message.find("as file 2"), std::string::npos) << err(s);
  EXPECT_EQ(state.next_file_id(), 3u);
}

TEST_F(RegisterFileTest, DifferentOwnersMayRegisterTheSameBlob) {
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(1), 1, "a", ""}).ok());
  EXPECT_TRUE(submit(state, bob, RegisterFile{blob(1), 1, "a", ""}).ok());
}

TEST_F(RegisterFileTest, FileIdsSurviveCommitAndRebuildFromEntries) {
  ASSERT_TRUE(submit(state, alice, RegisterFile{blob(1), 1, "a", ""}).ok());
  state.commit_block();
  State rebuilt = must(State::from_entries(state.chain_id(), state.entries()));
  EXPECT_EQ(rebuilt.state_hash(), state.state_hash());
  ASSERT_TRUE(submit(rebuilt, bob, RegisterFile{blob(9), 1, "a", ""}).ok());
  EXPECT_EQ(rebuilt.file(2)->owner, bob.public_key);
  // The (owner, blob) index is rebuilt too.
  EXPECT_EQ(submit(rebuilt, alice, RegisterFile{blob(1), 1, "a", ""}).error().code,
            ErrorCode::kAlreadyExists);
}

}  // namespace
}  // namespace datadao::ledger
