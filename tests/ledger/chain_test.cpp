#include "datadao/ledger/chain.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/store/sqlite.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

constexpr char kChainId[] = "datadao-test";

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datadao_chain_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    genesis_.chain_id = kChainId;
    genesis_.timestamp = 1'700'000'000;
    genesis_.allocations = {{alice_.public_key, 1000}, {bob_.public_key, 500}};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path path(const char* name = "chain.db") const { return dir_ / name; }
  std::unique_ptr<Chain> make_chain(const char* name = "chain.db") {
    auto c = Chain::create(path(name), genesis_, operator_);
    EXPECT_TRUE(c.ok()) << c.error().to_string();
    return std::move(c).value();
  }
  Transaction transfer(const crypto::SigningKeyPair& from, uint64_t nonce, const AccountId& to,
                       uint64_t amount) {
    return make_tx(kChainId, from, nonce, Transfer{to, amount});
  }

  std::filesystem::path dir_;
  Genesis genesis_;
  crypto::SigningKeyPair operator_ = test::key_for(1);
  crypto::SigningKeyPair alice_ = test::key_for(2);
  crypto::SigningKeyPair bob_ = test::key_for(3);
  crypto::SigningKeyPair carol_ = test::key_for(4);
};

TEST_F(ChainTest, GenesisBlockCommitsToGenesisStateAndEmptyTxRoot) {
  auto chain = make_chain();
  EXPECT_EQ(chain->height(), 0u);
  const BlockHeader& h = chain->head().header;
  EXPECT_EQ(h.prev_hash, Hash32{});
  EXPECT_EQ(h.tx_root, merkle_empty_root());
  EXPECT_EQ(h.state_hash, State::from_genesis(genesis_)->state_hash());
  EXPECT_EQ(h.genesis_hash, crypto::blake2b256(encode(genesis_)));
  EXPECT_EQ(h.proposer, operator_.public_key);
  EXPECT_TRUE(verify_header_signature(chain->head()).ok());
}

TEST_F(ChainTest, CreateFailsIfTheDatabaseAlreadyHoldsAChain) {
  make_chain();
  auto again = Chain::create(path(), genesis_, operator_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(ChainTest, OpenFailsForMissingDatabase) {
  auto c = Chain::open(path("nothing.db"));
  ASSERT_ERROR_CODE(c, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path("nothing.db")));
}

TEST_F(ChainTest, ProducedBlockIncludesValidTxsAndReportsRejectedOnes) {
  auto chain = make_chain();
  Transaction ok1 = transfer(alice_, 1, bob_.public_key, 100);
  Transaction bad_nonce = transfer(alice_, 5, bob_.public_key, 1);
  Transaction broke = transfer(bob_, 1, alice_.public_key, 10'000);
  Transaction ok2 = transfer(bob_, 1, carol_.public_key, 50);
  auto r = chain->produce_block({ok1, bad_nonce, broke, ok2}, genesis_.timestamp + 10, operator_);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->produced());
  EXPECT_EQ(r->included, (std::vector<Hash32>{tx_id(ok1), tx_id(ok2)}));
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].first, tx_id(bad_nonce));
  EXPECT_EQ(r->rejected[1].first, tx_id(broke));
  EXPECT_EQ(r->rejected[1].second.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(chain->height(), 1u);
  EXPECT_EQ(chain->state().account(alice_.public_key)->credits, 900u);
  EXPECT_EQ(chain->state().account(carol_.public_key)->credits, 50u);

  const BlockHeader& h = r->header.header;
  EXPECT_EQ(h.height, 1u);
  EXPECT_EQ(h.tx_count, 2u);
  EXPECT_EQ(h.tx_root, tx_root_of({ok1, ok2}));
  EXPECT_EQ(h.state_hash, chain->state().state_hash());
  EXPECT_EQ(h.prev_hash, header_hash(chain->header(0)->header));
  EXPECT_TRUE(verify_header_signature(r->header).ok());
}

