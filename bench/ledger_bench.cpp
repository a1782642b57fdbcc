// Ledger throughput vs the Ed25519 verify bound, on one core.
//
// Anchor: libsodium crypto_sign_verify_detached over transaction-sized messages.
// Project: Chain::produce_block of pre-signed transfers (verify + apply + commit_block + one
// SQLite transaction per block, WAL, synchronous=FULL, database in /tmp), with a small state and
// with 1M accounts in state. Target: >= 0.5 of the verify-bound rate.
//
// UseModel: one state holding two published models, one owned by 1 holder and one by 140,000
// (built with AssignShares chunks of kMaxShareChunk), then `uses` UseModel transactions on each,
// in alternating batches of 10,000, applied with State::apply_verified (transactions built
// unsigned outside the timed region: this measures the state machine, not Ed25519). Prints
// ns/use for each model and their ratio (target < 2: a use is O(1) in the number of owners),
// then uses/s through State::apply (signature verified) over a smaller pre-signed set.
// commit_block() runs after each batch, outside the timed region.
//
// Usage: ledger_bench [accounts=1000000] [blocks=10] [txs_per_block=1000] [uses=1000000]
//                     [owners=140000]
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/state.hpp"

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

// ---- UseModel ------------------------------------------------------------------------------

void must_ok(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.error().to_string().c_str());
    std::exit(1);
  }
}

struct UseSetup {
  State state;
  crypto::SigningKeyPair validator;
  std::vector<crypto::SigningKeyPair> payers;
  std::vector<uint64_t> payer_nonce;
  uint64_t one_owner = 0;
  uint64_t many_owners = 0;
  uint64_t height = 1;
};

