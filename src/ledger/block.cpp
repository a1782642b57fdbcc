#include "datadao/ledger/block.hpp"

#include "datadao/codec/codec.hpp"

namespace datadao::ledger {

namespace {

void write_header(codec::Writer& w, const BlockHeader& h) {
  w.u32(h.version)
      .str(h.chain_id)
      .u64(h.height)
      .fixed(h.prev_hash)
      .fixed(h.tx_root)
      .fixed(h.state_hash)
      .fixed(h.genesis_hash)
      .u64(h.timestamp)
      .u32(h.tx_count)
      .fixed(h.proposer);
}

BlockHeader read_header(codec::Reader& r) {
  BlockHeader h;
  h.version = r.u32("version");
  if (r.ok() && h.version != kBlockVersion) {
    r.fail(ErrorCode::kInvalidArgument, "version",
           "unsupported block version " + std::to_string(h.version));
  }
  h.chain_id = r.str("chain_id", kMaxChainIdBytes);
  if (r.ok() && h.chain_id.empty()) r.fail(ErrorCode::kInvalidArgument, "chain_id", "empty");
  h.height = r.u64("height");
  h.prev_hash = r.fixed<32>("prev_hash");
  h.tx_root = r.fixed<32>("tx_root");
  h.state_hash = r.fixed<32>("state_hash");
  h.genesis_hash = r.fixed<32>("genesis_hash");
  h.timestamp = r.u64("timestamp");
  h.tx_count = r.u32("tx_count");
  if (r.ok() && h.tx_count > kMaxTxsPerBlock) {
    r.fail(ErrorCode::kLimitExceeded, "tx_count",
           std::to_string(h.tx_count) + " > " + std::to_string(kMaxTxsPerBlock));
  }
  if (r.ok() && h.height == 0 && h.tx_count != 0) {
    r.fail(ErrorCode::kInvalidArgument, "tx_count", "genesis block has transactions");
  }
  h.proposer = r.fixed<32>("proposer");
  return h;
}

Status check_size(ByteView bytes, size_t max, std::string_view what) {
  if (bytes.size() > max) {
    return make_error(ErrorCode::kLimitExceeded,
                      std::string(what) + ": " + std::to_string(bytes.size()) +
                          " bytes exceeds the limit of " + std::to_string(max));
  }
  return Status::Ok();
}

}  // namespace

Bytes encode(const BlockHeader& header) {
  codec::Writer w(256);
  write_header(w, header);
  return w.take();
}

Result<BlockHeader> decode_header(ByteView bytes) {
  DD_TRY(check_size(bytes, kMaxHeaderBytes, "block header"));
  codec::Reader r(bytes, "block header");
  BlockHeader h = read_header(r);
  DD_TRY(r.finish());
  return h;
}

Hash32 header_hash(const BlockHeader& header) { return crypto::blake2b256(encode(header)); }

Bytes header_signing_bytes(const BlockHeader& header) {
  codec::Writer w(256);
  w.fixed(crypto::as_bytes(kBlockDomainTag));
  write_header(w, header);
  return w.take();
}

SignedHeader sign_header(BlockHeader header, const crypto::SigningKeyPair& key) {
  header.proposer = key.public_key;
  SignedHeader s;
  s.signature = crypto::sign(key, header_signing_bytes(header));
  s.header = std::move(header);
  return s;
}

Status verify_header_signature(const SignedHeader& s) {
  if (!crypto::verify(s.header.proposer, header_signing_bytes(s.header), s.signature)) {
    return make_error(ErrorCode::kUnauthenticated,
                      "block " + std::to_string(s.header.height) + " header: signature by " +
                          short_hex(s.header.proposer) + " does not verify");
  }
  return Status::Ok();
}

Bytes encode(const SignedHeader& s) {
  codec::Writer w(256);
  write_header(w, s.header);
  w.fixed(s.signature);
  return w.take();
}

Result<SignedHeader> decode_signed_header(ByteView bytes) {
  DD_TRY(check_size(bytes, kMaxHeaderBytes + crypto::kSignatureBytes, "signed block header"));
  codec::Reader r(bytes, "signed block header");
  SignedHeader s;
  s.header = read_header(r);
  s.signature = r.fixed<crypto::kSignatureBytes>("signature");
  DD_TRY(r.finish());
  return s;
}

Bytes encode(const Block& block) {
  codec::Writer w(1024);
  write_header(w, block.header.header);
  w.fixed(block.header.signature);
  w.u32(static_cast<uint32_t>(block.txs.size()));
  for (const Transaction& tx : block.txs) w.bytes(encode(tx));
  return w.take();
}

Result<Block> decode_block(ByteView bytes) {
  DD_TRY(check_size(bytes, kMaxBlockBytes, "block"));
  codec::Reader r(bytes, "block");
  Block b;
  b.header.header = read_header(r);
  b.header.signature = r.fixed<crypto::kSignatureBytes>("signature");
  std::string what = "block " + std::to_string(b.header.header.height);
  uint32_t count = r.u32("tx count");
  if (!r.ok()) return r.error();
  if (count > kMaxTxsPerBlock) {
    return make_error(ErrorCode::kLimitExceeded, what + ": " + std::to_string(count) +
                                                     " transactions exceeds the limit of " +
                                                     std::to_string(kMaxTxsPerBlock));
  }
  if (count != b.header.header.tx_count) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": header says " + std::to_string(b.header.header.tx_count) +
                          " transactions but the body has " + std::to_string(count));
  }
  b.txs.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Bytes tx_bytes = r.bytes("tx " + std::to_string(i), kMaxTxBytes);
    if (!r.ok()) return r.error();
    auto tx = decode(tx_bytes);
    if (!tx.ok()) return tx.error().with_context(what + ": tx " + std::to_string(i));
    b.txs.push_back(std::move(tx).value());
  }
  DD_TRY(r.finish());
  return b;
}

Hash32 tx_root_of(const std::vector<Transaction>& txs) {
  std::vector<Hash32> leaves;
  leaves.reserve(txs.size());
  for (const Transaction& tx : txs) leaves.push_back(merkle_leaf_hash(encode(tx)));
  return merkle_root_of_hashes(leaves);
}

Status check_block_body(const Block& block) {
  const BlockHeader& h = block.header.header;
  std::string what = "block " + std::to_string(h.height);
  if (block.txs.size() != h.tx_count) {
    return make_error(ErrorCode::kCorruption, what + ": header says " + std::to_string(h.tx_count) +
                                                  " transactions but the body has " +
                                                  std::to_string(block.txs.size()));
  }
  Hash32 root = tx_root_of(block.txs);
  if (root != h.tx_root) {
    return make_error(ErrorCode::kCorruption, what + ": tx root " + short_hex(root) +
                                                  " does not match the header's " +
                                                  short_hex(h.tx_root));
  }
  return Status::Ok();
}

}  // namespace datadao::ledger