TEST_F(ChainTest, NoCandidatesMakesAnEmptyHeartbeatBlock) {
  auto chain = make_chain();
  auto r = chain->produce_block({}, genesis_.timestamp + 1, operator_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->produced());
  EXPECT_EQ(r->header.header.height, 1u);
  EXPECT_EQ(r->header.header.tx_count, 0u);
  EXPECT_EQ(r->header.header.tx_root, merkle_empty_root());
  EXPECT_EQ(chain->height(), 1u);
}

TEST_F(ChainTest, NoBlockIsMadeWhenNoCandidateApplies) {
  auto chain = make_chain();
  Hash32 before = chain->state().state_hash();
  auto r = chain->produce_block({transfer(carol_, 1, alice_.public_key, 1)}, genesis_.timestamp + 1,
                                operator_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->produced());
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_NE(r->rejected[0].second.message.find("receive a transfer first"), std::string::npos)
      << r->rejected[0].second.message;
  EXPECT_EQ(chain->height(), 0u);
  EXPECT_EQ(chain->state().state_hash(), before);
  EXPECT_ERROR_CODE(chain->header(1), ErrorCode::kNotFound);
}

TEST_F(ChainTest, ReopenedChainHasEveryBlockAndTheSameState) {
  Hash32 state_hash;
  std::vector<Transaction> sent;
  {
    auto chain = make_chain();
    for (uint64_t i = 1; i <= 3; ++i) {
      sent.push_back(transfer(alice_, i, bob_.public_key, i));
      ASSERT_TRUE(chain->produce_block({sent.back()}, genesis_.timestamp + i, operator_).ok());
    }
    state_hash = chain->state().state_hash();
  }
  auto chain = Chain::open(path());
  ASSERT_TRUE(chain.ok()) << chain.error().to_string();
  EXPECT_EQ((*chain)->height(), 3u);
  EXPECT_EQ((*chain)->state().state_hash(), state_hash);
  EXPECT_EQ((*chain)->state().account(alice_.public_key)->nonce, 3u);
  for (uint64_t i = 1; i <= 3; ++i) {
    auto b = (*chain)->block(i);
    ASSERT_TRUE(b.ok()) << b.error().to_string();
    ASSERT_EQ(b->txs.size(), 1u);
    EXPECT_EQ(b->txs[0], sent[i - 1]);
    auto loc = (*chain)->locate(tx_id(sent[i - 1]));
    ASSERT_TRUE(loc.ok());
    EXPECT_EQ(*loc, (TxLocation{i, 0}));
    EXPECT_EQ(*(*chain)->tx(tx_id(sent[i - 1])), sent[i - 1]);
  }
  // The reopened chain keeps producing on top of the stored head.
  auto r = (*chain)->produce_block({transfer(alice_, 4, bob_.public_key, 1)},
                                   genesis_.timestamp + 9, operator_);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->header.header.prev_hash, header_hash((*chain)->header(3)->header));
}

TEST_F(ChainTest, ReplayedTransactionIsRejectedInALaterBlock) {
  auto chain = make_chain();
  Transaction t = transfer(alice_, 1, bob_.public_key, 10);
  ASSERT_TRUE(chain->produce_block({t}, genesis_.timestamp, operator_)->produced());
  auto again = chain->produce_block({t}, genesis_.timestamp, operator_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->produced());
  EXPECT_EQ(chain->state().account(bob_.public_key)->credits, 510u);
}

