// RecordTrainingSet: the runner (validator of the model's pools[0]) lists contributions it trains
// on, in chunks. Rules: the model is in kTraining (consent is frozen); each contribution consents
// to the model, is not listed yet, and its contributor has a consent in every pool of the model
// (for a cross-pool model, only contributors who consented in all pools are joined). A
// contribution that does not consent can never be listed, so the published training_set_size
// counts only consented data. Each listed contribution also counts for its contributor (0x29),
// which AssignShares checks.
#include <map>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const RecordTrainingSet& p) { return detail::encode_model_batch(p); }

Result<RecordTrainingSet> decode_payload(ByteView bytes, std::type_identity<RecordTrainingSet>) {
  return detail::decode_model_batch<RecordTrainingSet>(bytes, "record_training_set payload",
                                                       kMaxTrainingSetChunk);
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(RecordTrainingSet p, payload_as<RecordTrainingSet>(tx));
  const std::string what = "record_training_set of model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  Result<Model> training = detail::model_in_training(m, p.model_id, tx.sender);
  if (!training.ok()) return training.error().with_context(what);
  Model model = std::move(training).value();
  std::map<AccountId, uint64_t> per_contributor;
  for (uint64_t id : p.contribution_ids) {
    const std::string which = "contribution " + std::to_string(id);
    if (!m.state().consent(model.id, id)) {
      return fail(ErrorCode::kPermissionDenied, which + " does not consent to the model");
    }
    if (m.entry(crypto::as_bytes(detail::training_set_key(model.id, id)))) {
      return fail(ErrorCode::kAlreadyExists, which + " is already listed");
    }
    std::optional<Contribution> c = detail::get_contribution(m, id);
    if (!c) return fail(ErrorCode::kInternal, which + " is missing");
    const size_t covered = detail::pools_consented(m, model, c->contributor);
    if (covered != model.pools.size()) {
      return fail(ErrorCode::kPermissionDenied, which + ": its contributor " +
                                                    short_hex(c->contributor) + " consented in " +
                                                    std::to_string(covered) + " of the model's " +
                                                    std::to_string(model.pools.size()) + " pools");
    }
    per_contributor[c->contributor] += 1;
  }
  // Every check has passed: mutate. At most the number of contributions: no overflow.
  for (uint64_t id : p.contribution_ids) {
    m.put_entry(detail::training_set_key(model.id, id), Bytes{});
  }
  for (const auto& [contributor, n] : per_contributor) {
    const Bytes key = detail::contributor_count_key(model.id, contributor);
    m.put_entry(key, detail::encode_u64(detail::get_u64(m, key, 0) + n));
  }
  model.training_set_size += p.contribution_ids.size();
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const RecordTrainingSet& p) {
  return {{"model_id", p.model_id}, {"contribution_ids", p.contribution_ids}};
}

constinit const TxTypeInfo kRecordTrainingSetInfo =
    tx_type_info<RecordTrainingSet>(TxType::kRecordTrainingSet, "record_training_set", &apply);

}  // namespace datadao::ledger
