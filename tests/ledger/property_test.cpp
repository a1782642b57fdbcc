// Property tests of the ledger core: tampering never yields a valid transaction, and the state
// hash is a deterministic function of the applied log.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

std::vector<Transaction> signed_samples() {
  auto k = key_for(1);
  GrantAccess g;
  g.file_id = 3;
  g.grantee = key_for(2).public_key;
  g.sealed_key = Bytes(kSealedFileKeyBytes, 0x5c);
  g.purpose = "research";
  g.expires_at = 99;
  return {make_tx(kChain, k, 1, Transfer{key_for(2).public_key, 1000}),
          make_tx(kChain, k, 2, RegisterFile{Hash32{1, 2, 3}, 4096, "spotify", "local://ab"}),
          make_tx(kChain, k, 3, g), make_tx(kChain, k, 4, RevokeAccess{3, key_for(2).public_key})};
}

TEST(Property, RandomByteFlipsNeverVerify) {
  std::mt19937_64 rng(20240601);
  size_t decoded = 0, rejected = 0;
  for (const Transaction& tx : signed_samples()) {
    const Bytes original = encode(tx);
    ASSERT_TRUE(verify_signature(tx));
    for (int iter = 0; iter < 1500; ++iter) {
      Bytes b = original;
      int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        size_t pos = rng() % b.size();
        b[pos] ^= static_cast<uint8_t>(1 + rng() % 255);  // never a no-op
      }
      if (b == original) continue;  // two flips cancelled out
      auto d = decode(crypto::as_bytes(b));
      if (!d.ok()) {
        ++rejected;
        continue;
      }
      ++decoded;
      ASSERT_NE(*d, tx);
      ASSERT_FALSE(verify_signature(*d)) << "a tampered transaction verified at iteration " << iter;
    }
  }
  // Both paths were exercised: structural rejection and signature rejection.
  EXPECT_GT(decoded, 1000u);
  EXPECT_GT(rejected, 100u);
}

// A random mix of valid and invalid transactions with commit_block at random points.
struct Step {
  Transaction tx;
  BlockContext ctx;
  bool ends_block = false;
};

TEST(Property, ReplayFromGenesisGivesSameStateHash) {
  std::vector<crypto::SigningKeyPair> keys;
  for (uint32_t i = 0; i < 8; ++i) keys.push_back(key_for(100 + i));
  Genesis genesis = test::make_genesis(
      {{&keys[0], 5000}, {&keys[1], 300}, {&keys[2], 1}, {&keys[3], 10'000}, {&keys[4], 42}});
  State state = must(State::from_genesis(genesis));
  std::map<Bytes, Bytes> db;  // what a store would hold after each commit
  for (auto& e : state.entries()) db[e.key] = *e.value;

  std::mt19937_64 rng(99);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<Step> applied;
  std::map<TxType, int> ok_by_type;
  size_t failures = 0;
  BlockContext ctx{1, 1'700'000'000};
  for (int i = 0; i < 700; ++i) {
    const int op = static_cast<int>(pick(4));
    const uint64_t file_id = 1 + pick(8);
    size_t sender_index = pick(keys.size());
    size_t other_index = pick(keys.size());
    // Grants and revocations mostly come from the file's owner, to reach the deeper rules.
    if (auto f = state.file(file_id); f && op >= 2 && pick(4) != 0) {
      for (size_t k = 0; k < keys.size(); ++k) {
        if (keys[k].public_key == f->owner) sender_index = k;
      }
      auto grants = state.grants_for_file(file_id);
      if (op == 3 && !grants.empty()) {
        const AccountId& g = grants[pick(grants.size())].grantee;
        for (size_t k = 0; k < keys.size(); ++k) {
          if (keys[k].public_key == g) other_index = k;
        }
      }
    }
    const auto& sender = keys[sender_index];
    const AccountId& other = keys[other_index].public_key;
    auto acct = state.account(sender.public_key);
    uint64_t nonce = (acct ? acct->nonce : 0) + 1;
    if (pick(10) == 0) nonce += pick(3) == 0 ? 0 : 1;  // sometimes replay or skip
    if (pick(12) == 0) nonce -= 1;
    Transaction tx;
    switch (op) {
      case 0:
        tx = make_tx(kChain, sender, nonce, Transfer{other, pick(400)});
        break;
      case 1: {
        Hash32 blob{};
        blob[0] = static_cast<uint8_t>(pick(6));
        tx = make_tx(kChain, sender, nonce,
                     RegisterFile{blob, pick(3), pick(8) ? "reddit" : "Bad Source", "l"});
        break;
      }
      case 2: {
        GrantAccess g;
        g.file_id = file_id;
        g.grantee = other;
        g.sealed_key = Bytes(pick(10) ? kSealedFileKeyBytes : 3, 0x11);
        g.purpose = "p" + std::to_string(pick(3));
        g.expires_at = pick(3) ? 0 : ctx.timestamp + pick(40) - 10;
        tx = make_tx(kChain, sender, nonce, g);
        break;
      }
      default:
        tx = make_tx(kChain, sender, nonce, RevokeAccess{file_id, other});
    }
    if (pick(40) == 0) tx = make_tx("wrong-chain", sender, nonce, Transfer{other, 1});
    if (pick(40) == 0) tx.signature[5] ^= 1;
    Status s = state.apply(tx, ctx);
    if (s.ok()) {
      applied.push_back({tx, ctx});
      ++ok_by_type[tx.type];
    } else {
      ++failures;
    }
    if (pick(8) == 0 || i == 699) {
      if (!applied.empty()) applied.back().ends_block = true;
      for (auto& e : state.commit_block()) {
        if (e.value) {
          db[e.key] = *e.value;
        } else {
          db.erase(e.key);
        }
      }
      ctx.height += 1;
      ctx.timestamp += pick(20);
    }
  }
  ASSERT_GT(failures, 50u);
  for (TxType t :
       {TxType::kTransfer, TxType::kRegisterFile, TxType::kGrantAccess, TxType::kRevokeAccess}) {
    EXPECT_GT(ok_by_type[t], 3) << "too few successful " << type_name(t);
  }

  // Replay the applied log with the same block boundaries.
  State replay = must(State::from_genesis(genesis));
  for (const Step& step : applied) {
    Status s = replay.apply(step.tx, step.ctx);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    if (step.ends_block) replay.commit_block();
  }
  replay.commit_block();
  EXPECT_EQ(replay.state_hash(), state.state_hash());

  // Replay in one block: same state, same hash (a function of the state, not of history).
  State one_block = must(State::from_genesis(genesis));
  for (const Step& step : applied) ASSERT_TRUE(one_block.apply(step.tx, step.ctx).ok());
  one_block.commit_block();
  EXPECT_EQ(one_block.state_hash(), state.state_hash());

  // Rebuilding from the persisted entries gives the same hash and the same entries.
  std::vector<StateEntry> persisted;
  for (auto& [k, v] : db) persisted.push_back({k, v});
  State reloaded = must(State::from_entries(kChain, persisted));
  EXPECT_EQ(reloaded.state_hash(), state.state_hash());
  EXPECT_EQ(reloaded.entries(), state.entries());
}

}  // namespace
}  // namespace datadao::ledger
