// ApplyConsentPolicy: a pool's validator records consent for contributions in its pool whose
// contributor's standing policy matches the model (policy_matches: deny by default). Rules: the
// model is in kVoting, or in kConsent up to its consent_deadline; each contribution is attested
// with points > 0, in one of the model's pools, and in a pool the sender validates; its
// contributor has an enabled policy that matches; it is neither consented already nor opted out.
// The consents are marked by_policy and the contributor may revoke them like any other.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const ApplyConsentPolicy& p) { return detail::encode_model_batch(p); }

Result<ApplyConsentPolicy> decode_payload(ByteView bytes, std::type_identity<ApplyConsentPolicy>) {
  return detail::decode_model_batch<ApplyConsentPolicy>(bytes, "apply_consent_policy payload",
                                                        kMaxConsentBatch);
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(ApplyConsentPolicy p, payload_as<ApplyConsentPolicy>(tx));
  const std::string what = "apply_consent_policy to model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  Result<Model> open = detail::model_taking_consent(m, p.model_id, ctx.height);
  if (!open.ok()) return open.error().with_context(what);
  Model model = std::move(open).value();
  if (model.personal) {
    return fail(ErrorCode::kPermissionDenied, "policies never consent to a personal model");
  }
  std::vector<Contribution> batch;
  batch.reserve(p.contribution_ids.size());
  for (uint64_t id : p.contribution_ids) {
    Result<Contribution> found = detail::consentable(m, model, id);
    if (!found.ok()) return found.error().with_context(what);
    Contribution c = std::move(found).value();
    const std::string which = "contribution " + std::to_string(id);
    std::optional<Pool> pool = detail::get_pool(m, c.pool_id);
    if (!pool || pool->validator != tx.sender) {
      return fail(ErrorCode::kPermissionDenied, "sender " + short_hex(tx.sender) +
                                                    " is not the validator of pool " +
                                                    std::to_string(c.pool_id) + " of " + which);
    }
    if (m.state().consent_denied(model.id, id)) {
      return fail(ErrorCode::kFailedPrecondition, which + " was opted out by its contributor");
    }
    if (m.state().consent(model.id, id)) {
      return fail(ErrorCode::kAlreadyExists, which + " already consents");
    }
    std::optional<ConsentPolicy> policy = m.state().consent_policy(c.contributor);
    if (!policy || !policy_matches(*policy, model)) {
      return fail(ErrorCode::kPermissionDenied,
                  "the contributor " + short_hex(c.contributor) + " of " + which +
                      (policy ? " has a policy that does not match the model"
                              : " has no consent policy (deny by default)"));
    }
    batch.push_back(std::move(c));
  }
  // Every check has passed: mutate.
  for (const Contribution& c : batch) {
    detail::add_consent(m, model, c, ConsentRecord{true, ctx.height});
  }
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const ApplyConsentPolicy& p) {
  return {{"model_id", p.model_id}, {"contribution_ids", p.contribution_ids}};
}

constinit const TxTypeInfo kApplyConsentPolicyInfo =
    tx_type_info<ApplyConsentPolicy>(TxType::kApplyConsentPolicy, "apply_consent_policy", &apply);

}  // namespace datadao::ledger
