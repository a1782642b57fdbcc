// GrantAccess: the file's owner gives `grantee` the file key sealed to the grantee's box key.
// Rules: only the owner; grantee != owner; sealed key exactly 80 bytes; purpose <= 256 bytes
// of UTF-8; expires_at is 0 (never) or after the block's timestamp. Re-granting replaces the
// previous grant (and clears a revocation).
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const GrantAccess& p) {
  codec::Writer w(8 + 64 + 4 + p.sealed_key.size() + 4 + p.purpose.size() + 8);
  w.u64(p.file_id)
      .fixed(p.grantee)
      .fixed(p.grantee_box_key)
      .bytes(crypto::as_bytes(p.sealed_key))
      .str(p.purpose)
      .u64(p.expires_at);
  return w.take();
}

Result<GrantAccess> decode_payload(ByteView bytes, std::type_identity<GrantAccess>) {
  codec::Reader r(bytes, "grant_access payload");
  GrantAccess p;
  p.file_id = r.u64("file_id");
  p.grantee = r.fixed<crypto::kSignPublicKeyBytes>("grantee");
  p.grantee_box_key = r.fixed<crypto::kBoxPublicKeyBytes>("grantee_box_key");
  p.sealed_key = r.bytes("sealed_key", kSealedFileKeyBytes);
  p.purpose = r.str("purpose", kMaxPurposeBytes);
  p.expires_at = r.u64("expires_at");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(GrantAccess p, payload_as<GrantAccess>(tx));
  const std::string what = "grant_access to file " + std::to_string(p.file_id);
  const FileRecord* f = m.file(p.file_id);
  if (f == nullptr) return make_error(ErrorCode::kNotFound, what + ": no such file");
  if (f->owner != tx.sender) {
    return make_error(ErrorCode::kPermissionDenied, what + ": sender " + short_hex(tx.sender) +
                                                        " is not the owner " + short_hex(f->owner));
  }
  if (p.grantee == f->owner) {
    return make_error(ErrorCode::kInvalidArgument, what + ": grantee is the owner");
  }
  if (p.sealed_key.size() != kSealedFileKeyBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": sealed key is " + std::to_string(p.sealed_key.size()) +
                          " bytes, expected " + std::to_string(kSealedFileKeyBytes));
  }
  if (p.purpose.size() > kMaxPurposeBytes || !codec::is_valid_utf8(p.purpose)) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": purpose must be <= 256 bytes of UTF-8");
  }
  if (p.expires_at != 0 && p.expires_at <= ctx.timestamp) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": expires_at " + std::to_string(p.expires_at) +
                          " is not after the block timestamp " + std::to_string(ctx.timestamp));
  }
  Grant g;
  g.file_id = p.file_id;
  g.grantee = p.grantee;
  g.grantee_box_key = p.grantee_box_key;
  g.sealed_key = std::move(p.sealed_key);
  g.purpose = std::move(p.purpose);
  g.expires_at = p.expires_at;
  g.granted_height = ctx.height;
  m.put_grant(g);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const GrantAccess& p) {
  return {{"file_id", p.file_id},
          {"grantee", codec::to_hex(p.grantee)},
          {"grantee_box_key", codec::to_hex(p.grantee_box_key)},
          {"sealed_key", codec::to_base64(crypto::as_bytes(p.sealed_key))},
          {"purpose", p.purpose},
          {"expires_at", p.expires_at}};
}

constinit const TxTypeInfo kGrantAccessInfo =
    tx_type_info<GrantAccess>(TxType::kGrantAccess, "grant_access", &apply);

}  // namespace datadao::ledger
