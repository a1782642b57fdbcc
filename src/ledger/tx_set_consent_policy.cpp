// SetConsentPolicy: the sender sets (replaces) their standing consent policy. Rules: purposes are
// distinct [a-z0-9_]{1,32}, at most kMaxPolicyPurposes; join_pools are distinct non-zero pool
// ids, at most kMaxPolicyPools (a pool that does not exist yet may be named). The state records
// the height. A policy only ever consents through ApplyConsentPolicy, for models it matches
// (policy_matches); it changes no consent already given.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const SetConsentPolicy& p) {
  codec::Writer w(32 + 36 * p.policy.purposes.size() + 8 * p.policy.join_pools.size());
  detail::write_policy_rules(w, p.policy);
  return w.take();
}

Result<SetConsentPolicy> decode_payload(ByteView bytes, std::type_identity<SetConsentPolicy>) {
  codec::Reader r(bytes, "set_consent_policy payload");
  SetConsentPolicy p;
  p.policy = detail::read_policy_rules(r);
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(SetConsentPolicy p, payload_as<SetConsentPolicy>(tx));
  auto fail = [](const std::string& why) {
    return make_error(ErrorCode::kInvalidArgument, "set_consent_policy: " + why);
  };
  for (const std::string& purpose : p.policy.purposes) {
    if (!is_model_word(purpose, kMaxModelPurposeBytes)) {
      return fail("purpose '" + purpose + "' must match [a-z0-9_]{1,32}");
    }
  }
  for (uint64_t pool : p.policy.join_pools) {
    if (pool == 0) return fail("join_pools: pool id 0 does not exist");
  }
  p.policy.height = ctx.height;
  m.put_entry(detail::policy_key(tx.sender), detail::encode_policy(p.policy));
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const SetConsentPolicy& p) {
  nlohmann::json j = to_json(p.policy);
  j.erase("height");  // not carried: the state sets it
  return j;
}

constinit const TxTypeInfo kSetConsentPolicyInfo =
    tx_type_info<SetConsentPolicy>(TxType::kSetConsentPolicy, "set_consent_policy", &apply);

}  // namespace datadao::ledger
