// TransferShares: moves share units of a published model from the sender to another account.
// Rules: the model is published; amount > 0 and <= the sender's shares; to != sender. Both
// holdings are settled at the current accumulator first, so what accrued before the transfer
// stays with the sender and what accrues after it goes to the new shares' holder. Holdings (and
// their 0x2b index entries) are created and deleted as they become non-empty / empty.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const TransferShares& p) {
  codec::Writer w(48);
  w.u64(p.model_id).fixed(p.to).u64(p.amount);
  return w.take();
}

Result<TransferShares> decode_payload(ByteView bytes, std::type_identity<TransferShares>) {
  codec::Reader r(bytes, "transfer_shares payload");
  TransferShares p;
  p.model_id = r.u64("model_id");
  p.to = r.fixed<crypto::kSignPublicKeyBytes>("to");
  p.amount = r.u64("amount");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext&) {
  DD_ASSIGN(TransferShares p, payload_as<TransferShares>(tx));
  const std::string what = "transfer_shares of model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  if (p.amount == 0) return fail(ErrorCode::kInvalidArgument, "amount must be > 0");
  if (p.to == tx.sender) {
    return fail(ErrorCode::kInvalidArgument,
                "transfer to self (account " + short_hex(tx.sender) + ")");
  }
  Result<Model> published = detail::published_model(m, p.model_id);
  if (!published.ok()) return published.error().with_context(what);
  Model model = std::move(published).value();
  std::optional<ShareHolding> from = detail::get_holding(m, model.id, tx.sender);
  const uint64_t held = from ? from->shares : 0;
  if (held < p.amount) {
    return fail(ErrorCode::kFailedPrecondition,
                "account " + short_hex(tx.sender) + " holds " + std::to_string(held) +
                    " shares, transfer needs " + std::to_string(p.amount));
  }
  ShareHolding to = detail::get_holding(m, model.id, p.to).value_or(ShareHolding{});
  // Every check has passed: settle both, then move. Shares sum to kShareSupply: no overflow.
  detail::settle(model, *from);
  detail::settle(model, to);
  const bool receiver_new = to.shares == 0;
  from->shares -= p.amount;
  to.shares += p.amount;
  const uint64_t holders_before = model.share_holders;
  if (receiver_new) model.share_holders += 1;
  if (from->shares == 0) model.share_holders -= 1;
  detail::put_holding(m, model.id, tx.sender, *from);
  detail::put_holding(m, model.id, p.to, to);
  if (model.share_holders != holders_before) detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const TransferShares& p) {
  return {{"model_id", p.model_id}, {"to", codec::to_hex(p.to)}, {"amount", p.amount}};
}

constinit const TxTypeInfo kTransferSharesInfo =
    tx_type_info<TransferShares>(TxType::kTransferShares, "transfer_shares", &apply);

}  // namespace datadao::ledger
