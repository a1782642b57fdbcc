// Contribute: the owner of a registered file puts it in a pool, with the file key and the
// claimed export handle sealed to the pool's box key. Rules: the pool exists and is accepting;
// the sender owns the file and is not the pool's validator (who would score itself); the file's
// source is the pool's; one contribution per file and pool;
// sealed key exactly 80 bytes; sealed claim 49..176 bytes (a 1..128-byte handle, sealed).
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Contribute& p) {
  codec::Writer w(32 + p.sealed_key.size() + p.sealed_claim.size());
  w.u64(p.pool_id)
      .u64(p.file_id)
      .bytes(crypto::as_bytes(p.sealed_key))
      .bytes(crypto::as_bytes(p.sealed_claim));
  return w.take();
}

Result<Contribute> decode_payload(ByteView bytes, std::type_identity<Contribute>) {
  codec::Reader r(bytes, "contribute payload");
  Contribute p;
  p.pool_id = r.u64("pool_id");
  p.file_id = r.u64("file_id");
  p.sealed_key = r.bytes("sealed_key", kSealedFileKeyBytes);
  p.sealed_claim = r.bytes("sealed_claim", kMaxSealedClaimBytes);
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(Contribute p, payload_as<Contribute>(tx));
  const std::string what =
      "contribute file " + std::to_string(p.file_id) + " to pool " + std::to_string(p.pool_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Pool> pool = detail::get_pool(m, p.pool_id);
  if (!pool) return fail(ErrorCode::kNotFound, "no such pool");
  if (!pool->params.accepting) {
    return fail(ErrorCode::kFailedPrecondition, "the pool is not accepting contributions");
  }
  if (tx.sender == pool->validator) {
    return fail(ErrorCode::kPermissionDenied,
                "the pool's validator cannot contribute to the pool it scores");
  }
  const FileRecord* f = m.file(p.file_id);
  if (f == nullptr) return fail(ErrorCode::kNotFound, "no such file");
  if (f->owner != tx.sender) {
    return fail(ErrorCode::kPermissionDenied,
                "sender " + short_hex(tx.sender) + " is not the owner " + short_hex(f->owner));
  }
  if (f->source != pool->source) {
    return fail(ErrorCode::kInvalidArgument,
                "the file's source is '" + f->source + "', the pool takes '" + pool->source + "'");
  }
  if (p.sealed_key.size() != kSealedFileKeyBytes) {
    return fail(ErrorCode::kInvalidArgument,
                "sealed key is " + std::to_string(p.sealed_key.size()) + " bytes, expected " +
                    std::to_string(kSealedFileKeyBytes));
  }
  if (p.sealed_claim.size() <= crypto::kSealOverheadBytes ||
      p.sealed_claim.size() > kMaxSealedClaimBytes) {
    return fail(ErrorCode::kInvalidArgument,
                "sealed claim must hold a 1.." + std::to_string(kMaxHandleBytes) +
                    "-byte handle (" + std::to_string(crypto::kSealOverheadBytes + 1) + ".." +
                    std::to_string(kMaxSealedClaimBytes) + " bytes sealed)");
  }
  const Bytes file_key = detail::pool_file_key(p.pool_id, p.file_id);
  if (auto existing = m.entry(crypto::as_bytes(file_key))) {
    auto id = detail::decode_u64(crypto::as_bytes(*existing), "pool file");
    return fail(ErrorCode::kAlreadyExists,
                "already contributed as contribution " + (id.ok() ? std::to_string(*id) : "?"));
  }
  Contribution c;
  c.id = detail::next_id(m, detail::kCounterContribution);
  c.pool_id = p.pool_id;
  c.file_id = p.file_id;
  c.contributor = tx.sender;
  c.sealed_key = std::move(p.sealed_key);
  c.sealed_claim = std::move(p.sealed_claim);
  c.height = ctx.height;
  detail::put_contribution(m, c);
  m.put_entry(file_key, detail::encode_u64(c.id));
  m.put_entry(detail::pool_contribution_key(c.pool_id, c.id), Bytes{});
  m.put_entry(detail::pending_key(c.pool_id, c.id), Bytes{});
  m.put_entry(detail::by_contributor_key(c.contributor, c.id), Bytes{});
  pool->contributions += 1;
  detail::put_pool(m, *pool);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Contribute& p) {
  return {{"pool_id", p.pool_id},
          {"file_id", p.file_id},
          {"sealed_key", codec::to_base64(crypto::as_bytes(p.sealed_key))},
          {"sealed_claim", codec::to_base64(crypto::as_bytes(p.sealed_claim))}};
}

constinit const TxTypeInfo kContributeInfo =
    tx_type_info<Contribute>(TxType::kContribute, "contribute", &apply);

}  // namespace datadao::ledger
