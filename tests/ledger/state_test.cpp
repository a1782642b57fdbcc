#include "datadao/ledger/state.hpp"

#include <gtest/gtest.h>

#include <map>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

class StateTest : public ::testing::Test {
 protected:
  crypto::SigningKeyPair alice = key_for(1), bob = key_for(2), carol = key_for(3);
  State state = must(State::from_genesis(test::make_genesis({{&alice, 1000}, {&bob, 500}})));
  BlockContext ctx{1, 1'700'000'100};
};

TEST_F(StateTest, GenesisCreditsTheAllocationsWithNonceZero) {
  EXPECT_EQ(state.account(alice.public_key), (Account{1000, 0}));
  EXPECT_EQ(state.account(bob.public_key), (Account{500, 0}));
  EXPECT_FALSE(state.account(carol.public_key).has_value());
  EXPECT_EQ(state.account_count(), 2u);
  EXPECT_EQ(state.chain_id(), kChain);
}

TEST(Genesis, EncodingRoundTripsAndEveryPrefixIsRejected) {
  auto a = key_for(1), b = key_for(2);
  Genesis g = test::make_genesis({{&a, 10}, {&b, 20}});
  Bytes bytes = encode(g);
  auto back = decode_genesis(crypto::as_bytes(bytes));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->chain_id, g.chain_id);
  EXPECT_EQ(back->timestamp, g.timestamp);
  EXPECT_EQ(back->allocations, g.allocations);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode_genesis(ByteView(bytes.data(), n)).ok()) << n;
  }
  bytes.push_back(0);
  EXPECT_ERROR_CODE(decode_genesis(crypto::as_bytes(bytes)), ErrorCode::kInvalidArgument);
}

TEST(Genesis, DuplicateZeroAndOverflowingAllocationsAreRejected) {
  auto a = key_for(1), b = key_for(2);
  Genesis dup = test::make_genesis({{&a, 10}, {&a, 20}});
  EXPECT_FALSE(State::from_genesis(dup).ok());
  auto r = decode_genesis(crypto::as_bytes(encode(dup)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("allocated twice"), std::string::npos);
  EXPECT_ERROR_CODE(State::from_genesis(test::make_genesis({{&a, 0}})),
                    ErrorCode::kInvalidArgument);
  Genesis overflow = test::make_genesis({{&a, UINT64_MAX}, {&b, 1}});
  auto o = State::from_genesis(overflow);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.error().message.find("overflow"), std::string::npos);
  EXPECT_ERROR_CODE(State::from_genesis(test::make_genesis({{&a, 1}}, "")),
                    ErrorCode::kInvalidArgument);
}

