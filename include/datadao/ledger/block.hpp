// Blocks: a header that commits to the previous header, the RFC 6962 Merkle root of the block's
// encoded transactions, the state hash after applying them and the chain's genesis; signed by the
// proposer (the node operator's Ed25519 key).
//
// Wire formats (codec rules: fixed-width little-endian integers, u32-length-prefixed bytes/text):
//   header        = version u32 | chain_id str | height u64 | prev_hash [32] | tx_root [32] |
//                   state_hash [32] | genesis_hash [32] | timestamp u64 | tx_count u32 |
//                   proposer [32]
//   header_hash   = BLAKE2b-256(header)
//   signed bytes  = "datadao/block/v1" | header          (the tag is signed, not stored)
//   signed header = header | signature [64]
//   block         = signed header | count u32 | (tx bytes)*count     (tx bytes = encode(tx))
//
// The genesis block has height 0, prev_hash all zero, no transactions (tx_root = Merkle root
// of the empty tree), the genesis state's hash, and timestamp = genesis timestamp. Every header
// carries genesis_hash = BLAKE2b-256(encode(genesis)), so a header names its chain exactly.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/merkle.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

inline constexpr uint32_t kBlockVersion = 1;
inline constexpr std::string_view kBlockDomainTag = "datadao/block/v1";
inline constexpr size_t kMaxTxsPerBlock = 10'000;
inline constexpr size_t kMaxBlockBytes = 16 * 1024 * 1024;  // whole encoded block
inline constexpr size_t kMaxHeaderBytes = 512;

struct BlockHeader {
  uint32_t version = kBlockVersion;
  std::string chain_id;
  uint64_t height = 0;
  Hash32 prev_hash{};      // header_hash of block height-1; zero for genesis
  Hash32 tx_root{};        // merkle_root of encode(tx) for the block's txs, in order
  Hash32 state_hash{};     // State::state_hash() after applying this block
  Hash32 genesis_hash{};   // BLAKE2b-256(encode(genesis)) of this chain
  uint64_t timestamp = 0;  // unix seconds; non-decreasing along the chain
  uint32_t tx_count = 0;
  AccountId proposer{};
  bool operator==(const BlockHeader&) const = default;
};

struct SignedHeader {
  BlockHeader header;
  crypto::Signature signature{};
  bool operator==(const SignedHeader&) const = default;
};

struct Block {
  SignedHeader header;
  std::vector<Transaction> txs;
  bool operator==(const Block&) const = default;
};

Bytes encode(const BlockHeader& header);
Result<BlockHeader> decode_header(ByteView bytes);
Hash32 header_hash(const BlockHeader& header);
Bytes header_signing_bytes(const BlockHeader& header);

// Sets header.proposer to key's public key and signs.
SignedHeader sign_header(BlockHeader header, const crypto::SigningKeyPair& key);
// Ok only if the signature is header.proposer's over header_signing_bytes; kUnauthenticated
// naming the block height otherwise.
Status verify_header_signature(const SignedHeader& signed_header);

Bytes encode(const SignedHeader& signed_header);
// Strict (size limit, no trailing bytes). Does not verify the signature.
Result<SignedHeader> decode_signed_header(ByteView bytes);

Bytes encode(const Block& block);
// Strict: rejects input above kMaxBlockBytes before parsing, more than kMaxTxsPerBlock txs, a
// tx count that differs from the header's, any tx that does not decode, and trailing bytes.
// Does not verify signatures or the tx root (see check_block_body).
Result<Block> decode_block(ByteView bytes);

// Merkle root of the encoded transactions.
Hash32 tx_root_of(const std::vector<Transaction>& txs);
// Checks tx_count and tx_root of the header against the block's transactions.
Status check_block_body(const Block& block);

}  // namespace datadao::ledger
