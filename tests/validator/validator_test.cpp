// The pool validator end to end: an in-process node and API server on loopback, contributors
// sealing format-exact fixture exports into the node's vault and contributing them, and the
// validator scoring, refining and attesting them on the ledger.
#include "datadao/validator/validator.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <random>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/node.hpp"
#include "datadao/proof/normalize.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::validator {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr uint64_t kRewardPerPoint = 5;

wallet::Wallet make_wallet(const std::string& name) {
  return wallet::Wallet{name, crypto::SigningKeyPair::generate(), crypto::BoxKeyPair::generate(),
                        0};
}

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("datadao-validator-test-" + std::to_string(std::random_device{}()));
    paths_ = node::NodePaths{dir_ / "node"};
    node::NodeConfig cfg;
    cfg.chain_id = "test-chain";
    cfg.block_interval_ms = 5;
    ledger::Genesis g;
    g.chain_id = cfg.chain_id;
    g.timestamp = 1700000000;
    for (auto* w : {&validator_, &alice_, &bob_, &mallory_})
      g.allocations.push_back({w->account(), 1000});
    ASSERT_TRUE(node::init_node(paths_, cfg, g).ok());
    auto n = node::Node::open(paths_);
    ASSERT_TRUE(n.ok()) << n.error().message;
    node_ = std::move(n).value();
    node_->start();
    start_api(0);
    backend_ = std::make_unique<vault::HttpBackend>(url_);
  }
  void TearDown() override {
    api_.reset();
    node_.reset();
    fs::remove_all(dir_);
  }

  void start_api(int port) {
    api_ = std::make_unique<node::ApiServer>(*node_);
    ASSERT_TRUE(api_->start("127.0.0.1", port).ok());
    url_ = "http://127.0.0.1:" + std::to_string(api_->port());
  }

  template <class P>
  json submit(const wallet::Wallet& w, const P& payload) {
    node::NodeClient c(url_);
    auto nonce = c.next_nonce(w.account());
    EXPECT_TRUE(nonce.ok());
    auto out = c.submit(ledger::make_tx("test-chain", w.sign, *nonce, payload), true);
    EXPECT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ((*out)["status"], "included") << out->dump();
    return *out;
  }

  json get(const std::string& path) {
    node::NodeClient c(url_);
    auto j = c.get(path);
    EXPECT_TRUE(j.ok()) << path << ": " << j.error().message;
    return j.ok() ? *j : json::object();
  }

  uint64_t create_pool(const std::string& name, const std::string& source) {
    ledger::CreatePool p;
    p.name = name;
    p.source = source;
    p.validator = validator_.account();
    p.box_key = validator_.box.public_key;
    p.params.reward_per_point = kRewardPerPoint;
    p.params.quorum_bps = 5000;
    p.params.voting_period = 10;
    submit(validator_, p);
    return get("/v1/pools/" + name)["id"].get<uint64_t>();
  }

  // Seals `zip` into the node's vault as `w`, registers it and contributes it to the pool with
  // `handle` as the claim; returns the contribution id. `seal_to` overrides the pool key.
  uint64_t contribute(const wallet::Wallet& w, uint64_t pool, const std::string& source,
                      const std::string& zip, const std::string& handle,
                      const crypto::PublicKey* seal_to = nullptr) {
    auto sealed = vault::seal_bytes(crypto::as_bytes(zip), *backend_);
    EXPECT_TRUE(sealed.ok()) << sealed.error().message;
    return contribute_blob(w, pool, source, sealed->first, sealed->second, handle, seal_to);
  }

  uint64_t contribute_blob(const wallet::Wallet& w, uint64_t pool, const std::string& source,
                           const vault::BlobInfo& info, const crypto::SymmetricKey& key,
                           const std::string& handle, const crypto::PublicKey* seal_to = nullptr) {
    ledger::RegisterFile rf;
    rf.blob_hash = info.hash;
    rf.size = info.ciphertext_size;
    rf.source = source;
    rf.locator = backend_->locator(info.hash);
    submit(w, rf);
    uint64_t file_id = 0;
    const json files = get("/v1/files?owner=" + codec::to_hex(w.account()));
    for (const auto& f : files["files"]) {
      if (f["blob_hash"] == codec::to_hex(info.hash)) file_id = f["id"].get<uint64_t>();
    }
    EXPECT_NE(file_id, 0u);
    const crypto::PublicKey& box = seal_to != nullptr ? *seal_to : validator_.box.public_key;
    ledger::Contribute c;
    c.pool_id = pool;
    c.file_id = file_id;
    c.sealed_key = vault::share_key(key, box);
    c.sealed_claim = crypto::seal_to(box, crypto::as_bytes(handle));
    submit(w, c);
    uint64_t id = 0;
    const json mine = get("/v1/accounts/" + codec::to_hex(w.account()) + "/contributions");
    for (const auto& cj : mine["contributions"]) {
      if (cj["file_id"] == file_id && cj["pool_id"] == pool) id = cj["id"].get<uint64_t>();
    }
    EXPECT_NE(id, 0u);
    return id;
  }

  std::unique_ptr<Validator> open_validator(const std::string& pool) {
    auto v = Validator::open(validator_, url_, pool, *backend_);
    EXPECT_TRUE(v.ok()) << v.error().to_string();
    return v.ok() ? std::move(v).value() : nullptr;
  }

  RoundReport round(Validator& v) {
    auto r = v.run_once();
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    if (!r.ok()) return {};
    for (const auto& d : r->deferred) ADD_FAILURE() << "deferred: " << d.error.to_string();
    return std::move(r).value();
  }

  const AttestedContribution* find(const RoundReport& r, uint64_t id) {
    for (const auto& a : r.attested) {
      if (a.id == id) return &a;
    }
    ADD_FAILURE() << "contribution " << id << " was not attested";
    return nullptr;
  }

  uint64_t pool_tokens(uint64_t pool, const wallet::Wallet& w) {
    return get("/v1/pools/" + std::to_string(pool) + "/tokens/" +
               codec::to_hex(w.account()))["tokens"]
        .get<uint64_t>();
  }

  // The refined records of an attested contribution, opened with `box`.
  Result<std::string> refined_records(uint64_t contribution, const crypto::BoxKeyPair& box) {
    json att = get("/v1/contributions/" + std::to_string(contribution))["attestation"];
    auto sealed = codec::from_base64(att["refined_sealed_key"].get<std::string>(), "key");
    if (!sealed.ok()) return sealed.error();
    DD_ASSIGN(crypto::SymmetricKey key, vault::receive_key(box, *sealed));
    auto hash = codec::from_hex_fixed<32>(att["refined_blob_hash"].get<std::string>(), "hash");
    if (!hash.ok()) return hash.error();
    DD_ASSIGN(crypto::Bytes plain, vault::open_bytes(*backend_, *hash, key));
    return std::string(plain.begin(), plain.end());
  }

  static testkit::Fixture reddit(uint64_t seed, const std::string& user, size_t records,
                                std::vector<std::string> pii = {}) {
    testkit::FixtureOptions o;
    o.seed = seed;
    o.username = user;
    o.records = records;
    o.pii = std::move(pii);
    auto fx = testkit::make_reddit_export(o);
    EXPECT_TRUE(fx.ok());
    return std::move(fx).value();
  }

  fs::path dir_;
  node::NodePaths paths_;
  wallet::Wallet validator_ = make_wallet("validator");
  wallet::Wallet alice_ = make_wallet("alice");
  wallet::Wallet bob_ = make_wallet("bob");
  wallet::Wallet mallory_ = make_wallet("mallory");
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ApiServer> api_;
  std::unique_ptr<vault::HttpBackend> backend_;
  std::string url_;
};

