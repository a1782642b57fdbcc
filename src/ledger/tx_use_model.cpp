// UseModel: one paid call of a published model. Rules: the model is published; the sender holds at
// least terms.price_per_call credits (0 is allowed: a free model only counts the use);
// rewards_paid + price fits in u64. The price moves from the sender into the model's reward
// escrow (rewards_paid) and adds `price` reward units per share unit to reward_per_share
// (kRewardUnitsPerCredit == kShareSupply, so no division). O(1): it touches the sender's account
// and the model record only, never the holders.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const UseModel& p) {
  codec::Writer w(40);
  w.u64(p.model_id).fixed(p.request_hash);
  return w.take();
}

Result<UseModel> decode_payload(ByteView bytes, std::type_identity<UseModel>) {
  codec::Reader r(bytes, "use_model payload");
  UseModel p;
  p.model_id = r.u64("model_id");
  p.request_hash = r.fixed<crypto::kHashBytes>("request_hash");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext&) {
  DD_ASSIGN(UseModel p, payload_as<UseModel>(tx));
  const std::string what = "use_model of model " + std::to_string(p.model_id);
  Result<Model> published = detail::published_model(m, p.model_id);
  if (!published.ok()) return published.error().with_context(what);
  Model model = std::move(published).value();
  const uint64_t price = model.terms.price_per_call;
  Account payer = *m.account(tx.sender);  // State checked that the sender exists.
  if (payer.credits < price) {
    return make_error(ErrorCode::kFailedPrecondition,
                      what + ": insufficient funds: account " + short_hex(tx.sender) + " has " +
                          std::to_string(payer.credits) + " credits, the price per call is " +
                          std::to_string(price));
  }
  if (model.rewards_paid > UINT64_MAX - price) {
    return make_error(ErrorCode::kLimitExceeded, what + ": rewards_paid " +
                                                     std::to_string(model.rewards_paid) + " + " +
                                                     std::to_string(price) + " would overflow");
  }
  payer.credits -= price;
  model.rewards_paid += price;
  model.reward_per_share += price;  // price credits × units per credit / kShareSupply shares
  model.uses += 1;
  m.put_account(tx.sender, payer);
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const UseModel& p) {
  return {{"model_id", p.model_id}, {"request_hash", codec::to_hex(p.request_hash)}};
}

constinit const TxTypeInfo kUseModelInfo =
    tx_type_info<UseModel>(TxType::kUseModel, "use_model", &apply);

}  // namespace datadao::ledger
