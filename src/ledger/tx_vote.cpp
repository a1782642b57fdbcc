// Vote: a holder of the pool's tokens votes yes or no on an open proposal, once, weighted by
// the balance they hold when the vote is applied. Rules: the proposal exists and is open; the
// block height is <= its deadline; the voter holds tokens; no earlier vote by the voter.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Vote& p) {
  codec::Writer w(17);
  w.u64(p.pool_id).u64(p.proposal_id).boolean(p.approve);
  return w.take();
}

Result<Vote> decode_payload(ByteView bytes, std::type_identity<Vote>) {
  codec::Reader r(bytes, "vote payload");
  Vote p;
  p.pool_id = r.u64("pool_id");
  p.proposal_id = r.u64("proposal_id");
  p.approve = r.boolean("approve");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(Vote p, payload_as<Vote>(tx));
  const std::string what =
      "vote on proposal " + std::to_string(p.pool_id) + "/" + std::to_string(p.proposal_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Proposal> prop = m.state().proposal(p.pool_id, p.proposal_id);
  if (!prop) return fail(ErrorCode::kNotFound, "no such proposal");
  if (prop->status != ProposalStatus::kOpen || ctx.height > prop->deadline) {
    return fail(ErrorCode::kFailedPrecondition,
                "voting closed at block " + std::to_string(prop->deadline));
  }
  const uint64_t weight = m.state().pool_tokens(p.pool_id, tx.sender);
  if (weight == 0) {
    return fail(ErrorCode::kPermissionDenied,
                "sender " + short_hex(tx.sender) + " holds no tokens of this pool");
  }
  const Bytes vk = detail::vote_key(p.pool_id, p.proposal_id, tx.sender);
  if (m.entry(crypto::as_bytes(vk))) {
    return fail(ErrorCode::kAlreadyExists, "sender " + short_hex(tx.sender) + " already voted");
  }
  // yes + no <= token supply <= u64 max: no overflow.
  (p.approve ? prop->yes : prop->no) += weight;
  m.put_entry(vk, detail::encode_vote(VoteRecord{p.approve, weight, ctx.height}));
  m.put_entry(detail::proposal_key(p.pool_id, p.proposal_id), detail::encode_proposal(*prop));
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Vote& p) {
  return {{"pool_id", p.pool_id}, {"proposal_id", p.proposal_id}, {"approve", p.approve}};
}

constinit const TxTypeInfo kVoteInfo = tx_type_info<Vote>(TxType::kVote, "vote", &apply);

}  // namespace datadao::ledger