TEST_F(ValidatorTest, ContributionIsAttestedWithScoresAndTokens) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  testkit::Fixture fx = reddit(1, "alice_r", 10);
  const uint64_t id = contribute(alice_, pool, "reddit", fx.zip, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  ASSERT_EQ(r.attested.size(), 1u);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  uint64_t expected_total = 0;
  for (const auto& [kind, n] : fx.by_kind) expected_total += n;
  EXPECT_EQ(a->contributor, codec::to_hex(alice_.account()));
  EXPECT_TRUE(a->authentic);
  EXPECT_TRUE(a->owned);
  EXPECT_EQ(a->records_total, expected_total);
  EXPECT_GT(a->accepted, 0u);
  EXPECT_LE(a->exact_duplicates + a->near_duplicates + a->low_quality + a->accepted,
            a->records_total);
  EXPECT_EQ(a->points, a->accepted);
  EXPECT_EQ(a->tokens, a->points * kRewardPerPoint);
  EXPECT_EQ(pool_tokens(pool, alice_), a->tokens);
  EXPECT_LE(a->note.size(), ledger::kMaxAttestNoteBytes);
  EXPECT_NE(a->note.find(std::to_string(a->accepted) + " accepted"), std::string::npos) << a->note;
  EXPECT_EQ(v->indexed_records(), a->accepted);
  // Nothing is pending any more: a second round does nothing.
  EXPECT_TRUE(round(*v).attested.empty());
}

