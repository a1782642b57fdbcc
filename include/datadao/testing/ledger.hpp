// Shared helpers for the ledger-core tests: deterministic keys, a genesis, and a tiny driver
// that signs transactions with the right nonce.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/testing/assertions.hpp"

namespace datadao::ledger::test {

inline const std::string kChain = "datadao-test";

inline crypto::SigningKeyPair key_for(uint32_t n) {
  std::array<uint8_t, 32> seed{};
  for (int i = 0; i < 4; ++i) seed[i] = static_cast<uint8_t>(n >> (8 * i));
  seed[31] = 0x5a;
  return crypto::SigningKeyPair::from_seed(crypto::as_bytes(seed));
}

inline Genesis make_genesis(
    const std::vector<std::pair<const crypto::SigningKeyPair*, uint64_t>>& a,
    std::string chain = kChain) {
  Genesis g;
  g.chain_id = std::move(chain);
  g.timestamp = 1'700'000'000;
  for (const auto& [k, credits] : a) g.allocations.emplace_back(k->public_key, credits);
  return g;
}

using testkit::must;

// Signs with the account's next nonce (as the state sees it) and applies.
template <class P>
Status submit(State& s, const crypto::SigningKeyPair& k, const P& payload,
              BlockContext ctx = {1, 1'700'000'100}) {
  auto a = s.account(k.public_key);
  uint64_t nonce = a ? a->nonce + 1 : 1;
  return s.apply(make_tx(s.chain_id(), k, nonce, payload), ctx);
}

inline std::string err(const Status& s) { return s.ok() ? "ok" : s.error().to_string(); }

// The first three blocks of a chain with one scoring contribution: `creator` creates pool 1 for
// reddit validated by `val` and `alice` registers file 1; alice contributes it (contribution 1);
// val attests 4 accepted records. Nonces: creator 1, alice 1..2, val 1.
inline std::vector<std::vector<Transaction>> scored_contribution_blocks(
    const std::string& chain, const crypto::SigningKeyPair& creator,
    const crypto::SigningKeyPair& val, const crypto::SigningKeyPair& alice, PoolParams params) {
  CreatePool cp{"p",   "reddit", 1, val.public_key, crypto::BoxKeyPair::generate().public_key,
                params};
  RegisterFile rf;
  rf.blob_hash.fill(1);
  rf.size = 1;
  rf.source = "reddit";
  Contribute ct{1, 1, Bytes(kSealedFileKeyBytes, 1), Bytes(60, 2)};
  Attest at;
  at.contribution_id = 1;
  at.authentic = at.owned = true;
  at.handle_tag.fill(3);
  at.records_total = at.accepted = 4;
  at.refined_blob_hash.fill(4);
  at.refined_size = 10;
  at.refined_sealed_key = Bytes(kSealedFileKeyBytes, 5);
  return {{make_tx(chain, creator, 1, cp), make_tx(chain, alice, 1, rf)},
          {make_tx(chain, alice, 2, ct)},
          {make_tx(chain, val, 1, at)}};
}

// Produces each block on `a` (every transaction must apply) and applies it on `b`.
inline void produce_and_replay(Chain& a, Chain& b,
                               const std::vector<std::vector<Transaction>>& blocks,
                               const crypto::SigningKeyPair& op, uint64_t timestamp) {
  for (const auto& txs : blocks) {
    auto r = a.produce_block(txs, ++timestamp, op);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_TRUE(r->produced());
    ASSERT_TRUE(r->rejected.empty()) << r->rejected[0].second.to_string();
    auto blk = a.block(r->header.header.height);
    ASSERT_TRUE(blk.ok());
    ASSERT_TRUE(b.apply_block(*blk).ok());
  }
}

}  // namespace datadao::ledger::test

namespace datadao::ledger::test {
// Re-signs a hand-edited transaction with key_for(1) (the sender of the samples).
inline void must_sign(Transaction& tx) { sign(tx, key_for(1)); }

// Whether a status is an error whose message mentions text.
inline bool has(const Status& s, std::string_view text) {
  return !s.ok() && s.error().message.find(text) != std::string::npos;
}
}  // namespace datadao::ledger::test
