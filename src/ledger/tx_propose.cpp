// Propose: a holder of the pool's tokens proposes a new value for one pool parameter. Rules: the
// pool exists; the sender holds tokens of it; the parameter is known and the value in its range;
// description <= 256 bytes of UTF-8. Voting stays open until height + voting_period (inclusive);
// the proposal is tallied at the end of that block (State::end_block).
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Propose& p) {
  codec::Writer w(24 + p.description.size());
  w.u64(p.pool_id).u8(static_cast<uint8_t>(p.param)).u64(p.value).str(p.description);
  return w.take();
}

Result<Propose> decode_payload(ByteView bytes, std::type_identity<Propose>) {
  codec::Reader r(bytes, "propose payload");
  Propose p;
  p.pool_id = r.u64("pool_id");
  uint8_t param = r.u8("param");
  if (r.ok() && (param < 1 || param > 4)) {
    r.fail(ErrorCode::kInvalidArgument, "param", "unknown pool parameter " + std::to_string(param));
  }
  p.param = static_cast<PoolParam>(param);
  p.value = r.u64("value");
  p.description = r.str("description", kMaxProposalDescriptionBytes);
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(Propose p, payload_as<Propose>(tx));
  const std::string what = "propose in pool " + std::to_string(p.pool_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Pool> pool = detail::get_pool(m, p.pool_id);
  if (!pool) return fail(ErrorCode::kNotFound, "no such pool");
  if (m.state().pool_tokens(p.pool_id, tx.sender) == 0) {
    return fail(ErrorCode::kPermissionDenied,
                "sender " + short_hex(tx.sender) + " holds no tokens of this pool");
  }
  if (Status s = detail::check_param_value(p.param, p.value); !s.ok()) {
    return fail(ErrorCode::kInvalidArgument, s.error().message);
  }
  if (!codec::is_valid_utf8(p.description)) {
    return fail(ErrorCode::kInvalidArgument, "description must be UTF-8");
  }
  Proposal prop;
  prop.pool_id = pool->id;
  prop.id = pool->next_proposal_id;
  prop.proposer = tx.sender;
  prop.param = p.param;
  prop.value = p.value;
  prop.description = std::move(p.description);
  prop.created_height = ctx.height;
  prop.deadline = ctx.height + pool->params.voting_period;
  prop.supply_at_creation = pool->token_supply;
  pool->next_proposal_id += 1;
  detail::put_pool(m, *pool);
  m.put_entry(detail::proposal_key(prop.pool_id, prop.id), detail::encode_proposal(prop));
  m.put_entry(detail::due_key(prop.deadline, prop.pool_id, prop.id), Bytes{});
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Propose& p) {
  return {{"pool_id", p.pool_id},
          {"param", pool_param_name(p.param)},
          {"value", p.value},
          {"description", p.description}};
}

constinit const TxTypeInfo kProposeInfo =
    tx_type_info<Propose>(TxType::kPropose, "propose", &apply);

}  // namespace datadao::ledger