TEST_F(ValidatorTest, ReuploadByAnotherWalletEarnsNothing) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  testkit::Fixture fx = reddit(2, "alice_r", 10);
  const uint64_t first = contribute(alice_, pool, "reddit", fx.zip, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  RoundReport r1 = round(*v);
  const AttestedContribution* a = find(r1, first);
  ASSERT_NE(a, nullptr);
  ASSERT_GT(a->points, 0u);
  // Bob uploads alice's export as his own, under a fresh key (so a different blob).
  const uint64_t copy = contribute(bob_, pool, "reddit", fx.zip, "bob_r");
  RoundReport r2 = round(*v);
  const AttestedContribution* b = find(r2, copy);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->points, 0u);
  EXPECT_EQ(b->tokens, 0u);
  EXPECT_EQ(pool_tokens(pool, bob_), 0u);
  // Even claiming alice's handle (owned by the export's identity) earns nothing: every record
  // she got accepted is now an exact duplicate.
  const uint64_t claim = contribute(mallory_, pool, "reddit", fx.zip, "alice_r");
  RoundReport r3 = round(*v);
  const AttestedContribution* m = find(r3, claim);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->points, 0u);
  EXPECT_EQ(m->accepted, 0u);
  EXPECT_GE(m->exact_duplicates, a->accepted);
  EXPECT_EQ(pool_tokens(pool, mallory_), 0u);
}

TEST_F(ValidatorTest, CopiedPostsWithSmallEditsEarnNothingForTheCopiedPart) {
  const uint64_t pool = create_pool("x-dao", "x");
  testkit::FixtureOptions ao;
  ao.seed = 9;
  ao.username = "alice_x";
  ao.records = 40;
  auto alice_fx = testkit::make_x_export(ao);
  ASSERT_TRUE(alice_fx.ok());
  // Near copies: alice's texts with a word added, kept only when still similar enough to count
  // (Jaccard of character 5-grams >= 0.85), plus one verbatim copy.
  std::vector<std::string> copied;
  for (const std::string& t : alice_fx->texts) {
    const std::string changed = t + " indeed";
    auto na = proof::normalize_text(t), nb = proof::normalize_text(changed);
    ASSERT_TRUE(na.ok() && nb.ok());
    if (proof::exact_jaccard(proof::shingles(*na), proof::shingles(*nb)) >= 0.85) {
      copied.push_back(changed);
    }
    if (copied.size() == 3) break;
  }
  ASSERT_EQ(copied.size(), 3u);
  copied.push_back(alice_fx->texts.back());
  const uint64_t first = contribute(alice_, pool, "x", alice_fx->zip, "alice_x");

  testkit::FixtureOptions bo;
  bo.seed = 10;
  bo.username = "bob_x";
  bo.records = 12;
  bo.copied_texts = copied;
  auto bob_fx = testkit::make_x_export(bo);
  ASSERT_TRUE(bob_fx.ok());
  const uint64_t second = contribute(bob_, pool, "x", bob_fx->zip, "bob_x");

  auto v = open_validator("x-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);  // in id order: alice's first, so bob's copies meet her texts
  ASSERT_NE(find(r, first), nullptr);
  const AttestedContribution* b = find(r, second);
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->owned);
  EXPECT_EQ(b->near_duplicates, 3u);
  EXPECT_EQ(b->exact_duplicates, 1u);
  EXPECT_EQ(b->accepted, b->records_total - 4 - b->low_quality);
  EXPECT_EQ(b->points, b->accepted);
  EXPECT_EQ(pool_tokens(pool, bob_), b->accepted * kRewardPerPoint);
}

