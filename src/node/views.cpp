#include "datadao/node/views.hpp"

#include "datadao/codec/codec.hpp"

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

json header_json(const ledger::SignedHeader& s) {
  const auto& h = s.header;
  return {{"height", h.height},
          {"hash", codec::to_hex(ledger::header_hash(h))},
          {"chain_id", h.chain_id},
          {"prev_hash", codec::to_hex(h.prev_hash)},
          {"tx_root", codec::to_hex(h.tx_root)},
          {"state_hash", codec::to_hex(h.state_hash)},
          {"timestamp", h.timestamp},
          {"tx_count", h.tx_count},
          {"genesis_hash", codec::to_hex(h.genesis_hash)},
          {"proposer", codec::to_hex(h.proposer)},
          {"signature", codec::to_hex(s.signature)}};
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
  return {{"account", codec::to_hex(id)},
          {"exists", exists},
          {"credits", a.credits},
          {"nonce", a.nonce}};
}

json file_json(const ledger::FileRecord& f) {
  return {{"id", f.id},
          {"owner", codec::to_hex(f.owner)},
          {"blob_hash", codec::to_hex(f.blob_hash)},
          {"size", f.size},
          {"source", f.source},
          {"locator", f.locator},
          {"registered_height", f.registered_height}};
}

json grant_json(const ledger::Grant& g, bool active) {
  return {{"file_id", g.file_id},
          {"grantee", codec::to_hex(g.grantee)},
          {"grantee_box_key", codec::to_hex(g.grantee_box_key)},
          {"sealed_key", codec::to_base64(g.sealed_key)},
          {"purpose", g.purpose},
          {"expires_at", g.expires_at},
          {"granted_height", g.granted_height},
          {"revoked", g.revoked},
          {"revoked_height", g.revoked_height},
          {"active", active}};
}

}  // namespace datadao::node
