// Transaction type registry: one entry per TxType, each defined in that type's own file
// (tx_<type>.cpp). Adding a type = one file with its Info + one line here and in registry.cpp.
// The table is immutable after static initialisation; lookups are thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

namespace detail {
class StateMutator;
}

struct TxTypeInfo {
  TxType type;
  std::string_view name;
  // Stateless: the payload decodes strictly for this type.
  Status (*check_payload)(ByteView payload);
  // Validates every rule against state, then mutates through `m`. Must not mutate before the
  // last check that can fail (State also journals, so a violation cannot leave a trace).
  Status (*apply)(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx);
  // JSON view of a payload that passed check_payload.
  nlohmann::json (*payload_json)(ByteView payload);
};

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
