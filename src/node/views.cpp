#include "datadao/node/views.hpp"

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/json.hpp"

namespace datadao::node {

using nlohmann::json;

json error_json(const Error& e) {
  return {{"error", {{"code", std::string(error_code_name(e.code))}, {"message", e.message}}}};
}

json outcome_json(const TxOutcome& o) {
  json j = {{"tx_id", codec::to_hex(o.tx_id)}, {"duplicate", o.duplicate}};
  switch (o.status) {
    case TxOutcome::Status::kPending:
      j["status"] = "pending";
      break;
    case TxOutcome::Status::kIncluded:
      j["status"] = "included";
      j["height"] = o.height;
      j["index"] = o.index;
      break;
    case TxOutcome::Status::kRejected:
      j["status"] = "rejected";
      if (o.error) j["error"] = error_json(*o.error)["error"];
      break;
  }
  return j;
}

uint64_t latest_time(const ledger::Chain& chain) { return chain.head().header.timestamp; }

json status_json(const ledger::Chain& chain, const crypto::PublicKey& operator_key) {
  json j = {{"chain_id", chain.state().chain_id()},
            {"height", chain.height()},
            {"state_hash", codec::to_hex(chain.state().state_hash())},
            {"operator_key", codec::to_hex(operator_key)},
            {"accounts", chain.state().account_count()}};
  j["head_hash"] = codec::to_hex(ledger::header_hash(chain.head().header));
  j["timestamp"] = chain.head().header.timestamp;
  return j;
}

json account_json(const ledger::AccountId& id, const ledger::Account& a, bool exists) {
  json j = ledger::to_json(a);
  j["account"] = codec::to_hex(id);
  j["exists"] = exists;
  return j;
}

json grant_json(const ledger::Grant& g, bool active) {
  json j = ledger::to_json(g);
  j["active"] = active;
  return j;
}

json contribution_json(const ledger::Contribution& c, const ledger::FileRecord* file) {
  json j = ledger::to_json(c);
  if (file != nullptr) j["file"] = ledger::to_json(*file);
  return j;
}

json vote_json(const std::optional<ledger::VoteRecord>& v) {
  if (!v) return {{"voted", false}};
  json j = ledger::to_json(*v);
  j["voted"] = true;
  return j;
}

json consent_policy_json(const std::optional<ledger::ConsentPolicy>& p) {
  if (!p) return {{"enabled", false}, {"set", false}};
  json j = ledger::to_json(*p);
  j["set"] = true;
  return j;
}

json consent_status_json(const std::optional<ledger::ConsentRecord>& c, bool denied) {
  if (c) return {{"status", "consented"}, {"by_policy", c->by_policy}, {"height", c->height}};
  return {{"status", denied ? "denied" : "none"}};
}

json progress_json(const ModelProgress& p) {
  json j = progress_body(p);
  j["received_at"] = p.received_at;
  return j;
}

}  // namespace datadao::node