TEST(Genesis, HugeAllocationCountIsRejectedWithoutAllocating) {
  codec::Writer w;
  w.fixed(crypto::as_bytes("datadao/genesis/v1")).str(kChain).u64(0).u32(0xffffffffu);
  auto r = decode_genesis(crypto::as_bytes(w.data()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST_F(StateTest, WrongChainIdIsRejected) {
  Hash32 before = state.state_hash();
  Transaction tx = make_tx("other-chain", alice, 1, Transfer{bob.public_key, 1});
  Status s = state.apply(tx, ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("chain id 'other-chain' but this chain is 'datadao-test'"),
            std::string::npos)
      << err(s);
  EXPECT_TRUE(state.commit_block().empty());
  EXPECT_EQ(state.state_hash(), before);
}

TEST_F(StateTest, ReplayedNonceIsRejectedWithNoStateChange) {
  Transaction tx = make_tx(kChain, alice, 1, Transfer{bob.public_key, 10});
  ASSERT_TRUE(state.apply(tx, ctx).ok());
  state.commit_block();
  Hash32 after_first = state.state_hash();
  Status s = state.apply(tx, ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(
      s.error().message.find("nonce 1 but account " + short_hex(alice.public_key) + " expects 2"),
      std::string::npos)
      << err(s);
  EXPECT_NE(s.error().message.find("tx " + short_hex(tx_id(tx))), std::string::npos);
  EXPECT_EQ(state.account(alice.public_key), (Account{990, 1}));
  EXPECT_TRUE(state.commit_block().empty());
  EXPECT_EQ(state.state_hash(), after_first);
}

TEST_F(StateTest, SkippedNonceIsRejectedWithNoStateChange) {
  Status s = state.apply(make_tx(kChain, alice, 2, Transfer{bob.public_key, 10}), ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("nonce 2 but account"), std::string::npos) << err(s);
  EXPECT_EQ(state.account(alice.public_key), (Account{1000, 0}));
  EXPECT_TRUE(state.commit_block().empty());
}

TEST_F(StateTest, UnknownSenderIsRejected) {
  Status s = state.apply(make_tx(kChain, carol, 1, Transfer{bob.public_key, 1}), ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("has no credits; receive a transfer first"), std::string::npos);
  EXPECT_FALSE(state.account(carol.public_key).has_value());
}

TEST_F(StateTest, ForgedSignatureIsRejected) {
  Transaction tx = make_tx(kChain, alice, 1, Transfer{carol.public_key, 100});
  tx.payload[32] ^= 0x01;  // amount changed after signing
  Status s = state.apply(tx, ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
  Transaction stolen = make_tx(kChain, bob, 1, Transfer{carol.public_key, 100});
  stolen.sender = alice.public_key;  // bob's signature on alice's account
  EXPECT_EQ(state.apply(stolen, ctx).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(state.commit_block().empty());
}

TEST_F(StateTest, FailedTxLeavesNoTraceInCommitEntries) {
  ASSERT_TRUE(submit(state, alice, Transfer{carol.public_key, 5}, ctx).ok());
  // Fails inside the type's rules after the nonce was bumped: must be fully undone.
  EXPECT_ERROR_CODE(submit(state, bob, Transfer{carol.public_key, 501}, ctx),
                    ErrorCode::kFailedPrecondition);
  EXPECT_ERROR_CODE(submit(state, bob, RevokeAccess{1, carol.public_key}, ctx),
                    ErrorCode::kNotFound);
  EXPECT_EQ(state.account(bob.public_key), (Account{500, 0}));
  std::vector<StateEntry> entries = state.commit_block();
  ASSERT_EQ(entries.size(), 2u);  // alice and carol only
  for (const StateEntry& e : entries) {
    ASSERT_EQ(e.key.size(), 33u);
    AccountId id;
    std::copy(e.key.begin() + 1, e.key.end(), id.begin());
    EXPECT_NE(id, bob.public_key);
  }
}

TEST_F(StateTest, CommitReturnsEachChangedKeyOnceSortedWithItsFinalValue) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(submit(state, alice, Transfer{bob.public_key, 1}, ctx).ok());
  std::vector<StateEntry> entries = state.commit_block();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_LT(entries[0].key, entries[1].key);
  std::map<Bytes, std::optional<Bytes>> by_key;
  for (auto& e : entries) by_key[e.key] = e.value;
  State rebuilt = must(State::from_entries(kChain, state.entries()));
  EXPECT_EQ(rebuilt.account(alice.public_key), (Account{997, 3}));
  EXPECT_EQ(rebuilt.account(bob.public_key), (Account{503, 0}));
}

TEST_F(StateTest, RollbackBlockRestoresTheLastCommit) {
  ASSERT_TRUE(submit(state, alice, Transfer{bob.public_key, 1}, ctx).ok());
  state.commit_block();
  Hash32 committed = state.state_hash();
  std::vector<StateEntry> snapshot = state.entries();
  ASSERT_TRUE(submit(state, alice, Transfer{carol.public_key, 100}, ctx).ok());
  ASSERT_TRUE(submit(state, carol, RegisterFile{Hash32{1}, 10, "oura", "x"}, ctx).ok());
  ASSERT_TRUE(
      submit(state, carol, GrantAccess{1, bob.public_key, {}, Bytes(80, 1), "p", 0}, ctx).ok());
  state.rollback_block();
  EXPECT_EQ(state.entries(), snapshot);
  EXPECT_FALSE(state.account(carol.public_key).has_value());
  EXPECT_FALSE(state.file(1).has_value());
  EXPECT_TRUE(state.grants_to(bob.public_key).empty());
  EXPECT_EQ(state.next_file_id(), 1u);
  EXPECT_TRUE(state.commit_block().empty());
  EXPECT_EQ(state.state_hash(), committed);
  // The same transactions can then be applied again.
  EXPECT_TRUE(submit(state, alice, Transfer{carol.public_key, 100}, ctx).ok());
}

TEST_F(StateTest, StateHashIsAFunctionOfStateNotHistory) {
  // History 1: alice -> bob 10 then bob -> alice 4, in two blocks.
  State a = must(State::from_genesis(test::make_genesis({{&alice, 1000}, {&bob, 500}})));
  State b = must(State::from_genesis(test::make_genesis({{&alice, 1000}, {&bob, 500}})));
  ASSERT_TRUE(submit(a, alice, Transfer{bob.public_key, 10}).ok());
  a.commit_block();
  ASSERT_TRUE(submit(a, bob, Transfer{alice.public_key, 4}).ok());
  a.commit_block();
  // History 2: the other order, one block, and a failed tx in between.
  ASSERT_TRUE(submit(b, bob, Transfer{alice.public_key, 4}).ok());
  EXPECT_ERROR_CODE(submit(b, bob, Transfer{alice.public_key, 10'000}),
                    ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(submit(b, alice, Transfer{bob.public_key, 10}).ok());
  b.commit_block();
  EXPECT_EQ(a.entries(), b.entries());
  EXPECT_EQ(a.state_hash(), b.state_hash());
  // A state rebuilt from its entries has the same hash.
  EXPECT_EQ(must(State::from_entries(kChain, a.entries())).state_hash(), a.state_hash());
  // A different state has a different hash.
  ASSERT_TRUE(submit(b, alice, Transfer{bob.public_key, 1}).ok());
  b.commit_block();
  EXPECT_NE(a.state_hash(), b.state_hash());
  // The same entries under another chain id hash differently.
  EXPECT_NE(must(State::from_entries("other", a.entries())).state_hash(), a.state_hash());
}

TEST_F(StateTest, StateHashChangesOnlyAtCommit) {
  Hash32 h0 = state.state_hash();
  ASSERT_TRUE(submit(state, alice, Transfer{bob.public_key, 10}, ctx).ok());
  EXPECT_EQ(state.state_hash(), h0);
  state.commit_block();
  EXPECT_NE(state.state_hash(), h0);
}

TEST_F(StateTest, FromEntriesRejectsCorruptEntries) {
  auto entries = state.entries();
  auto with = [&](auto mutate) {
    auto e = entries;
    mutate(e);
    return State::from_entries(kChain, e);
  };
  EXPECT_EQ(with([](auto& e) { e.push_back(e[0]); }).error().code, ErrorCode::kCorruption);
  EXPECT_EQ(with([](auto& e) { e[0].value->push_back(0); }).error().code, ErrorCode::kCorruption);
  EXPECT_EQ(with([](auto& e) { e[0].key[0] = 0x7f; }).error().code, ErrorCode::kCorruption);
  EXPECT_EQ(with([](auto& e) { e[0].value.reset(); }).error().code, ErrorCode::kCorruption);
  EXPECT_EQ(with([](auto& e) { e.pop_back(); }).error().code, ErrorCode::kCorruption);  // meta
  // Any order is fine.
  auto reversed = entries;
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(must(State::from_entries(kChain, reversed)).state_hash(), state.state_hash());
}

TEST(StateScale, HundredThousandAccountsBuildAndRoundTripThroughEntries) {
  Genesis g;
  g.chain_id = kChain;
  g.allocations.reserve(100'000);
  for (uint32_t i = 0; i < 100'000; ++i) {
    AccountId id{};
    for (int b = 0; b < 4; ++b) id[b] = static_cast<uint8_t>(i >> (8 * b));
    id[31] = 1;
    g.allocations.emplace_back(id, 1 + i);
  }
  auto sender = key_for(1);
  g.allocations.emplace_back(sender.public_key, 1'000'000);
  State s = must(State::from_genesis(g));
  EXPECT_EQ(s.account_count(), 100'001u);
  ASSERT_TRUE(submit(s, sender, Transfer{g.allocations[5].first, 7}).ok());
  EXPECT_EQ(s.commit_block().size(), 2u);
  EXPECT_EQ(s.account(g.allocations[5].first)->credits, 6u + 7u);
  State rebuilt = must(State::from_entries(kChain, s.entries()));
  EXPECT_EQ(rebuilt.state_hash(), s.state_hash());
  EXPECT_EQ(rebuilt.account_count(), 100'001u);
}

}  // namespace
}  // namespace datadao::ledger