// Signs with the sender's next nonce and applies at `h`.
template <class P>
void apply_signed(State& s, const crypto::SigningKeyPair& k, const P& payload, uint64_t h,
                  const char* what) {
  auto a = s.account(k.public_key);
  must_ok(s.apply(make_tx(s.chain_id(), k, a ? a->nonce + 1 : 1, payload),
                  BlockContext{h, 1'700'000'000 + h}),
          what);
}

void end_blocks(State& s, uint64_t& height, uint64_t until) {
  for (; height <= until; ++height) {
    s.end_block(BlockContext{height, 1'700'000'000 + height});
    s.commit_block();
  }
}

// Pool 1 with one scored contribution by `alice`; models 1 and 2 trained on it through the
// normal transaction path; then `owners - 1` synthetic contributors are listed for model 2 by
// adding their 0x29 entries (model_state.hpp) and reloading with State::from_entries, which is
// what RecordTrainingSet would leave. Model 1: alice holds everything; model 2: `owners` holders.
UseSetup make_use_setup(size_t owners, size_t payers) {
  auto creator = crypto::SigningKeyPair::generate();
  auto validator = crypto::SigningKeyPair::generate();
  auto alice = crypto::SigningKeyPair::generate();
  auto dev = crypto::SigningKeyPair::generate();
  std::vector<crypto::SigningKeyPair> payer_keys;
  Genesis g;
  g.chain_id = kChainId;
  g.timestamp = 1'700'000'000;
  for (const auto* k : {&creator, &validator, &alice, &dev}) {
    g.allocations.emplace_back(k->public_key, 1'000'000);
  }
  for (size_t i = 0; i < payers; ++i) {
    payer_keys.push_back(crypto::SigningKeyPair::generate());
    g.allocations.emplace_back(payer_keys.back().public_key, 1'000'000'000'000);
  }
  auto st = State::from_genesis(g);
  must_ok(st.ok() ? Status::Ok() : Status(st.error()), "genesis");
  State s = std::move(st).value();
  uint64_t h = 1;
  apply_signed(s, creator,
               CreatePool{"p", "reddit", 1, validator.public_key,
                          crypto::BoxKeyPair::generate().public_key, PoolParams{5, 1, 2, true}},
               h, "create pool");
  RegisterFile rf;
  rf.blob_hash.fill(1);
  rf.size = 1;
  rf.source = "reddit";
  apply_signed(s, alice, rf, h, "register");
  apply_signed(s, alice, Contribute{1, 1, Bytes(kSealedFileKeyBytes, 1), Bytes(60, 2)}, h,
               "contribute");
  Attest at;
  at.contribution_id = 1;
  at.authentic = at.owned = true;
  at.handle_tag.fill(3);
  at.records_total = at.accepted = 4;
  at.refined_blob_hash.fill(4);
  at.refined_size = 10;
  at.refined_sealed_key = Bytes(kSealedFileKeyBytes, 5);
  apply_signed(s, validator, at, h, "attest");
  ProposeModel pm;
  pm.pools = {1};
  pm.kind = "text";
  pm.purpose = "research";
  pm.terms.price_per_call = 3;
  pm.terms.consent_blocks = 1;
  pm.developer_box_key.fill(9);
  for (uint64_t id : {1, 2}) {
    apply_signed(s, dev, pm, h, "propose");
    apply_signed(s, alice, ModelVote{id, 1, true}, h, "vote");
    apply_signed(s, alice, Consent{id, {1}, true}, h, "consent");
  }
  end_blocks(s, h, s.model(1)->vote_deadline);
  end_blocks(s, h, s.model(1)->consent_deadline);
  for (uint64_t id : {1, 2}) {
    apply_signed(s, validator, RecordTrainingSet{id, {1}}, h, "record training set");
  }
  s.commit_block();

  std::vector<StateEntry> entries = s.entries();
  std::vector<AccountId> synthetic;
  std::mt19937_64 rng(7);
  for (size_t i = 0; i + 1 < owners; ++i) {
    AccountId a;
    for (size_t j = 0; j < a.size(); j += 8) {
      const uint64_t r = rng();
      for (size_t b = 0; b < 8; ++b) a[j + b] = static_cast<uint8_t>(r >> (8 * b));
    }
    synthetic.push_back(a);
    Bytes key{0x29, 0, 0, 0, 0, 0, 0, 0, 2};  // 0x29 | model 2 (big-endian) | contributor
    key.insert(key.end(), a.begin(), a.end());
    codec::Writer w;
    w.u64(1);
    entries.push_back({std::move(key), w.take()});
  }
  auto reloaded = State::from_entries(kChainId, entries);
  must_ok(reloaded.ok() ? Status::Ok() : Status(reloaded.error()), "from_entries");
  s = std::move(reloaded).value();

  apply_signed(s, validator, AssignShares{1, {{alice.public_key, kShareSupply}}}, h, "assign");
  const uint64_t each = synthetic.empty() ? 0 : kShareSupply / (synthetic.size() + 1);
  for (size_t i = 0; i < synthetic.size(); i += kMaxShareChunk) {
    AssignShares chunk{2, {}};
    for (size_t j = i; j < std::min(synthetic.size(), i + kMaxShareChunk); ++j) {
      chunk.entries.push_back({synthetic[j], each});
    }
    apply_signed(s, validator, chunk, h, "assign chunk");
  }
  apply_signed(s, validator,
               AssignShares{2, {{alice.public_key, kShareSupply - each * synthetic.size()}}}, h,
               "assign rest");
  PublishModel pub;
  pub.weights_hash.fill(8);
  pub.weights_size = 10;
  pub.weights_sealed_key = Bytes(kSealedFileKeyBytes, 6);
  pub.training_set_size = 1;
  for (uint64_t id : {1, 2}) {
    pub.model_id = id;
    apply_signed(s, validator, pub, h, "publish");
  }
  end_blocks(s, h, h);
  UseSetup out{std::move(s), validator, std::move(payer_keys), {}, 1, 2, h};
  out.payer_nonce.assign(payers, 0);
  return out;
}

struct UseResult {
  double ns_one = 0;
  double ns_many = 0;
  double verified_uses_per_s = 0;
  size_t holders_one = 0;
  size_t holders_many = 0;
  double setup_s = 0;
};

UseResult run_uses(size_t uses, size_t owners) {
  constexpr size_t kPayers = 1000;
  constexpr size_t kBatch = 10'000;
  UseResult res;
  auto t_setup = Clock::now();
  UseSetup u = make_use_setup(owners, kPayers);
  res.setup_s = seconds_since(t_setup);
  res.holders_one = u.state.model(u.one_owner)->share_holders;
  res.holders_many = u.state.model(u.many_owners)->share_holders;
  const BlockContext ctx{u.height, 1'700'000'000 + u.height};

  // Unsigned transactions for apply_verified, built outside the timed region.
  size_t next_payer = 0;
  auto batch_for = [&](uint64_t model, size_t n) {
    std::vector<Transaction> txs(n);
    for (size_t i = 0; i < n; ++i) {
      const size_t p = next_payer++ % kPayers;
      Transaction& tx = txs[i];
      tx.chain_id = kChainId;
      tx.sender = u.payers[p].public_key;
      tx.nonce = ++u.payer_nonce[p];
      tx.type = TxType::kUseModel;
      Hash32 request{};
      for (size_t b = 0; b < 8; ++b) request[b] = static_cast<uint8_t>(tx.nonce >> (8 * b));
      tx.payload = encode_payload(UseModel{model, request});
    }
    return txs;
  };
  double t_one = 0, t_many = 0;
  for (size_t done = 0; done < uses; done += kBatch) {
    const size_t n = std::min(kBatch, uses - done);
    for (uint64_t model : {u.one_owner, u.many_owners}) {
      std::vector<Transaction> txs = batch_for(model, n);
      auto t0 = Clock::now();
      for (const Transaction& tx : txs) must_ok(u.state.apply_verified(tx, ctx), "use_model");
      (model == u.one_owner ? t_one : t_many) += seconds_since(t0);
      u.state.commit_block();
    }
  }
  res.ns_one = 1e9 * t_one / static_cast<double>(uses);
  res.ns_many = 1e9 * t_many / static_cast<double>(uses);

  // Signed, through State::apply (verifies each signature).
  const size_t signed_uses = std::min<size_t>(uses, 20'000);
  std::vector<Transaction> txs;
  txs.reserve(signed_uses);
  for (size_t i = 0; i < signed_uses; ++i) {
    const size_t p = i % kPayers;
    Hash32 request{};
    request[0] = static_cast<uint8_t>(i);
    txs.push_back(make_tx(kChainId, u.payers[p], ++u.payer_nonce[p],
                          UseModel{i % 2 ? u.many_owners : u.one_owner, request}));
  }
  auto t0 = Clock::now();
  for (const Transaction& tx : txs) must_ok(u.state.apply(tx, ctx), "signed use_model");
  res.verified_uses_per_s = static_cast<double>(signed_uses) / seconds_since(t0);
  u.state.commit_block();
  const Model one = *u.state.model(u.one_owner), many = *u.state.model(u.many_owners);
  if (one.uses != many.uses || one.rewards_paid != 3 * one.uses) {
    std::fprintf(stderr, "use counts disagree: %llu vs %llu\n",
                 static_cast<unsigned long long>(one.uses),
                 static_cast<unsigned long long>(many.uses));
    std::exit(1);
  }
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  size_t big = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  size_t blocks = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10;
  size_t per_block = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000;
  size_t uses = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1'000'000;
  size_t owners = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 140'000;
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

  if (uses == 0) return 0;
  UseResult ur = run_uses(uses, std::max<size_t>(owners, 1));
  std::printf(
      "\nUseModel: %zu uses per model in alternating batches of 10,000, State::apply_verified of "
      "pre-built unsigned txs (commit_block between batches, untimed); setup %.1f s\n\n",
      uses, ur.setup_s);
  std::printf("%-52s %12s %12s\n", "measure", "ns/use", "uses/s");
  auto use_row = [](const std::string& name, double ns) {
    std::printf("%-52s %12.0f %12.0f\n", name.c_str(), ns, 1e9 / ns);
  };
  use_row("anchor: model with " + std::to_string(ur.holders_one) + " holder", ur.ns_one);
  use_row("model with " + std::to_string(ur.holders_many) + " holders", ur.ns_many);
  std::printf("%-52s %12.2f   (target < 2)\n", "ratio many / one", ur.ns_many / ur.ns_one);
  std::printf("%-52s %12s %12.0f\n", "State::apply incl. Ed25519 verify (20,000 signed)", "-",
              ur.verified_uses_per_s);
  return 0;
}
