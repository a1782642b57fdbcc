// ModelVote: a holder of a pool's tokens votes yes or no on a model drawing on that pool, once per
// pool, weighted by the balance they hold when the vote is applied (like pool proposals: tokens
// gained after the proposal count, a known gap until balances are snapshotted). Rules: the model
// exists, is in kVoting and the height is <= its vote_deadline; the pool is one of the model's;
// the voter holds tokens of it; no earlier vote by the voter in that pool.
#include <algorithm>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const ModelVote& p) {
  codec::Writer w(17);
  w.u64(p.model_id).u64(p.pool_id).boolean(p.approve);
  return w.take();
}

Result<ModelVote> decode_payload(ByteView bytes, std::type_identity<ModelVote>) {
  codec::Reader r(bytes, "model_vote payload");
  ModelVote p;
  p.model_id = r.u64("model_id");
  p.pool_id = r.u64("pool_id");
  p.approve = r.boolean("approve");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(ModelVote p, payload_as<ModelVote>(tx));
  const std::string what =
      "model_vote on model " + std::to_string(p.model_id) + " in pool " + std::to_string(p.pool_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  std::optional<Model> model = detail::get_model(m, p.model_id);
  if (!model) return fail(ErrorCode::kNotFound, "no such model");
  if (model->status != ModelStatus::kVoting || ctx.height > model->vote_deadline) {
    return fail(ErrorCode::kFailedPrecondition,
                model->personal
                    ? std::string("a personal model is not voted on")
                    : "voting closed at height " + std::to_string(model->vote_deadline));
  }
  auto it = std::find(model->pools.begin(), model->pools.end(), p.pool_id);
  if (it == model->pools.end()) {
    return fail(ErrorCode::kInvalidArgument,
                "the model does not draw on pool " + std::to_string(p.pool_id));
  }
  const uint64_t weight = m.state().pool_tokens(p.pool_id, tx.sender);
  if (weight == 0) {
    return fail(ErrorCode::kPermissionDenied,
                "sender " + short_hex(tx.sender) + " holds no tokens of this pool");
  }
  const Bytes vk = detail::model_vote_key(p.model_id, p.pool_id, tx.sender);
  if (m.entry(crypto::as_bytes(vk))) {
    return fail(ErrorCode::kAlreadyExists, "sender " + short_hex(tx.sender) + " already voted");
  }
  // yes + no <= the pool's token supply <= u64 max: no overflow.
  const size_t i = static_cast<size_t>(it - model->pools.begin());
  (p.approve ? model->yes[i] : model->no[i]) += weight;
  m.put_entry(vk, detail::encode_vote(VoteRecord{p.approve, weight, ctx.height}));
  detail::put_model(m, *model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const ModelVote& p) {
  return {{"model_id", p.model_id}, {"pool_id", p.pool_id}, {"approve", p.approve}};
}

constinit const TxTypeInfo kModelVoteInfo =
    tx_type_info<ModelVote>(TxType::kModelVote, "model_vote", &apply);

}  // namespace datadao::ledger
