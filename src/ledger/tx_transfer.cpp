// Transfer: moves credits from the sender to another account (creating it if new).
// Rules: amount > 0; to != sender; sender holds at least `amount`; no overflow.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Transfer& p) {
  codec::Writer w(40);
  w.fixed(p.to).u64(p.amount);
  return w.take();
}

Result<Transfer> decode_payload(ByteView bytes, std::type_identity<Transfer>) {
  codec::Reader r(bytes, "transfer payload");
  Transfer p;
  p.to = r.fixed<crypto::kSignPublicKeyBytes>("to");
  p.amount = r.u64("amount");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext&) {
  DD_ASSIGN(Transfer p, payload_as<Transfer>(tx));
  if (p.amount == 0) return make_error(ErrorCode::kInvalidArgument, "transfer amount must be > 0");
  if (p.to == tx.sender) {
    return make_error(ErrorCode::kInvalidArgument,
                      "transfer to self (account " + short_hex(tx.sender) + ")");
  }
  Account from = *m.account(tx.sender);  // State checked that the sender exists.
  if (from.credits < p.amount) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "insufficient funds: account " + short_hex(tx.sender) + " has " +
                          std::to_string(from.credits) + " credits, transfer needs " +
                          std::to_string(p.amount));
  }
  const Account* to_now = m.account(p.to);
  Account to = to_now ? *to_now : Account{};
  if (to.credits > UINT64_MAX - p.amount) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "transfer of " + std::to_string(p.amount) + " would overflow account " +
                          short_hex(p.to) + " (" + std::to_string(to.credits) + " credits)");
  }
  from.credits -= p.amount;
  to.credits += p.amount;
  m.put_account(tx.sender, from);
  m.put_account(p.to, to);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Transfer& p) {
  return {{"to", codec::to_hex(p.to)}, {"amount", p.amount}};
}

constinit const TxTypeInfo kTransferInfo =
    tx_type_info<Transfer>(TxType::kTransfer, "transfer", &apply);

}  // namespace datadao::ledger
