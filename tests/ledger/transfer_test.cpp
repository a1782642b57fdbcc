#include <gtest/gtest.h>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

class TransferTest : public ::testing::Test {
 protected:
  crypto::SigningKeyPair alice = key_for(1), bob = key_for(2), carol = key_for(3);
  State state = must(State::from_genesis(test::make_genesis({{&alice, 1000}, {&bob, 500}})));
};

TEST_F(TransferTest, MovesCreditsAndCreatesTheRecipient) {
  ASSERT_TRUE(submit(state, alice, Transfer{carol.public_key, 300}).ok());
  EXPECT_EQ(state.account(alice.public_key), (Account{700, 1}));
  EXPECT_EQ(state.account(carol.public_key), (Account{300, 0}));
  EXPECT_EQ(state.account_count(), 3u);
  // The new account can now send.
  ASSERT_TRUE(submit(state, carol, Transfer{bob.public_key, 100}).ok());
  EXPECT_EQ(state.account(bob.public_key), (Account{600, 0}));
  EXPECT_EQ(state.account(carol.public_key), (Account{200, 1}));
}

TEST_F(TransferTest, WholeBalanceCanBeSent) {
  ASSERT_TRUE(submit(state, bob, Transfer{alice.public_key, 500}).ok());
  EXPECT_EQ(state.account(bob.public_key), (Account{0, 1}));
}

TEST_F(TransferTest, InsufficientFundsNamesBalanceAndAmount) {
  Status s = submit(state, bob, Transfer{alice.public_key, 501});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("has 500 credits, transfer needs 501"), std::string::npos)
      << err(s);
  EXPECT_EQ(state.account(bob.public_key), (Account{500, 0}));
  EXPECT_EQ(state.account(alice.public_key), (Account{1000, 0}));
}

TEST_F(TransferTest, ZeroAmountIsRejected) {
  Status s = submit(state, alice, Transfer{bob.public_key, 0});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(state.account(alice.public_key)->nonce, 0u);
}

TEST_F(TransferTest, TransferToSelfIsRejected) {
  Status s = submit(state, alice, Transfer{alice.public_key, 1});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("to self"), std::string::npos);
  EXPECT_EQ(state.account(alice.public_key), (Account{1000, 0}));
}

TEST_F(TransferTest, RecipientOverflowIsRejected) {
  // Unreachable from a valid genesis (total supply fits u64), so build the state from entries.
  codec::Writer big, small, meta;
  big.u64(UINT64_MAX).u64(0);
  small.u64(10).u64(0);
  meta.u64(1);
  auto key = [](const AccountId& id) {
    Bytes k{0x01};
    k.insert(k.end(), id.begin(), id.end());
    return k;
  };
  Bytes meta_key{0x04};
  for (char c : std::string("next_file_id")) meta_key.push_back(static_cast<uint8_t>(c));
  State s = must(State::from_entries(kChain, {{key(alice.public_key), small.data()},
                                              {key(bob.public_key), big.data()},
                                              {meta_key, meta.data()}}));
  Status st = submit(s, alice, Transfer{bob.public_key, 1});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("overflow"), std::string::npos) << err(st);
  EXPECT_EQ(s.account(alice.public_key), (Account{10, 0}));
  EXPECT_TRUE(s.commit_block().empty());
}

TEST_F(TransferTest, CreditsAreConservedAcrossManyTransfers) {
  const crypto::SigningKeyPair* keys[] = {&alice, &bob, &carol};
  for (int i = 0; i < 60; ++i) {
    const auto& from = *keys[i % 3];
    const auto& to = *keys[(i + 1) % 3];
    (void)submit(state, from, Transfer{to.public_key, static_cast<uint64_t>(17 * i % 400 + 1)});
  }
  uint64_t total = 0;
  for (auto* k : keys) total += state.account(k->public_key).value_or(Account{}).credits;
  EXPECT_EQ(total, 1500u);
}

}  // namespace
}  // namespace datadao::ledger
