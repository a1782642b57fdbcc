// Ledger throughput vs the Ed25519 verify bound, on one core.
//
// Anchor: libsodium crypto_sign_verify_detached over transaction-sized messages.
// Project: Chain::produce_block of pre-signed transfers (verify + apply + commit_block + one
// SQLite transaction per block, WAL, synchronous=FULL, database in /tmp), with a small state and
// with 1M accounts in state. Target: >= 0.5 of the verify-bound rate.
//
// Usage: ledger_bench [accounts=1000000] [blocks=10] [txs_per_block=1000]
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "datadao/ledger/chain.hpp"

using namespace datadao;
using namespace datadao::ledger;
using Clock = std::chrono::steady_clock;

namespace {

constexpr char kChainId[] = "datadao-bench";
constexpr size_t kSenders = 1000;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double verify_rate(size_t n) {
  auto key = crypto::SigningKeyPair::generate();
  std::vector<Bytes> msgs(n);
  std::vector<crypto::Signature> sigs(n);
  for (size_t i = 0; i < n; ++i) {
    msgs[i].resize(120);  // about the size of a transfer's signing bytes
    crypto::random_bytes(msgs[i]);
    sigs[i] = crypto::sign(key, msgs[i]);
  }
  size_t ok = 0;
  auto t0 = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    ok += crypto_sign_verify_detached(sigs[i].data(), msgs[i].data(), msgs[i].size(),
                                      key.public_key.data()) == 0;
  }
  double s = seconds_since(t0);
  if (ok != n) std::abort();
  return static_cast<double>(n) / s;
}

struct RunResult {
  double setup_s = 0;
  double tx_per_s = 0;
  double ms_per_block = 0;
  size_t accounts = 0;
};

RunResult run_chain(size_t accounts, size_t blocks, size_t per_block) {
  RunResult res;
  const auto dir = std::filesystem::temp_directory_path() / "datadao_ledger_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  auto t_setup = Clock::now();
  std::vector<crypto::SigningKeyPair> senders;
  for (size_t i = 0; i < kSenders; ++i) senders.push_back(crypto::SigningKeyPair::generate());
  Genesis g;
  g.chain_id = kChainId;
  g.timestamp = 1'700'000'000;
  g.allocations.reserve(accounts);
  for (const auto& k : senders) g.allocations.emplace_back(k.public_key, 1'000'000'000'000);
  // The other accounts only receive: random ids are enough (no key needed).
  std::mt19937_64 rng(42);
  while (g.allocations.size() < accounts) {
    AccountId id;
    for (size_t j = 0; j < id.size(); j += 8) {
      uint64_t r = rng();
      for (size_t b = 0; b < 8; ++b) id[j + b] = static_cast<uint8_t>(r >> (8 * b));
    }
    g.allocations.emplace_back(id, 1);
  }
  auto op = crypto::SigningKeyPair::generate();
  auto chain = Chain::create(dir / "chain.db", g, op);
  if (!chain.ok()) {
    std::fprintf(stderr, "create: %s\n", chain.error().to_string().c_str());
    std::exit(1);
  }
  res.setup_s = seconds_since(t_setup);
  res.accounts = (*chain)->state().account_count();

  // Pre-sign every block (signing is the clients' work, not the node's).
  std::vector<std::vector<Transaction>> work(blocks);
  std::vector<uint64_t> nonce(kSenders, 0);
  for (size_t b = 0; b < blocks; ++b) {
    for (size_t i = 0; i < per_block; ++i) {
      size_t s = (b * per_block + i) % kSenders;
      const AccountId& to = g.allocations[rng() % g.allocations.size()].first;
      if (to == senders[s].public_key) continue;
      work[b].push_back(make_tx(kChainId, senders[s], ++nonce[s], Transfer{to, 1 + rng() % 100}));
    }
  }

  size_t total = 0;
  auto t0 = Clock::now();
  for (size_t b = 0; b < blocks; ++b) {
    auto r = (*chain)->produce_block(work[b], g.timestamp + b + 1, op);
    if (!r.ok() || !r->rejected.empty()) {
      std::fprintf(
          stderr, "block %zu: %s\n", b,
          r.ok() ? r->rejected[0].second.to_string().c_str() : r.error().to_string().c_str());
      std::exit(1);
    }
    total += r->included.size();
  }
  double s = seconds_since(t0);
  res.tx_per_s = static_cast<double>(total) / s;
  res.ms_per_block = 1000.0 * s / static_cast<double>(blocks);
  chain->reset();
  std::filesystem::remove_all(dir);
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  size_t big = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  size_t blocks = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10;
  size_t per_block = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000;
  crypto::init();

  double verify = verify_rate(20'000);
  RunResult small = run_chain(kSenders, blocks, per_block);
  RunResult large = run_chain(big, blocks, per_block);

  std::printf(
      "ledger_bench: one thread; %zu blocks of %zu signed transfers; SQLite WAL, "
      "synchronous=FULL, in %s\n\n",
      blocks, per_block, std::filesystem::temp_directory_path().c_str());
  std::printf("%-52s %12s %10s %12s %10s\n", "measure", "tx/s", "vs verify", "ms/block", "setup s");
  std::printf("%-52s %12.0f %10.2f %12s %10s\n", "anchor: libsodium crypto_sign_verify_detached",
              verify, 1.0, "-", "-");
  auto row = [&](const RunResult& r) {
    std::string name = "Chain::produce_block, " + std::to_string(r.accounts) + " accounts";
    std::printf("%-52s %12.0f %10.2f %12.1f %10.1f\n", name.c_str(), r.tx_per_s,
                r.tx_per_s / verify, r.ms_per_block, r.setup_s);
  };
  row(small);
  row(large);
  std::printf("\ntarget: >= 0.50 of the verify-bound rate\n");
  return 0;
}
