#include "datadao/ledger/transaction.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

GrantAccess sample_grant() {
  GrantAccess g;
  g.file_id = 7;
  g.grantee = key_for(2).public_key;
  g.grantee_box_key =
      crypto::BoxKeyPair::from_seed(crypto::as_bytes(key_for(3).public_key)).public_key;
  g.sealed_key = Bytes(kSealedFileKeyBytes, 0xab);
  g.purpose = "train a sleep model — no ads";
  g.expires_at = 1'800'000'000;
  return g;
}

std::vector<Transaction> one_of_each() {
  auto k = key_for(1);
  return {
      make_tx(kChain, k, 1, Transfer{key_for(2).public_key, 1234}),
      make_tx(kChain, k, 2,
              RegisterFile{crypto::blake2b256(crypto::as_bytes("x")), 99, "reddit",
                           "local://blobs/ab"}),
      make_tx(kChain, k, 3, sample_grant()),
      make_tx(kChain, k, 4, RevokeAccess{7, key_for(2).public_key}),
  };
}

template <class P>
void expect_round_trip(const P& p) {
  Transaction tx = make_tx(kChain, key_for(1), 42, p);
  Bytes bytes = encode(tx);
  auto back = decode(crypto::as_bytes(bytes));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, tx);
  EXPECT_TRUE(verify_signature(*back));
  EXPECT_EQ(encode(*back), bytes);
  auto payload = payload_as<P>(*back);
  ASSERT_TRUE(payload.ok()) << payload.error().to_string();
  EXPECT_EQ(*payload, p);
}

TEST(Transaction, EveryTypeRoundTripsThroughEncodeDecode) {
  expect_round_trip(Transfer{key_for(2).public_key, 1234});
  expect_round_trip(RegisterFile{crypto::blake2b256(crypto::as_bytes("x")), 99, "oura", ""});
  expect_round_trip(sample_grant());
  expect_round_trip(RevokeAccess{7, key_for(2).public_key});
}

TEST(Transaction, EveryPrefixOfAValidTxIsRejected) {
  for (const Transaction& tx : one_of_each()) {
    Bytes bytes = encode(tx);
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = decode(ByteView(bytes.data(), n));
      ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    }
  }
}

TEST(Transaction, TrailingBytesAreRejected) {
  Bytes bytes = encode(one_of_each()[0]);
  bytes.push_back(0);
  auto r = decode(crypto::as_bytes(bytes));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("trailing"), std::string::npos) << r.error().message;
}

TEST(Transaction, OversizedInputIsRejectedBeforeParsing) {
  Bytes bytes(kMaxTxBytes + 1, 0);
  auto r = decode(crypto::as_bytes(bytes));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(Transaction, UnknownTypeIsRejected) {
  Transaction tx = one_of_each()[0];
  tx.type = static_cast<TxType>(999);
  test::must_sign(tx);
  auto r = decode(crypto::as_bytes(encode(tx)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown transaction type 999"), std::string::npos);
}

TEST(Transaction, PayloadThatDoesNotDecodeForItsTypeIsRejected) {
  Transaction tx = one_of_each()[0];
  tx.payload.push_back(0);  // a transfer payload with one byte too many
  test::must_sign(tx);
  auto r = decode(crypto::as_bytes(encode(tx)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("transfer payload"), std::string::npos) << r.error().message;
  tx.type = TxType::kRevokeAccess;  // right length for nothing
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(tx))), ErrorCode::kInvalidArgument);
}

TEST(Transaction, BadVersionIsRejected) {
  Transaction tx = one_of_each()[0];
  tx.version = 2;
  test::must_sign(tx);
  auto r = decode(crypto::as_bytes(encode(tx)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("version"), std::string::npos);
}

TEST(Transaction, NonUtf8StringsAreRejected) {
  Transaction tx = one_of_each()[0];
  tx.chain_id = std::string("chain\xff", 6);
  test::must_sign(tx);
  auto r = decode(crypto::as_bytes(encode(tx)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);

  RegisterFile bad{crypto::Hash32{}, 1, "ok", std::string("loc\xc0\x80", 5)};  // overlong NUL
  Transaction tx2 = make_tx(kChain, key_for(1), 1, bad);
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(tx2))), ErrorCode::kInvalidArgument);

  GrantAccess g = sample_grant();
  g.purpose = std::string("\xed\xa0\x80", 3);  // a surrogate
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(make_tx(kChain, key_for(1), 1, g)))),
                    ErrorCode::kInvalidArgument);
}

TEST(Transaction, EmptyOrOversizedChainIdIsRejected) {
  Transaction tx = one_of_each()[0];
  tx.chain_id = "";
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(tx))), ErrorCode::kInvalidArgument);
  tx.chain_id = std::string(kMaxChainIdBytes + 1, 'c');
  auto r = decode(crypto::as_bytes(encode(tx)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(Transaction, OversizedFieldsAreRejected) {
  RegisterFile long_locator{crypto::Hash32{}, 1, "ok", std::string(kMaxLocatorBytes + 1, 'l')};
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(make_tx(kChain, key_for(1), 1, long_locator)))),
                    ErrorCode::kLimitExceeded);
  GrantAccess g = sample_grant();
  g.sealed_key.push_back(0);
  EXPECT_ERROR_CODE(decode(crypto::as_bytes(encode(make_tx(kChain, key_for(1), 1, g)))),
                    ErrorCode::kLimitExceeded);
}

TEST(Transaction, SignatureCoversEveryField) {
  const Transaction base = one_of_each()[0];
  ASSERT_TRUE(verify_signature(base));
  std::vector<Transaction> changed(6, base);
  changed[0].chain_id = "other-chain";
  changed[1].sender = key_for(9).public_key;
  changed[2].nonce += 1;
  changed[3].type = TxType::kRevokeAccess;
  changed[4].payload.back() ^= 1;
  changed[5].signature[0] ^= 1;
  for (size_t i = 0; i < changed.size(); ++i) EXPECT_FALSE(verify_signature(changed[i])) << i;
}

TEST(Transaction, TxIdIsBlake2bOfTheEncoding) {
  Transaction tx = one_of_each()[1];
  EXPECT_EQ(tx_id(tx), crypto::blake2b256(crypto::as_bytes(encode(tx))));
  Transaction other = tx;
  other.nonce += 1;
  EXPECT_NE(tx_id(tx), tx_id(other));
}

TEST(Transaction, PayloadAsRejectsAnotherType) {
  auto r = payload_as<RegisterFile>(one_of_each()[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("transfer"), std::string::npos);
}

TEST(Transaction, JsonViewShowsDecodedPayloadAndHexIds) {
  Transaction tx = one_of_each()[0];
  nlohmann::json j = to_json(tx);
  EXPECT_EQ(j["type"], "transfer");
  EXPECT_EQ(j["id"], codec::to_hex(tx_id(tx)));
  EXPECT_EQ(j["sender"], codec::to_hex(key_for(1).public_key));
  EXPECT_EQ(j["payload"]["amount"], 1234);
  EXPECT_EQ(j["payload"]["to"], codec::to_hex(key_for(2).public_key));
  EXPECT_EQ(to_json(one_of_each()[2])["payload"]["purpose"], "train a sleep model — no ads");
  tx.payload.pop_back();
  nlohmann::json bad = to_json(tx);
  EXPECT_TRUE(bad.contains("payload_error"));
  EXPECT_FALSE(bad.contains("payload"));
}

}  // namespace
}  // namespace datadao::ledger
