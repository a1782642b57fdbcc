// JSON views of ledger values for humans and the API: ids and keys as lowercase hex, sealed keys
// as base64, the transaction payload decoded by its type. Views only: nothing is parsed back
// from them (the canonical binary encoding is the interchange format). Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "datadao/ledger/state.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger {

// {"id", "version", "chain_id", "sender", "nonce", "type", "payload": {...}, "signature"}.
// A payload that does not decode for its type appears as "payload_hex" plus "payload_error".
nlohmann::json to_json(const Transaction& tx);
nlohmann::json to_json(const Account& account);
nlohmann::json to_json(const FileRecord& file);
nlohmann::json to_json(const Grant& grant);
// A proposal's terms: {"dp_required", "epsilon_milli", "delta_e12", "min_contributors",
// "price_per_call", "training_fee", "consent_blocks", "attribution" (by name)}.
nlohmann::json to_json(const ModelTerms& terms);

}  // namespace datadao::ledger
