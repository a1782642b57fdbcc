#include "datadao/ledger/block.hpp"

#include <gtest/gtest.h>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

Block sample_block(size_t tx_count) {
  auto alice = test::key_for(1);
  auto bob = test::key_for(2);
  Block b;
  for (size_t i = 0; i < tx_count; ++i) {
    b.txs.push_back(make_tx("test-chain", alice, i + 1, Transfer{bob.public_key, 10 + i}));
  }
  BlockHeader h;
  h.chain_id = "test-chain";
  h.height = 7;
  h.prev_hash.fill(0xab);
  h.tx_root = tx_root_of(b.txs);
  h.state_hash.fill(0xcd);
  h.genesis_hash.fill(0xef);
  h.timestamp = 1'700'000'000;
  h.tx_count = static_cast<uint32_t>(tx_count);
  b.header = sign_header(h, test::key_for(9));
  return b;
}

TEST(BlockTest, BlockRoundTripsThroughEncoding) {
  Block b = sample_block(3);
  Bytes enc = encode(b);
  auto back = decode_block(enc);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, b);
  EXPECT_EQ(encode(*back), enc);
  EXPECT_TRUE(verify_header_signature(back->header).ok());
  EXPECT_TRUE(check_block_body(*back).ok());
}

TEST(BlockTest, SignedHeaderRoundTripsAndHashIsOverHeaderOnly) {
  Block b = sample_block(1);
  auto back = decode_signed_header(encode(b.header));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, b.header);
  auto h = decode_header(encode(b.header.header));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(header_hash(*h), header_hash(b.header.header));
  EXPECT_EQ(header_hash(b.header.header), crypto::blake2b256(encode(b.header.header)));
}

TEST(BlockTest, EveryTruncationIsRejected) {
  Bytes enc = encode(sample_block(2));
  for (size_t n = 0; n < enc.size(); ++n) {
    auto r = decode_block(ByteView(enc.data(), n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
  }
}

TEST(BlockTest, TrailingByteIsRejected) {
  Bytes enc = encode(sample_block(1));
  enc.push_back(0);
  EXPECT_ERROR_CODE(decode_block(enc), ErrorCode::kInvalidArgument);
  Bytes hdr = encode(sample_block(1).header);
  hdr.push_back(0);
  EXPECT_ERROR_CODE(decode_signed_header(hdr), ErrorCode::kInvalidArgument);
}

TEST(BlockTest, OversizedBlockIsRejectedBeforeParsing) {
  Bytes big(kMaxBlockBytes + 1, 0);
  auto r = decode_block(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(BlockTest, TxCountAboveLimitIsRejectedWithoutAllocating) {
  Block b = sample_block(0);
  Bytes enc = encode(b);
  // The body count is the last 4 bytes of an empty block: claim one more than allowed.
  uint32_t too_many = kMaxTxsPerBlock + 1;
  for (int i = 0; i < 4; ++i) enc[enc.size() - 4 + i] = uint8_t(too_many >> (8 * i));
  auto r = decode_block(enc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(BlockTest, BodyCountDifferentFromHeaderIsRejected) {
  Block b = sample_block(2);
  b.txs.pop_back();  // header still says 2
  auto r = decode_block(encode(b));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("header says 2"), std::string::npos) << r.error().message;
}

TEST(BlockTest, FlippedByteInSignedHeaderNeverVerifies) {
  Block b = sample_block(1);
  Bytes enc = encode(b.header);
  for (size_t i = 0; i < enc.size(); ++i) {
    for (uint8_t bit : {0x01, 0x80}) {
      Bytes t = enc;
      t[i] ^= bit;
      auto s = decode_signed_header(t);
      if (!s.ok()) continue;
      EXPECT_FALSE(verify_header_signature(*s).ok()) << "flip at byte " << i << " verified";
    }
  }
}

TEST(BlockTest, SignatureFromAnotherKeyIsRejected) {
  Block b = sample_block(1);
  b.header.header.proposer = test::key_for(10).public_key;  // claims another proposer
  Status s = verify_header_signature(b.header);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(s.error().message.find("block 7"), std::string::npos) << s.error().message;
}

TEST(BlockTest, ReorderedOrAlteredTransactionsFailTheBodyCheck) {
  Block b = sample_block(3);
  Block swapped = b;
  std::swap(swapped.txs[0], swapped.txs[1]);
  EXPECT_EQ(check_block_body(swapped).error().code, ErrorCode::kCorruption);
  Block dropped = b;
  dropped.txs.pop_back();
  EXPECT_ERROR_CODE(check_block_body(dropped), ErrorCode::kCorruption);
  Block altered = b;
  altered.txs[2].nonce += 1;
  EXPECT_ERROR_CODE(check_block_body(altered), ErrorCode::kCorruption);
}

TEST(BlockTest, EmptyBlockHasEmptyTreeRoot) { EXPECT_EQ(tx_root_of({}), merkle_empty_root()); }

TEST(BlockTest, GenesisHeaderWithTransactionsIsRejected) {
  Block b = sample_block(1);
  b.header.header.height = 0;
  EXPECT_ERROR_CODE(decode_signed_header(encode(b.header)), ErrorCode::kInvalidArgument);
}

TEST(BlockTest, UnknownVersionIsRejected) {
  Block b = sample_block(0);
  b.header.header.version = 2;
  auto r = decode_signed_header(encode(b.header));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("version"), std::string::npos);
}

}  // namespace
}  // namespace datadao::ledger