TEST_F(ChainTest, ProposerOtherThanTheOperatorIsRefused) {
  auto chain = make_chain();
  auto r =
      chain->produce_block({transfer(alice_, 1, bob_.public_key, 1)}, genesis_.timestamp, carol_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(chain->state().account(alice_.public_key)->nonce, 0u);
}

TEST_F(ChainTest, TimestampBeforeTheHeadIsRefused) {
  auto chain = make_chain();
  auto r = chain->produce_block({transfer(alice_, 1, bob_.public_key, 1)}, genesis_.timestamp - 1,
                                operator_);
  ASSERT_ERROR_CODE(r, ErrorCode::kInvalidArgument);
  EXPECT_EQ(chain->height(), 0u);
}

TEST_F(ChainTest, InclusionProofVerifiesOfflineAfterJsonRoundTrip) {
  auto chain = make_chain();
  std::vector<Transaction> txs;
  for (uint64_t i = 1; i <= 7; ++i) txs.push_back(transfer(alice_, i, bob_.public_key, i));
  ASSERT_TRUE(chain->produce_block(txs, genesis_.timestamp + 5, operator_)->produced());
  for (const Transaction& t : txs) {
    auto proof = chain->prove(tx_id(t));
    ASSERT_TRUE(proof.ok()) << proof.error().to_string();
    std::string text = tx_proof_to_json(*proof).dump(2);
    auto back = tx_proof_from_json(nlohmann::json::parse(text));
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, *proof);
    EXPECT_TRUE(verify_tx_proof(*back, operator_.public_key).ok());
    EXPECT_TRUE(verify_tx_proof(*back, crypto::PublicKey{}).ok());  // zero = skip operator check
  }
}

TEST_F(ChainTest, ProofFailsForUntrustedOperatorOrAnyTampering) {
  auto chain = make_chain();
  std::vector<Transaction> txs;
  for (uint64_t i = 1; i <= 5; ++i) txs.push_back(transfer(alice_, i, bob_.public_key, i));
  ASSERT_TRUE(chain->produce_block(txs, genesis_.timestamp, operator_)->produced());
  const TxProof good = *chain->prove(tx_id(txs[2]));

  EXPECT_EQ(verify_tx_proof(good, carol_.public_key).error().code, ErrorCode::kUnauthenticated);

  TxProof other_tx = good;
  other_tx.tx_bytes = encode(txs[3]);
  EXPECT_ERROR_CODE(verify_tx_proof(other_tx, operator_.public_key), ErrorCode::kUnauthenticated);

  TxProof moved = good;
  moved.proof.leaf_index = 3;
  EXPECT_ERROR_CODE(verify_tx_proof(moved, operator_.public_key), ErrorCode::kUnauthenticated);

  TxProof resized = good;
  resized.proof.tree_size = 6;
  EXPECT_ERROR_CODE(verify_tx_proof(resized, operator_.public_key), ErrorCode::kInvalidArgument);

  TxProof bad_path = good;
  bad_path.proof.path[0][5] ^= 1;
  EXPECT_ERROR_CODE(verify_tx_proof(bad_path, operator_.public_key), ErrorCode::kUnauthenticated);

  TxProof forged_root = good;
  forged_root.header.header.tx_root[0] ^= 1;  // signature no longer covers the header
  EXPECT_EQ(verify_tx_proof(forged_root, crypto::PublicKey{}).error().code,
            ErrorCode::kUnauthenticated);

  // A self-signed header by someone else is caught only by the operator check.
  TxProof resigned = good;
  resigned.header = sign_header(good.header.header, carol_);
  EXPECT_TRUE(verify_tx_proof(resigned, crypto::PublicKey{}).ok());
  EXPECT_ERROR_CODE(verify_tx_proof(resigned, operator_.public_key), ErrorCode::kUnauthenticated);
}

