// Transaction type registry: one entry per TxType, each defined in that type's own file
// (tx_<type>.cpp) with tx_type_info<Payload>. Adding a type = one file with its Info, codec, apply
// and to_json + one line here and in registry.cpp.
// The table is immutable after static initialisation; lookups are thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

namespace detail {
class StateMutator;
}

// Validates every rule against state, then mutates through `m`. Must not mutate before the last
// check that can fail (State also journals, so a violation cannot leave a trace).
using ApplyFn = Status (*)(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx);

struct TxTypeInfo {
  TxType type;
  std::string_view name;
  // Stateless: the payload decodes strictly for this type.
  Status (*check_payload)(ByteView payload);
  ApplyFn apply;
  // JSON view of a payload that passed check_payload.
  nlohmann::json (*payload_json)(ByteView payload);
};

// The defaults for payload type P: the check is P's strict decoder, the view is to_json(P)
// (ledger/json.hpp) of the decoded payload.
template <class P>
Status check_payload_as(ByteView payload) {
  DD_TRY(decode_payload(payload, std::type_identity<P>{}));
  return Status::Ok();
}
template <class P>
nlohmann::json payload_json_as(ByteView payload) {
  auto p = decode_payload(payload, std::type_identity<P>{});
  if (!p.ok()) return nullptr;
  return to_json(*p);
}

// The entry of the type whose payload is P, with the defaults above.
template <class P>
constexpr TxTypeInfo tx_type_info(TxType type, std::string_view name, ApplyFn apply) {
  return {type, name, &check_payload_as<P>, apply, &payload_json_as<P>};
}

// nullptr if the type is not registered.
const TxTypeInfo* find_tx_type(TxType type);

// One line per type (defined in tx_<type>.cpp).
extern const TxTypeInfo kTransferInfo;
extern const TxTypeInfo kRegisterFileInfo;
extern const TxTypeInfo kGrantAccessInfo;
extern const TxTypeInfo kRevokeAccessInfo;
extern const TxTypeInfo kCreatePoolInfo;
extern const TxTypeInfo kContributeInfo;
extern const TxTypeInfo kAttestInfo;
extern const TxTypeInfo kProposeInfo;
extern const TxTypeInfo kVoteInfo;
extern const TxTypeInfo kProposeModelInfo;
extern const TxTypeInfo kModelVoteInfo;
extern const TxTypeInfo kConsentInfo;
extern const TxTypeInfo kSetConsentPolicyInfo;
extern const TxTypeInfo kApplyConsentPolicyInfo;
extern const TxTypeInfo kRecordTrainingSetInfo;
extern const TxTypeInfo kPublishModelInfo;
extern const TxTypeInfo kAssignSharesInfo;
extern const TxTypeInfo kTransferSharesInfo;
extern const TxTypeInfo kUseModelInfo;
extern const TxTypeInfo kClaimInfo;

}  // namespace datadao::ledger
