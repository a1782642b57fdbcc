#include "datadao/ledger/transaction.hpp"

#include <cstdlib>

#include "datadao/codec/codec.hpp"
#include "registry.hpp"

namespace datadao::ledger {
namespace {

void write_body(codec::Writer& w, const Transaction& tx) {
  w.u8(tx.version)
      .str(tx.chain_id)
      .fixed(tx.sender)
      .u64(tx.nonce)
      .u16(static_cast<uint16_t>(tx.type))
      .bytes(ByteView(tx.payload.data(), tx.payload.size()));
}

size_t body_size(const Transaction& tx) {
  return 1 + 4 + tx.chain_id.size() + 32 + 8 + 2 + 4 + tx.payload.size();
}

}  // namespace

Bytes signing_bytes(const Transaction& tx) {
  codec::Writer w(kTxDomainTag.size() + body_size(tx));
  w.fixed(crypto::as_bytes(kTxDomainTag));
  write_body(w, tx);
  return w.take();
}

Bytes encode(const Transaction& tx) {
  codec::Writer w(body_size(tx) + crypto::kSignatureBytes);
  write_body(w, tx);
  w.fixed(tx.signature);
  return w.take();
}

Result<Transaction> decode(ByteView bytes) {
  if (bytes.size() > kMaxTxBytes) {
    return make_error(ErrorCode::kLimitExceeded, "transaction: " + std::to_string(bytes.size()) +
                                                     " bytes exceeds the limit of " +
                                                     std::to_string(kMaxTxBytes));
  }
  codec::Reader r(bytes, "transaction");
  Transaction tx;
  tx.version = r.u8("version");
  if (r.ok() && tx.version != kTxVersion) {
    r.fail(ErrorCode::kInvalidArgument, "version",
           "unsupported version " + std::to_string(tx.version));
  }
  tx.chain_id = r.str("chain_id", kMaxChainIdBytes);
  if (r.ok() && tx.chain_id.empty()) r.fail(ErrorCode::kInvalidArgument, "chain_id", "empty");
  tx.sender = r.fixed<crypto::kSignPublicKeyBytes>("sender");
  tx.nonce = r.u64("nonce");
  tx.type = static_cast<TxType>(r.u16("type"));
  const TxTypeInfo* info = r.ok() ? find_tx_type(tx.type) : nullptr;
  if (r.ok() && info == nullptr) {
    r.fail(ErrorCode::kInvalidArgument, "type",
           "unknown transaction type " + std::to_string(static_cast<uint16_t>(tx.type)));
  }
  tx.payload = r.bytes("payload", kMaxTxBytes);
  tx.signature = r.fixed<crypto::kSignatureBytes>("signature");
  DD_TRY(r.finish());
  Status payload_ok = info->check_payload(ByteView(tx.payload.data(), tx.payload.size()));
  if (!payload_ok.ok()) return payload_ok.error().with_context("transaction");
  return tx;
}

Hash32 tx_id(const Transaction& tx) {
  Bytes b = encode(tx);
  return crypto::blake2b256(crypto::as_bytes(b));
}

std::string short_hex(const Hash32& id) { return codec::to_hex(ByteView(id.data(), 4)) + ".."; }

bool verify_signature(const Transaction& tx) {
  Bytes msg = signing_bytes(tx);
  return crypto::verify(tx.sender, crypto::as_bytes(msg), tx.signature);
}

void sign(Transaction& tx, const crypto::SigningKeyPair& key) {
  tx.sender = key.public_key;
  Bytes msg = signing_bytes(tx);
  tx.signature = crypto::sign(key, crypto::as_bytes(msg));
}

}  // namespace datadao::ledger