TEST_F(ChainTest, ProofJsonWithInconsistentReadableFieldsIsRejected) {
  auto chain = make_chain();
  Transaction t = transfer(alice_, 1, bob_.public_key, 1);
  ASSERT_TRUE(chain->produce_block({t}, genesis_.timestamp, operator_)->produced());
  nlohmann::json j = tx_proof_to_json(*chain->prove(tx_id(t)));
  nlohmann::json wrong_height = j;
  wrong_height["height"] = 2;
  EXPECT_ERROR_CODE(tx_proof_from_json(wrong_height), ErrorCode::kInvalidArgument);
  nlohmann::json wrong_chain = j;
  wrong_chain["chain_id"] = "another-chain";
  EXPECT_ERROR_CODE(tx_proof_from_json(wrong_chain), ErrorCode::kInvalidArgument);
  nlohmann::json wrong_proposer = j;
  wrong_proposer["proposer"] = codec::to_hex(carol_.public_key);
  EXPECT_ERROR_CODE(tx_proof_from_json(wrong_proposer), ErrorCode::kInvalidArgument);
  nlohmann::json no_path = j;
  no_path.erase("path");
  EXPECT_ERROR_CODE(tx_proof_from_json(no_path), ErrorCode::kInvalidArgument);
  nlohmann::json bad_hex = j;
  bad_hex["tx"] = "zz";
  EXPECT_ERROR_CODE(tx_proof_from_json(bad_hex), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(tx_proof_from_json(nlohmann::json::array()), ErrorCode::kInvalidArgument);
}

TEST_F(ChainTest, LocateUnknownTxIsNotFound) {
  auto chain = make_chain();
  Hash32 unknown{};
  unknown.fill(7);
  EXPECT_EQ(chain->locate(unknown).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chain->prove(unknown).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(chain->block(5).error().code, ErrorCode::kNotFound);
}

TEST_F(ChainTest, BlockAppliedOnAnotherNodeReachesTheSameStateAndHeaders) {
  auto a = make_chain("a.db");
  auto b = make_chain("b.db");
  for (uint64_t i = 1; i <= 3; ++i) {
    auto r = a->produce_block({transfer(alice_, i, carol_.public_key, 10 * i)},
                              genesis_.timestamp + i, operator_);
    ASSERT_TRUE(r.ok());
    auto blk = a->block(i);
    ASSERT_TRUE(blk.ok());
    Status s = b->apply_block(*blk);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
  }
  EXPECT_EQ(b->state().state_hash(), a->state().state_hash());
  EXPECT_EQ(*b->header(3), *a->header(3));
  // And b's database reopens to the same state.
  b.reset();
  auto reopened = Chain::open(path("b.db"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  EXPECT_EQ((*reopened)->state().state_hash(), a->state().state_hash());
}

TEST_F(ChainTest, BlockWithWrongStateHashChangesNothing) {
  auto a = make_chain("a.db");
  auto b = make_chain("b.db");
  ASSERT_TRUE(
      a->produce_block({transfer(alice_, 1, bob_.public_key, 10)}, genesis_.timestamp, operator_)
          .ok());
  Block good = *a->block(1);
  Block forged = good;
  forged.header.header.state_hash[0] ^= 1;
  forged.header = sign_header(forged.header.header, operator_);  // validly signed, wrong state
  Hash32 before = b->state().state_hash();
  Status s = b->apply_block(forged);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(b->height(), 0u);
  EXPECT_EQ(b->state().state_hash(), before);
  EXPECT_EQ(b->state().account(alice_.public_key)->credits, 1000u);
  EXPECT_TRUE(b->apply_block(good).ok());
}

TEST_F(ChainTest, BlockWithAFailingTxOrWrongSignerOrWrongParentChangesNothing) {
  auto a = make_chain("a.db");
  auto b = make_chain("b.db");
  ASSERT_TRUE(
      a->produce_block({transfer(alice_, 1, bob_.public_key, 10)}, genesis_.timestamp, operator_)
          .ok());
  Block good = *a->block(1);

  Block failing = good;
  failing.txs.push_back(transfer(alice_, 1, bob_.public_key, 10));  // replay inside the block
  failing.header.header.tx_count = 2;
  failing.header.header.tx_root = tx_root_of(failing.txs);
  failing.header = sign_header(failing.header.header, operator_);
  Status s = b->apply_block(failing);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("block 1: tx 1"), std::string::npos) << s.error().message;

  Block stranger = good;
  stranger.header = sign_header(good.header.header, carol_);
  EXPECT_EQ(b->apply_block(stranger).error().code, ErrorCode::kPermissionDenied);

  Block orphan = good;
  orphan.header.header.prev_hash[0] ^= 1;
  orphan.header = sign_header(orphan.header.header, operator_);
  EXPECT_ERROR_CODE(b->apply_block(orphan), ErrorCode::kFailedPrecondition);

  Block altered = good;
  altered.txs[0] = transfer(alice_, 1, bob_.public_key, 11);  // not what the root commits to
  EXPECT_EQ(b->apply_block(altered).error().code, ErrorCode::kCorruption);

  EXPECT_EQ(b->height(), 0u);
  EXPECT_EQ(b->state().account(alice_.public_key)->nonce, 0u);
  EXPECT_TRUE(b->apply_block(good).ok());
}

TEST_F(ChainTest, FailedPersistLeavesMemoryAndDiskUnchanged) {
  auto chain = make_chain();
  ASSERT_TRUE(
      chain
          ->produce_block({transfer(alice_, 1, bob_.public_key, 10)}, genesis_.timestamp, operator_)
          .ok());
  {
    auto db = store::Database::open(path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TRIGGER fail_block BEFORE INSERT ON blocks "
                         "WHEN NEW.height = 2 BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                    .ok());
  }
  Hash32 before = chain->state().state_hash();
  Transaction t = transfer(alice_, 2, bob_.public_key, 10);
  auto r = chain->produce_block({t}, genesis_.timestamp, operator_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("injected failure"), std::string::npos) << r.error().message;
  EXPECT_EQ(chain->height(), 1u);
  EXPECT_EQ(chain->state().state_hash(), before);
  EXPECT_EQ(chain->state().account(alice_.public_key)->nonce, 1u);
  EXPECT_EQ(chain->state().account(bob_.public_key)->credits, 510u);
  EXPECT_EQ(chain->locate(tx_id(t)).error().code, ErrorCode::kNotFound);
  {
    auto db = store::Database::open(path());
    ASSERT_TRUE(db->exec("DROP TRIGGER fail_block").ok());
  }
  auto retry = chain->produce_block({t}, genesis_.timestamp, operator_);
  ASSERT_TRUE(retry.ok()) << retry.error().to_string();
  EXPECT_TRUE(retry->produced());
  chain.reset();
  auto reopened = Chain::open(path());
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  EXPECT_EQ((*reopened)->height(), 2u);
}

TEST_F(ChainTest, TamperedStateTableIsDetectedOnOpen) {
  {
    auto chain = make_chain();
    ASSERT_TRUE(chain
                    ->produce_block({transfer(alice_, 1, bob_.public_key, 10)}, genesis_.timestamp,
                                    operator_)
                    .ok());
  }
  {
    auto db = store::Database::open(path());
    ASSERT_TRUE(db.ok());
    // Give one account one more credit: a well-formed entry, but not the committed state.
    auto st = db->prepare("SELECT key, value FROM state WHERE length(value) = 16 LIMIT 1");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(*st->step());
    Bytes key = st->column_blob(0);
    Bytes value = st->column_blob(1);
    st->reset();
    value[0] ^= 1;
    auto up = db->prepare("UPDATE state SET value = ?2 WHERE key = ?1");
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE(up->bind_blob(1, key).ok());
    ASSERT_TRUE(up->bind_blob(2, value).ok());
    ASSERT_TRUE(up->run().ok());
  }
  auto chain = Chain::open(path());
  ASSERT_FALSE(chain.ok());
  EXPECT_EQ(chain.error().code, ErrorCode::kCorruption) << chain.error().to_string();
}

TEST_F(ChainTest, TamperedHeadSignatureIsDetectedOnOpen) {
  make_chain();
  {
    auto db = store::Database::open(path());
    ASSERT_TRUE(db->exec("UPDATE blocks SET header = "
                         "substr(header, 1, length(header) - 1) || x'00' WHERE height = 0")
                    .ok());
  }
  auto chain = Chain::open(path());
  ASSERT_FALSE(chain.ok());
  EXPECT_EQ(chain.error().code, ErrorCode::kCorruption) << chain.error().to_string();
}

}  // namespace
}  // namespace datadao::ledger
