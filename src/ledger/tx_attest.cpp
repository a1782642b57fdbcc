// Attest: the pool's validator records its scores for a pending contribution and the state mints
// pool tokens to the contributor. Rules: the sender is the pool's validator; the contribution is
// pending; the parts add up (exact + near + low_quality + accepted <= total); owned needs a
// non-zero handle tag; a scoring attestation (authentic, owned, accepted > 0) carries the refined
// blob (hash, size > 0, key sealed to the pool: 80 bytes); note <= 512 bytes of UTF-8.
// Ownership: the first wallet attested owning a handle keeps it in the pool; if another wallet
// already holds it, the attestation is recorded with owned = false and handle_conflict = true.
// points = accepted if authentic and owned, else 0; tokens = points * reward_per_point.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Attest& p) {
  codec::Writer w(160 + p.refined_sealed_key.size() + p.note.size());
  w.u64(p.contribution_id)
      .boolean(p.authentic)
      .boolean(p.owned)
      .fixed(p.handle_tag)
      .u32(p.records_total)
      .u32(p.exact_duplicates)
      .u32(p.near_duplicates)
      .u32(p.low_quality)
      .u32(p.accepted)
      .fixed(p.refined_blob_hash)
      .u64(p.refined_size)
      .bytes(crypto::as_bytes(p.refined_sealed_key))
      .str(p.note);
  return w.take();
}

Result<Attest> decode_payload(ByteView bytes, std::type_identity<Attest>) {
  codec::Reader r(bytes, "attest payload");
  Attest p;
  p.contribution_id = r.u64("contribution_id");
  p.authentic = r.boolean("authentic");
  p.owned = r.boolean("owned");
  p.handle_tag = r.fixed<crypto::kHashBytes>("handle_tag");
  p.records_total = r.u32("records_total");
  p.exact_duplicates = r.u32("exact_duplicates");
  p.near_duplicates = r.u32("near_duplicates");
  p.low_quality = r.u32("low_quality");
  p.accepted = r.u32("accepted");
  p.refined_blob_hash = r.fixed<crypto::kHashBytes>("refined_blob_hash");
  p.refined_size = r.u64("refined_size");
  p.refined_sealed_key = r.bytes("refined_sealed_key", kSealedFileKeyBytes);
  p.note = r.str("note", kMaxAttestNoteBytes);
  DD_TRY(r.finish());
  return p;
}

namespace {

// The validator's scores as an attestation record; the ledger decides owned, handle_conflict,
// points, tokens and height when it applies them.
Attestation scores_of(const Attest& p) {
  Attestation a;
  a.authentic = p.authentic;
  a.owned = p.owned;
  a.handle_tag = p.handle_tag;
  a.records_total = p.records_total;
  a.exact_duplicates = p.exact_duplicates;
  a.near_duplicates = p.near_duplicates;
  a.low_quality = p.low_quality;
  a.accepted = p.accepted;
  a.refined_blob_hash = p.refined_blob_hash;
  a.refined_size = p.refined_size;
  a.refined_sealed_key = p.refined_sealed_key;
  a.note = p.note;
  return a;
}

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(Attest p, payload_as<Attest>(tx));
  const std::string what = "attest contribution " + std::to_string(p.contribution_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Contribution> c = detail::get_contribution(m, p.contribution_id);
  if (!c) return fail(ErrorCode::kNotFound, "no such contribution");
  std::optional<Pool> pool = detail::get_pool(m, c->pool_id);
  if (!pool) return fail(ErrorCode::kInternal, "its pool is missing");
  if (tx.sender != pool->validator) {
    return fail(ErrorCode::kPermissionDenied, "sender " + short_hex(tx.sender) +
                                                  " is not the validator of pool " +
                                                  std::to_string(pool->id));
  }
  if (c->attested) {
    return fail(ErrorCode::kAlreadyExists,
                "already attested at block " + std::to_string(c->attestation.height));
  }
  const uint64_t parts =
      uint64_t{p.exact_duplicates} + p.near_duplicates + p.low_quality + p.accepted;
  if (parts > p.records_total) {
    return fail(ErrorCode::kInvalidArgument,
                "exact + near duplicates + low quality + accepted = " + std::to_string(parts) +
                    " exceeds the " + std::to_string(p.records_total) + " records");
  }
  if (p.owned && p.handle_tag == crypto::Hash32{}) {
    return fail(ErrorCode::kInvalidArgument, "owned without a handle tag");
  }
  if (p.note.size() > kMaxAttestNoteBytes || !codec::is_valid_utf8(p.note)) {
    return fail(ErrorCode::kInvalidArgument, "note must be <= 512 bytes of UTF-8");
  }
  Attestation a = scores_of(p);
  a.height = ctx.height;
  const Bytes handle_key = detail::handle_key(pool->id, p.handle_tag);
  std::optional<Bytes> holder;
  if (p.owned) holder = m.entry(crypto::as_bytes(handle_key));
  const bool held_by_other =
      holder && !std::equal(holder->begin(), holder->end(), c->contributor.begin());
  a.owned = p.owned && !held_by_other;
  a.handle_conflict = p.owned && held_by_other;
  a.points = (a.authentic && a.owned) ? a.accepted : 0;
  if (a.points > 0) {
    if (a.refined_size == 0 || a.refined_blob_hash == crypto::Hash32{} ||
        a.refined_sealed_key.size() != kSealedFileKeyBytes) {
      return fail(ErrorCode::kInvalidArgument,
                  "accepted records need the refined blob: hash, size > 0 and an 80-byte key "
                  "sealed to the pool");
    }
  }
  const unsigned __int128 tokens =
      static_cast<unsigned __int128>(a.points) * pool->params.reward_per_point;
  if (tokens > UINT64_MAX || pool->token_supply > UINT64_MAX - static_cast<uint64_t>(tokens)) {
    return fail(ErrorCode::kLimitExceeded, "minting would overflow the pool's token supply");
  }
  a.tokens = static_cast<uint64_t>(tokens);
  // Every check has passed: mutate.
  if (a.owned && !holder) {
    m.put_entry(handle_key, Bytes(c->contributor.begin(), c->contributor.end()));
  }
  if (a.tokens > 0) {
    const Bytes tk = detail::tokens_key(pool->id, c->contributor);
    const uint64_t balance = detail::get_u64(m, tk, 0);  // <= supply, so no overflow
    m.put_entry(tk, detail::encode_u64(balance + a.tokens));
    pool->token_supply += a.tokens;
  }
  pool->attested += 1;
  detail::put_pool(m, *pool);
  c->attested = true;
  c->attestation = std::move(a);
  detail::put_contribution(m, *c);
  m.put_entry(detail::pending_key(pool->id, c->id), std::nullopt);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Attest& p) {
  nlohmann::json j = to_json(scores_of(p));
  for (const char* decided : {"handle_conflict", "points", "tokens", "height"}) j.erase(decided);
  j["contribution_id"] = p.contribution_id;
  return j;
}

constinit const TxTypeInfo kAttestInfo = tx_type_info<Attest>(TxType::kAttest, "attest", &apply);

}  // namespace datadao::ledger
