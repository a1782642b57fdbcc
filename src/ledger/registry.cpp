#include "registry.hpp"

namespace datadao::ledger {

const TxTypeInfo* find_tx_type(TxType type) {
  // One line per type.
  static const TxTypeInfo* const kTypes[] = {
      &kTransferInfo,
      &kRegisterFileInfo,
      &kGrantAccessInfo,
      &kRevokeAccessInfo,
      &kCreatePoolInfo,
      &kContributeInfo,
      &kAttestInfo,
      &kProposeInfo,
      &kVoteInfo,
      &kProposeModelInfo,
      &kModelVoteInfo,
      &kConsentInfo,
      &kSetConsentPolicyInfo,
      &kApplyConsentPolicyInfo,
      &kRecordTrainingSetInfo,
      &kPublishModelInfo,
      &kAssignSharesInfo,
      &kTransferSharesInfo,
      &kUseModelInfo,
      &kClaimInfo,
  };
  for (const TxTypeInfo* info : kTypes) {
    if (info->type == type) return info;
  }
  return nullptr;
}

std::string_view type_name(TxType type) {
  const TxTypeInfo* info = find_tx_type(type);
  return info ? info->name : std::string_view("unknown");
}

}  // namespace datadao::ledger