TEST_F(ValidatorTest, RefinedBlobHoldsNoPlantedPiiAndOpensOnlyWithThePoolKey) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  const std::vector<std::string> pii = {"jane.doe@example.com", "+1 415 555 0132",
                                        "4111 1111 1111 1111",  "DE89 3704 0044 0532 0130 00",
                                        "192.168.20.77",        "u/alice_r"};
  testkit::Fixture fx = reddit(3, "alice_r", 12, pii);
  const uint64_t id = contribute(alice_, pool, "reddit", fx.zip, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  ASSERT_GT(a->points, 0u);

  auto refined = refined_records(id, validator_.box);
  ASSERT_TRUE(refined.ok()) << refined.error().to_string();
  EXPECT_EQ(static_cast<uint64_t>(std::count(refined->begin(), refined->end(), '\n')), a->accepted);
  // The planted strings did reach the export, and none reaches the refined records.
  size_t planted = 0;
  for (const auto& t : fx.texts) {
    for (const auto& p : pii) planted += t.find(p) != std::string::npos;
  }
  EXPECT_GE(planted, pii.size());
  for (const auto& p : pii) EXPECT_EQ(refined->find(p), std::string::npos) << p;
  EXPECT_EQ(refined->find("alice_r"), std::string::npos);  // the author is a pseudonym
  EXPECT_EQ(a->note.find("alice_r"), std::string::npos);

  // Nobody but the pool's box key opens it: not the contributor, not another wallet.
  for (const auto* w : {&alice_, &bob_}) {
    auto other = refined_records(id, w->box);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, ErrorCode::kUnauthenticated);
  }
}

TEST_F(ValidatorTest, SecondWalletClaimingAHandleIsNotOwner) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  const uint64_t first = contribute(alice_, pool, "reddit", reddit(4, "alice_r", 8).zip, "alice_r");
  // Mallory's export carries the same account name with different content (a forged or second
  // export): it passes the export-vs-claim check, but the handle already belongs to alice.
  const uint64_t second =
      contribute(mallory_, pool, "reddit", reddit(5, "alice_r", 8).zip, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, first);
  const AttestedContribution* m = find(r, second);
  ASSERT_TRUE(a && m);
  EXPECT_TRUE(a->owned);
  EXPECT_GT(a->points, 0u);
  EXPECT_FALSE(m->owned);
  EXPECT_TRUE(m->handle_conflict);
  EXPECT_EQ(m->points, 0u);
  EXPECT_EQ(pool_tokens(pool, mallory_), 0u);
  // Only the records the ledger counted are in the index.
  EXPECT_EQ(v->indexed_records(), a->accepted);
}

TEST_F(ValidatorTest, WrongWalletCannotValidate) {
  create_pool("reddit-dao", "reddit");
  auto as_bob = Validator::open(bob_, url_, "reddit-dao", *backend_);
  ASSERT_FALSE(as_bob.ok());
  EXPECT_EQ(as_bob.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(as_bob.error().message.find("not the validator"), std::string::npos);
  // The validator's signing key with another box key cannot read what is sealed to the pool.
  wallet::Wallet half = validator_;
  half.box = crypto::BoxKeyPair::generate();
  auto as_half = Validator::open(half, url_, "reddit-dao", *backend_);
  ASSERT_FALSE(as_half.ok());
  EXPECT_EQ(as_half.error().code, ErrorCode::kPermissionDenied);
  auto missing = Validator::open(validator_, url_, "no-such-pool", *backend_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(ValidatorTest, RestartRebuildsIndexAndStillCatchesDuplicates) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  testkit::Fixture fx = reddit(6, "alice_r", 10);
  const uint64_t first = contribute(alice_, pool, "reddit", fx.zip, "alice_r");
  uint64_t accepted = 0;
  {
    auto v = open_validator("reddit-dao");
    ASSERT_TRUE(v);
    RoundReport r = round(*v);
    const AttestedContribution* a = find(r, first);
    ASSERT_NE(a, nullptr);
    accepted = a->accepted;
    ASSERT_GT(accepted, 0u);
  }
  const uint64_t copy = contribute(bob_, pool, "reddit", fx.zip, "bob_r");
  auto restarted = open_validator("reddit-dao");
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->indexed_records(), accepted);
  RoundReport r = round(*restarted);
  const AttestedContribution* b = find(r, copy);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->points, 0u);
  EXPECT_EQ(b->accepted, 0u);
}

