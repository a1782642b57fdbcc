// Consent: a contributor opts listed contributions into a model (consent = true) or out of it
// (false). Rules: the model is in kVoting, or in kConsent up to its consent_deadline; each
// contribution is the sender's, attested with points > 0 and in one of the model's pools; a
// personal model takes only its proposer's. Opting in a contribution already consented, or
// opting out one already opted out, is rejected. Opting out removes a consent (explicit or by
// policy) and bars ApplyConsentPolicy from applying it again; opting in clears an opt-out.
// The whole batch is checked before anything changes.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const Consent& p) {
  codec::Writer w(13 + 8 * p.contribution_ids.size());
  w.u64(p.model_id);
  detail::write_ids(w, p.contribution_ids);
  w.boolean(p.consent);
  return w.take();
}

Result<Consent> decode_payload(ByteView bytes, std::type_identity<Consent>) {
  codec::Reader r(bytes, "consent payload");
  Consent p;
  p.model_id = r.u64("model_id");
  p.contribution_ids = detail::read_batch(r, kMaxConsentBatch);
  p.consent = r.boolean("consent");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(Consent p, payload_as<Consent>(tx));
  const std::string what = "consent to model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  Result<Model> open = detail::model_taking_consent(m, p.model_id, ctx.height);
  if (!open.ok()) return open.error().with_context(what);
  Model model = std::move(open).value();
  if (model.personal && tx.sender != model.developer) {
    return fail(ErrorCode::kPermissionDenied,
                "only its proposer may consent to personal model " + std::to_string(model.id));
  }
  std::vector<Contribution> batch;
  batch.reserve(p.contribution_ids.size());
  for (uint64_t id : p.contribution_ids) {
    Result<Contribution> found = detail::consentable(m, model, id);
    if (!found.ok()) return found.error().with_context(what);
    Contribution c = std::move(found).value();
    if (c.contributor != tx.sender) {
      return fail(
          ErrorCode::kPermissionDenied,
          "contribution " + std::to_string(id) + " is not sender " + short_hex(tx.sender) + "'s");
    }
    const bool consented = m.state().consent(model.id, id).has_value();
    if (p.consent && consented) {
      return fail(ErrorCode::kAlreadyExists,
                  "contribution " + std::to_string(id) + " already consents");
    }
    if (!p.consent && !consented && m.state().consent_denied(model.id, id)) {
      return fail(ErrorCode::kAlreadyExists,
                  "contribution " + std::to_string(id) + " is already opted out");
    }
    batch.push_back(std::move(c));
  }
  // Every check has passed: mutate.
  for (const Contribution& c : batch) {
    const Bytes dk = detail::denied_key(model.id, c.id);
    if (p.consent) {
      m.put_entry(dk, std::nullopt);
      detail::add_consent(m, model, c, ConsentRecord{false, ctx.height});
    } else {
      if (m.state().consent(model.id, c.id)) detail::remove_consent(m, model, c);
      m.put_entry(dk, Bytes{});
    }
  }
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const Consent& p) {
  return {
      {"model_id", p.model_id}, {"contribution_ids", p.contribution_ids}, {"consent", p.consent}};
}

constinit const TxTypeInfo kConsentInfo =
    tx_type_info<Consent>(TxType::kConsent, "consent", &apply);

}  // namespace datadao::ledger
