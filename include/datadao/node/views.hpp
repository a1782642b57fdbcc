// The API's JSON objects that are more than one ledger value: errors, outcomes, the node status,
// and ledger values with what the node knows beside them (an account's existence, a grant's
// activity now, a contribution's file). Single ledger values render with ledger::to_json
// (ledger/json.hpp), which these build on. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/node/node.hpp"

namespace datadao::node {

nlohmann::json error_json(const Error& e);
nlohmann::json outcome_json(const TxOutcome& o);
nlohmann::json status_json(const ledger::Chain& chain, const crypto::PublicKey& operator_key);
// ledger::to_json(account) with the id and whether the state holds it.
nlohmann::json account_json(const ledger::AccountId& id, const ledger::Account& a, bool exists);
// ledger::to_json(grant) with "active" at the read time.
nlohmann::json grant_json(const ledger::Grant& g, bool active);
// With the contributed file's record when the state has it (the validator needs its blob hash).
nlohmann::json contribution_json(const ledger::Contribution& c, const ledger::FileRecord* file);
// {"voted": false}, or the vote with "voted": true.
nlohmann::json vote_json(const std::optional<ledger::VoteRecord>& v);
// {"enabled": false, "set": false} for an account that never set a policy.
nlohmann::json consent_policy_json(const std::optional<ledger::ConsentPolicy>& p);
// One contribution's consent to a model: "consented" (with by_policy, height), "denied" or
// "none".
nlohmann::json consent_status_json(const std::optional<ledger::ConsentRecord>& c, bool denied);
nlohmann::json progress_json(const ModelProgress& p);

// The timestamp of the chain's head block: "now" as far as the ledger is concerned.
uint64_t latest_time(const ledger::Chain& chain);

}  // namespace datadao::node