TEST_F(ValidatorTest, NodeDownLeavesContributionsPendingAndNoCrash) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  const uint64_t id = contribute(alice_, pool, "reddit", reddit(7, "alice_r", 6).zip, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  const int port = api_->port();
  api_.reset();  // the node keeps running; its API goes away
  auto down = v->run_once();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kIoError);
  start_api(port);
  EXPECT_FALSE(get("/v1/contributions/" + std::to_string(id))["attested"].get<bool>());
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  EXPECT_GT(a->points, 0u);
}

TEST_F(ValidatorTest, MissingBlobIsDeferredAndLeftPending) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  testkit::Fixture fx = reddit(8, "alice_r", 6);
  // Registered and contributed, but the ciphertext never reached the vault.
  const crypto::SymmetricKey key = crypto::random_key();
  auto blob = vault::encode_blob(crypto::as_bytes(fx.zip), key);
  ASSERT_TRUE(blob.ok());
  vault::BlobInfo info;
  info.hash = crypto::blake2b256(*blob);
  info.ciphertext_size = blob->size();
  const uint64_t id = contribute_blob(alice_, pool, "reddit", info, key, "alice_r");
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  auto r = v->run_once();
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->attested.empty());
  ASSERT_EQ(r->deferred.size(), 1u);
  EXPECT_EQ(r->deferred[0].id, id);
  EXPECT_EQ(r->deferred[0].error.code, ErrorCode::kNotFound);
  EXPECT_FALSE(get("/v1/contributions/" + std::to_string(id))["attested"].get<bool>());
  // Once the blob arrives, the next round attests it.
  ASSERT_TRUE(backend_->put_bytes(info.hash, *blob).ok());
  RoundReport again = round(*v);
  const AttestedContribution* a = find(again, id);
  ASSERT_NE(a, nullptr);
  EXPECT_GT(a->points, 0u);
}

TEST_F(ValidatorTest, KeyNotSealedToThePoolIsAttestedNotAuthentic) {
  const uint64_t pool = create_pool("reddit-dao", "reddit");
  const uint64_t id = contribute(alice_, pool, "reddit", reddit(9, "alice_r", 6).zip, "alice_r",
                                 &bob_.box.public_key);
  auto v = open_validator("reddit-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->authentic);
  EXPECT_EQ(a->points, 0u);
  EXPECT_EQ(a->note, "file key/claim not sealed to this pool");
}

// DECISION under test: Oura exports carry no account identity; the validator accepts them on
// the contributing wallet (owned = true with a tag derived from the account), so they earn.
TEST_F(ValidatorTest, OuraWithoutIdentityIsAccepted) {
  const uint64_t pool = create_pool("oura-dao", "oura");
  testkit::FixtureOptions o;
  o.seed = 11;
  o.records = 10;
  auto fx = testkit::make_oura_export(o);
  ASSERT_TRUE(fx.ok());
  EXPECT_TRUE(fx->account_identity.empty());
  const uint64_t id = contribute(alice_, pool, "oura", fx->zip, "alice");
  auto v = open_validator("oura-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->authentic);
  EXPECT_TRUE(a->owned);
  EXPECT_GT(a->points, 0u);
  EXPECT_NE(a->note.find("no account identity"), std::string::npos) << a->note;
  // The same days uploaded by another wallet are duplicates and earn nothing.
  const uint64_t copy = contribute(bob_, pool, "oura", fx->zip, "alice");
  RoundReport r2 = round(*v);
  const AttestedContribution* b = find(r2, copy);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->points, 0u);
  EXPECT_GT(b->exact_duplicates, 0u);
  // The claimed handle binds nothing for Oura: another wallet's own days under the same claim
  // still earn.
  o.seed = 12;
  auto own = testkit::make_oura_export(o);
  ASSERT_TRUE(own.ok());
  const uint64_t third = contribute(bob_, pool, "oura", own->zip, "alice");
  RoundReport r3 = round(*v);
  const AttestedContribution* c = find(r3, third);
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->handle_conflict);
  EXPECT_GT(c->points, 0u);
}

