// The ledger state the model tests start from: a pool with a validator, funded developer and
// contributors, and helpers that propose, vote, consent and list (model_test.cpp and
// model_consent_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger::model_test {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

constexpr uint64_t kCredits = 1000;
constexpr uint64_t kFee = 100;

class ModelTest : public ::testing::Test {
 protected:
  ModelTest() : s_(must(State::from_genesis(genesis()))) {
    EXPECT_TRUE(submit(s_, creator_, pool_spec("reddit-dao", "reddit", validator_)).ok());
    EXPECT_TRUE(submit(s_, creator_, pool_spec("oura-dao", "oura", validator2_)).ok());
  }

  Genesis genesis() {
    std::vector<std::pair<const crypto::SigningKeyPair*, uint64_t>> a;
    for (const auto* k : everyone()) a.emplace_back(k, kCredits);
    return test::make_genesis(a);
  }
  std::vector<const crypto::SigningKeyPair*> everyone() {
    return {&creator_, &validator_, &validator2_, &dev_, &alice_, &bob_, &carol_, &eve_};
  }
  CreatePool pool_spec(std::string name, std::string source, const crypto::SigningKeyPair& val) {
    return CreatePool{std::move(name), std::move(source),    1,
                      val.public_key,  pool_box_.public_key, PoolParams{1000, 5000, 3, true}};
  }
  // A file of `who` in `pool` (1 reddit, 2 oura), attested with `accepted` points.
  uint64_t contribute(const crypto::SigningKeyPair& who, uint64_t pool, uint32_t accepted) {
    RegisterFile r;
    r.blob_hash.fill(++file_tag_);
    r.size = 100;
    r.source = pool == 1 ? "reddit" : "oura";
    const uint64_t file = s_.next_file_id();
    EXPECT_TRUE(submit(s_, who, r).ok());
    Contribute c{pool, file, Bytes(kSealedFileKeyBytes, 7),
                 Bytes(crypto::kSealOverheadBytes + 6, 9)};
    Status st = submit(s_, who, c);
    EXPECT_TRUE(st.ok()) << err(st);
    const uint64_t cid = s_.contributions_by(who.public_key).back().id;
    Attest a;
    a.contribution_id = cid;
    a.authentic = a.owned = true;
    a.handle_tag.fill(static_cast<uint8_t>(who.public_key[0] ^ pool));
    a.records_total = a.accepted = accepted;
    a.refined_blob_hash.fill(0xab);
    a.refined_size = 42;
    a.refined_sealed_key.assign(kSealedFileKeyBytes, 5);
    st = submit(s_, pool == 1 ? validator_ : validator2_, a);
    EXPECT_TRUE(st.ok()) << err(st);
    return cid;
  }
  ProposeModel model_spec(std::vector<uint64_t> pools = {1}) {
    ProposeModel p;
    p.pools = std::move(pools);
    p.kind = "text";
    p.purpose = "research";
    p.description = "a small Reddit-style text generator";
    p.fields = {"body", "subreddit"};
    p.spec = "layers=2 width=64";
    p.terms.dp_required = true;
    p.terms.epsilon_milli = 3000;
    p.terms.delta_e12 = 100'000;  // 1e-7
    p.terms.min_contributors = 2;
    p.terms.price_per_call = 5;
    p.terms.training_fee = kFee;
    p.terms.consent_blocks = 5;
    p.developer_box_key = dev_box_.public_key;
    return p;
  }
  // Proposes at height h; returns the model id.
  uint64_t propose(const ProposeModel& p, uint64_t h = 10,
                   const crypto::SigningKeyPair* who = nullptr) {
    Status st = submit(s_, who ? *who : dev_, p, at(h));
    EXPECT_TRUE(st.ok()) << err(st);
    return s_.models(0, 1000).empty() ? 0 : s_.models(0, 1000).back().id;
  }
  static BlockContext at(uint64_t h) { return BlockContext{h, 1'700'000'000 + h}; }
  void end_block(uint64_t h) {
    s_.end_block(at(h));
    s_.commit_block();
  }
  Status consent(const crypto::SigningKeyPair& who, uint64_t model, std::vector<uint64_t> ids,
                 uint64_t h, bool yes = true) {
    return submit(s_, who, Consent{model, std::move(ids), yes}, at(h));
  }
  PublishModel publish_spec(uint64_t model, uint64_t size) {
    PublishModel p;
    p.model_id = model;
    p.weights_hash.fill(0x77);
    p.weights_size = 4096;
    p.weights_sealed_key.assign(kSealedFileKeyBytes, 3);
    p.epsilon_spent_milli = 2900;
    p.steps = 120;
    p.metrics = {{"heldout_loss", 3'210'000}, {"unigram_loss", 5'100'000}};
    p.training_set_size = size;
    return p;
  }
  uint64_t credits(const crypto::SigningKeyPair& k) { return s_.account(k.public_key)->credits; }
  // Credits of every account plus the fees held in escrow by open models.
  uint64_t credits_plus_escrow() {
    uint64_t sum = 0;
    for (const auto* k : everyone()) sum += credits(*k);
    for (const Model& m : s_.models(0, 1000)) {
      if (m.status == ModelStatus::kVoting || m.status == ModelStatus::kConsent ||
          m.status == ModelStatus::kTraining) {
        sum += m.terms.training_fee;
      }
    }
    return sum;
  }
  uint64_t supply() { return kCredits * everyone().size(); }

  crypto::SigningKeyPair creator_ = key_for(20);
  crypto::SigningKeyPair validator_ = key_for(21);
  crypto::SigningKeyPair validator2_ = key_for(22);
  crypto::SigningKeyPair dev_ = key_for(23);
  crypto::SigningKeyPair alice_ = key_for(24);
  crypto::SigningKeyPair bob_ = key_for(25);
  crypto::SigningKeyPair carol_ = key_for(26);
  crypto::SigningKeyPair eve_ = key_for(27);
  crypto::BoxKeyPair pool_box_ = crypto::BoxKeyPair::generate();
  crypto::BoxKeyPair dev_box_ = crypto::BoxKeyPair::generate();
  uint8_t file_tag_ = 0;
  State s_;
};

}  // namespace datadao::ledger::model_test
