// RevokeAccess: the file's owner revokes an active grant. The grant record is kept (revoked,
// with the height) for history.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const RevokeAccess& p) {
  codec::Writer w(40);
  w.u64(p.file_id).fixed(p.grantee);
  return w.take();
}

Result<RevokeAccess> decode_payload(ByteView bytes, std::type_identity<RevokeAccess>) {
  codec::Reader r(bytes, "revoke_access payload");
  RevokeAccess p;
  p.file_id = r.u64("file_id");
  p.grantee = r.fixed<crypto::kSignPublicKeyBytes>("grantee");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(RevokeAccess p, payload_as<RevokeAccess>(tx));
  const std::string what =
      "revoke_access on file " + std::to_string(p.file_id) + " for " + short_hex(p.grantee);
  const FileRecord* f = m.file(p.file_id);
  if (f == nullptr) return make_error(ErrorCode::kNotFound, what + ": no such file");
  if (f->owner != tx.sender) {
    return make_error(ErrorCode::kPermissionDenied, what + ": sender " + short_hex(tx.sender) +
                                                        " is not the owner " + short_hex(f->owner));
  }
  const Grant* g = m.grant(p.file_id, p.grantee);
  if (g == nullptr) return make_error(ErrorCode::kNotFound, what + ": no such grant");
  if (g->revoked) {
    return make_error(ErrorCode::kFailedPrecondition,
                      what + ": already revoked at height " + std::to_string(g->revoked_height));
  }
  if (g->expires_at != 0 && ctx.timestamp >= g->expires_at) {
    return make_error(ErrorCode::kFailedPrecondition,
                      what + ": grant expired at " + std::to_string(g->expires_at));
  }
  Grant revoked = *g;
  revoked.revoked = true;
  revoked.revoked_height = ctx.height;
  m.put_grant(revoked);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const RevokeAccess& p) {
  return {{"file_id", p.file_id}, {"grantee", codec::to_hex(p.grantee)}};
}

constinit const TxTypeInfo kRevokeAccessInfo =
    tx_type_info<RevokeAccess>(TxType::kRevokeAccess, "revoke_access", &apply);

}  // namespace datadao::ledger