// Oura ownership rests on the wallet, so a re-upload of the same days is owned and earns nothing
// because every record is a duplicate, not because of ownership.
TEST_F(ValidatorTest, OuraReuploadIsOwnedButAllDuplicates) {
  const uint64_t pool = create_pool("oura-dao", "oura");
  testkit::FixtureOptions o;
  o.seed = 13;
  o.records = 8;
  auto fx = testkit::make_oura_export(o);
  ASSERT_TRUE(fx.ok());
  const uint64_t first = contribute(alice_, pool, "oura", fx->zip, "(no account)");
  auto v = open_validator("oura-dao");
  ASSERT_TRUE(v);
  RoundReport r1 = round(*v);
  const AttestedContribution* a = find(r1, first);
  ASSERT_NE(a, nullptr);
  ASSERT_GT(a->points, 0u);
  for (const wallet::Wallet* w : {&alice_, &bob_}) {
    const uint64_t again = contribute(*w, pool, "oura", fx->zip, "(no account)");
    RoundReport r = round(*v);
    const AttestedContribution* b = find(r, again);
    ASSERT_NE(b, nullptr) << w->name;
    EXPECT_TRUE(b->authentic) << w->name;
    EXPECT_TRUE(b->owned) << w->name;
    EXPECT_FALSE(b->handle_conflict) << w->name;
    EXPECT_EQ(b->accepted, 0u) << w->name;
    EXPECT_EQ(b->points, 0u) << w->name;
    EXPECT_EQ(b->exact_duplicates, a->accepted + a->exact_duplicates) << w->name;
    EXPECT_EQ(b->low_quality, a->low_quality) << w->name;
    EXPECT_NE(b->note.find("ownership rests on the contributing wallet"), std::string::npos)
        << b->note;
  }
  EXPECT_EQ(pool_tokens(pool, bob_), 0u);
}

TEST_F(ValidatorTest, NoteSaysOneExactDuplicateInTheSingular) {
  // X: every text is a tweet, so the planted duplicate cannot land in a low-quality record.
  const uint64_t pool = create_pool("x-dao", "x");
  testkit::FixtureOptions o;
  o.seed = 14;
  o.username = "alice_x";
  o.records = 10;
  o.duplicates = 1;
  auto fx = testkit::make_x_export(o);
  ASSERT_TRUE(fx.ok());
  const uint64_t id = contribute(alice_, pool, "x", fx->zip, "alice_x");
  auto v = open_validator("x-dao");
  ASSERT_TRUE(v);
  RoundReport r = round(*v);
  const AttestedContribution* a = find(r, id);
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->exact_duplicates, 1u) << a->note;
  EXPECT_NE(a->note.find(", 1 exact duplicate,"), std::string::npos) << a->note;
  EXPECT_EQ(a->note.find("1 exact duplicates"), std::string::npos) << a->note;
  EXPECT_NE(a->note.find(std::to_string(a->records_total) + " records:"), std::string::npos)
      << a->note;
}

TEST_F(ValidatorTest, PoolOfASourceWithoutImporterIsRefusedAtOpen) {
  create_pool("facebook-dao", "facebook");  // the ledger is generic and takes it
  auto v = Validator::open(validator_, url_, "facebook-dao", *backend_);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(v.error().message.find("'facebook', which no importer reads"), std::string::npos)
      << v.error().message;
  EXPECT_NE(v.error().message.find("reddit, x, spotify, oura"), std::string::npos)
      << v.error().message;
}

}  // namespace
}  // namespace datadao::validator
