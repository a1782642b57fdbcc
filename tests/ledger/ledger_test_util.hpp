// Shared helpers for the ledger-core tests: deterministic keys, a genesis, and a tiny driver
// that signs transactions with the right nonce.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

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

inline State must(Result<State> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().to_string();
    std::abort();
  }
  return std::move(r).value();
}

// Signs with the account's next nonce (as the state sees it) and applies.
template <class P>
Status submit(State& s, const crypto::SigningKeyPair& k, const P& payload,
              BlockContext ctx = {1, 1'700'000'100}) {
  auto a = s.account(k.public_key);
  uint64_t nonce = a ? a->nonce + 1 : 1;
  return s.apply(make_tx(s.chain_id(), k, nonce, payload), ctx);
}

inline std::string err(const Status& s) { return s.ok() ? "ok" : s.error().to_string(); }

}  // namespace datadao::ledger::test

namespace datadao::ledger::test {
// Re-signs a hand-edited transaction with key_for(1) (the sender of the samples).
inline void must_sign(Transaction& tx) { sign(tx, key_for(1)); }
}  // namespace datadao::ledger::test
