// JSON views of ledger values for humans and the API: ids and keys as lowercase hex, sealed keys
// as base64, enums by name, integers as the ledger holds them (epsilon_milli, delta_e12,
// value_micro). One renderer per type: the node's API and the CLI's --json compose these (see
// node/views.hpp) rather than spell the objects again. Views only: nothing is parsed back from
// them (the canonical binary encoding is the interchange format). Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "datadao/ledger/block.hpp"
#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

// {"id", "version", "chain_id", "sender", "nonce", "type", "payload": {...}, "signature"}.
// A payload that does not decode for its type appears as "payload_hex" plus "payload_error".
nlohmann::json to_json(const Transaction& tx);
nlohmann::json to_json(const SignedHeader& header);  // with "hash"
nlohmann::json to_json(const Account& account);
nlohmann::json to_json(const FileRecord& file);
nlohmann::json to_json(const Grant& grant);

// ---- Pools -------------------------------------------------------------------------------------
nlohmann::json to_json(const PoolParams& params);
nlohmann::json to_json(const Pool& pool);  // params nested under "params"
nlohmann::json to_json(const Attestation& attestation);
// Without the contributed file's record; with "attestation" once attested.
nlohmann::json to_json(const Contribution& contribution);
nlohmann::json to_json(const Proposal& proposal);
nlohmann::json to_json(const VoteRecord& vote);

// ---- Models ------------------------------------------------------------------------------------
// A proposal's terms: {"dp_required", "epsilon_milli", "delta_e12", "min_contributors",
// "price_per_call", "training_fee", "consent_blocks", "attribution" (by name)}.
nlohmann::json to_json(const ModelTerms& terms);
nlohmann::json to_json(const Model& model);  // "served" stands for the server's sealed key
nlohmann::json to_json(const ConsentPolicy& policy);

// ---- Transaction payloads (each defined in its src/ledger/tx_<type>.cpp) -----------------------
nlohmann::json to_json(const Transfer& p);
nlohmann::json to_json(const RegisterFile& p);
nlohmann::json to_json(const GrantAccess& p);
nlohmann::json to_json(const RevokeAccess& p);
nlohmann::json to_json(const CreatePool& p);  // params flattened into the object
nlohmann::json to_json(const Contribute& p);
nlohmann::json to_json(const Attest& p);
nlohmann::json to_json(const Propose& p);
nlohmann::json to_json(const Vote& p);
nlohmann::json to_json(const ProposeModel& p);
nlohmann::json to_json(const ModelVote& p);
nlohmann::json to_json(const Consent& p);
nlohmann::json to_json(const SetConsentPolicy& p);  // the policy without its height
nlohmann::json to_json(const ApplyConsentPolicy& p);
nlohmann::json to_json(const RecordTrainingSet& p);
nlohmann::json to_json(const PublishModel& p);  // metrics as {"name": value_micro}
nlohmann::json to_json(const AssignShares& p);
nlohmann::json to_json(const TransferShares& p);
nlohmann::json to_json(const UseModel& p);
nlohmann::json to_json(const Claim& p);

}  // namespace datadao::ledger
