// PublishModel: the runner (validator of the model's pools[0]) publishes a model in kTraining.
// Rules: weights blob hash not zero, size > 0, key sealed to the developer's box key (80 bytes);
// with DP, epsilon_spent_milli in 1..terms.epsilon_milli; without DP it is 0 (no finite ε holds);
// metrics: at most kMaxModelMetrics, distinct names [a-z0-9_]{1,32}; training_set_size >= 1 and
// equal to the number of contributions listed by RecordTrainingSet. The escrowed training fee goes
// to the runner; the model becomes kPublished.
// Shares: a non-personal model needs shares_assigned == kShareSupply (AssignShares); a personal
// model's proposer receives all kShareSupply units here. Serving: server_sealed_key is empty (not
// served; server_box_key must then be zero) or 80 bytes sealed to a non-zero server_box_key.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const PublishModel& p) {
  codec::Writer w(160 + p.weights_sealed_key.size() + 48 * p.metrics.size());
  w.u64(p.model_id)
      .fixed(p.weights_hash)
      .u64(p.weights_size)
      .bytes(crypto::as_bytes(p.weights_sealed_key))
      .u64(p.epsilon_spent_milli)
      .u64(p.steps);
  detail::write_metrics(w, p.metrics);
  w.u64(p.training_set_size).fixed(p.server_box_key).bytes(crypto::as_bytes(p.server_sealed_key));
  return w.take();
}

Result<PublishModel> decode_payload(ByteView bytes, std::type_identity<PublishModel>) {
  codec::Reader r(bytes, "publish_model payload");
  PublishModel p;
  p.model_id = r.u64("model_id");
  p.weights_hash = r.fixed<crypto::kHashBytes>("weights_hash");
  p.weights_size = r.u64("weights_size");
  p.weights_sealed_key = r.bytes("weights_sealed_key", kSealedFileKeyBytes);
  p.epsilon_spent_milli = r.u64("epsilon_spent_milli");
  p.steps = r.u64("steps");
  p.metrics = detail::read_metrics(r);
  p.training_set_size = r.u64("training_set_size");
  p.server_box_key = r.fixed<crypto::kBoxPublicKeyBytes>("server_box_key");
  p.server_sealed_key = r.bytes("server_sealed_key", kSealedFileKeyBytes);
  if (r.ok() && !p.server_sealed_key.empty() && p.server_sealed_key.size() != kSealedFileKeyBytes) {
    r.fail(ErrorCode::kInvalidArgument, "server_sealed_key",
           std::to_string(p.server_sealed_key.size()) + " bytes, not 0 or " +
               std::to_string(kSealedFileKeyBytes));
  }
  DD_TRY(r.finish());
  return p;
}

namespace {

Status check_weights_and_epsilon(const PublishModel& p, const ModelTerms& terms) {
  auto bad = [](const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); };
  if (p.weights_hash == crypto::Hash32{}) return bad("weights_hash is zero");
  if (p.weights_size == 0) return bad("weights_size 0 must be > 0");
  if (p.weights_sealed_key.size() != kSealedFileKeyBytes) {
    return bad("weights_sealed_key is " + std::to_string(p.weights_sealed_key.size()) +
               " bytes, not " + std::to_string(kSealedFileKeyBytes));
  }
  if (terms.dp_required &&
      (p.epsilon_spent_milli == 0 || p.epsilon_spent_milli > terms.epsilon_milli)) {
    return bad("epsilon_spent_milli " + std::to_string(p.epsilon_spent_milli) +
               " is outside the budget 1.." + std::to_string(terms.epsilon_milli));
  }
  if (!terms.dp_required && p.epsilon_spent_milli != 0) {
    return bad("epsilon_spent_milli " + std::to_string(p.epsilon_spent_milli) +
               " must be 0 for a model trained without DP");
  }
  return Status::Ok();
}

Status check_server_key(const PublishModel& p) {
  const bool zero_key = p.server_box_key == crypto::PublicKey{};
  if (p.server_sealed_key.empty()) {
    if (!zero_key) {
      return make_error(ErrorCode::kInvalidArgument,
                        "server_box_key is set but server_sealed_key is empty");
    }
    return Status::Ok();
  }
  if (zero_key) {
    return make_error(ErrorCode::kInvalidArgument,
                      "server_sealed_key is given but server_box_key is zero");
  }
  return Status::Ok();
}

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(PublishModel p, payload_as<PublishModel>(tx));
  const std::string what = "publish_model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  Result<Model> training = detail::model_in_training(m, p.model_id, tx.sender);
  if (!training.ok()) return training.error().with_context(what);
  Model model = std::move(training).value();
  if (Status s = check_weights_and_epsilon(p, model.terms); !s.ok()) {
    return s.error().with_context(what);
  }
  if (Status s = check_server_key(p); !s.ok()) return s.error().with_context(what);
  if (!model.personal && model.shares_assigned != kShareSupply) {
    return fail(ErrorCode::kFailedPrecondition, "shares: " + std::to_string(model.shares_assigned) +
                                                    " of " + std::to_string(kShareSupply) +
                                                    " assigned");
  }
  if (p.training_set_size == 0 || p.training_set_size != model.training_set_size) {
    return fail(ErrorCode::kInvalidArgument,
                "training_set_size " + std::to_string(p.training_set_size) + " must equal the " +
                    std::to_string(model.training_set_size) +
                    " contributions listed (and be >= 1)");
  }
  if (Status s = detail::credit(m, tx.sender, model.terms.training_fee); !s.ok()) {
    return s.error().with_context(what);
  }
  model.weights_hash = p.weights_hash;
  model.weights_size = p.weights_size;
  model.weights_sealed_key = std::move(p.weights_sealed_key);
  model.epsilon_spent_milli = p.epsilon_spent_milli;
  model.steps = p.steps;
  model.metrics = std::move(p.metrics);
  model.server_box_key = p.server_box_key;
  model.server_sealed_key = std::move(p.server_sealed_key);
  if (model.personal) {
    // The proposer is the sole owner: all shares, nothing accrued yet.
    model.shares_assigned = kShareSupply;
    model.share_holders = 1;
    detail::put_holding(m, model.id, model.developer, ShareHolding{kShareSupply, 0, 0});
  }
  model.status = ModelStatus::kPublished;
  model.closed_height = ctx.height;
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const PublishModel& p) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const ModelMetric& mt : p.metrics) metrics[mt.name] = mt.value_micro;
  return {{"model_id", p.model_id},
          {"weights_hash", codec::to_hex(p.weights_hash)},
          {"weights_size", p.weights_size},
          {"weights_sealed_key", codec::to_base64(crypto::as_bytes(p.weights_sealed_key))},
          {"epsilon_spent_milli", p.epsilon_spent_milli},
          {"steps", p.steps},
          {"metrics_micro", metrics},
          {"training_set_size", p.training_set_size},
          {"server_box_key", codec::to_hex(p.server_box_key)},
          {"server_sealed_key", codec::to_base64(crypto::as_bytes(p.server_sealed_key))}};
}

constinit const TxTypeInfo kPublishModelInfo =
    tx_type_info<PublishModel>(TxType::kPublishModel, "publish_model", &apply);

}  // namespace datadao::ledger
