// JSON views of ledger objects, shared by the HTTP API and the CLI's --json output so both
// speak the same shapes. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/node/node.hpp"

namespace datadao::node {

nlohmann::json error_json(const Error& e);
nlohmann::json outcome_json(const TxOutcome& o);
nlohmann::json header_json(const ledger::SignedHeader& h);
nlohmann::json status_json(const ledger::Chain& chain, const crypto::PublicKey& operator_key);
nlohmann::json account_json(const ledger::AccountId& id, const ledger::Account& a, bool exists);
nlohmann::json file_json(const ledger::FileRecord& f);
nlohmann::json grant_json(const ledger::Grant& g, bool active);
nlohmann::json pool_json(const ledger::Pool& p);
nlohmann::json attestation_json(const ledger::Attestation& a);
// With the contributed file's record when the state has it (the validator needs its blob hash).
nlohmann::json contribution_json(const ledger::Contribution& c, const ledger::FileRecord* file);
nlohmann::json proposal_json(const ledger::Proposal& p);
nlohmann::json vote_json(const std::optional<ledger::VoteRecord>& v);
// Models (ledger/models.hpp): integers as the ledger holds them (epsilon_milli, delta_e12,
// value_micro), the status by name.
nlohmann::json model_json(const ledger::Model& m);
// {"enabled": false} for an account that never set a policy.
nlohmann::json consent_policy_json(const std::optional<ledger::ConsentPolicy>& p);
// One contribution's consent to a model: "consented" (with by_policy, height), "denied" or
// "none".
nlohmann::json consent_status_json(const std::optional<ledger::ConsentRecord>& c, bool denied);
nlohmann::json progress_json(const ModelProgress& p);

// The timestamp of the chain's head block: "now" as far as the ledger is concerned.
uint64_t latest_time(const ledger::Chain& chain);

}  // namespace datadao::node
