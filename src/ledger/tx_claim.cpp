// Claim: pays the sender's whole accrued credits of a model out of its reward escrow. Rules: the
// sender holds (or held and still has owed units in) the model; after settling, at least one
// whole credit has accrued. Pays floor(accrued / kRewardUnitsPerCredit); the sub-credit rest
// stays owed to the same holder. An emptied holding (no shares, nothing owed) is deleted.
#include "datadao/codec/codec.hpp"
#include "datadao/common/u128.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Claim& p) {
  codec::Writer w(8);
  w.u64(p.model_id);
  return w.take();
}

Result<Claim> decode_payload(ByteView bytes, std::type_identity<Claim>) {
  codec::Reader r(bytes, "claim payload");
  Claim p;
  p.model_id = r.u64("model_id");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext&) {
  DD_ASSIGN(Claim p, payload_as<Claim>(tx));
  const std::string what = "claim of model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Model> model = detail::get_model(m, p.model_id);
  if (!model) return fail(ErrorCode::kNotFound, "no such model");
  std::optional<ShareHolding> h = detail::get_holding(m, model->id, tx.sender);
  if (!h) {
    return fail(ErrorCode::kNotFound,
                "account " + short_hex(tx.sender) + " holds no shares of the model");
  }
  detail::settle(*model, *h);
  const uint64_t pay = static_cast<uint64_t>(h->owed_units / kRewardUnitsPerCredit);
  if (pay == 0) {
    return fail(ErrorCode::kFailedPrecondition,
                "nothing to claim: account " + short_hex(tx.sender) + " has " +
                    u128_to_string(h->owed_units) +
                    " reward units accrued, less than one credit (" +
                    std::to_string(kRewardUnitsPerCredit) + " units)");
  }
  if (Status s = detail::credit(m, tx.sender, pay); !s.ok()) return s.error().with_context(what);
  h->owed_units -= static_cast<unsigned __int128>(pay) * kRewardUnitsPerCredit;
  model->rewards_claimed += pay;  // <= rewards_paid by conservation
  detail::put_holding(m, model->id, tx.sender, *h);
  detail::put_model(m, *model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Claim& p) { return {{"model_id", p.model_id}}; }

constinit const TxTypeInfo kClaimInfo = tx_type_info<Claim>(TxType::kClaim, "claim", &apply);

}  // namespace datadao::ledger
