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

json pool_json(const ledger::Pool& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"creator", codec::to_hex(p.creator)},
          {"source", p.source},
          {"schema_version", p.schema_version},
          {"validator", codec::to_hex(p.validator)},
          {"box_key", codec::to_hex(p.box_key)},
          {"params",
           {{"reward_per_point", p.params.reward_per_point},
            {"quorum_bps", p.params.quorum_bps},
            {"voting_period", p.params.voting_period},
            {"accepting", p.params.accepting}}},
          {"token_supply", p.token_supply},
          {"contributions", p.contributions},
          {"attested", p.attested},
          {"next_proposal_id", p.next_proposal_id},
          {"created_height", p.created_height}};
}

json attestation_json(const ledger::Attestation& a) {
  return {{"authentic", a.authentic},
          {"owned", a.owned},
          {"handle_conflict", a.handle_conflict},
          {"handle_tag", codec::to_hex(a.handle_tag)},
          {"records_total", a.records_total},
          {"exact_duplicates", a.exact_duplicates},
          {"near_duplicates", a.near_duplicates},
          {"low_quality", a.low_quality},
          {"accepted", a.accepted},
          {"points", a.points},
          {"tokens", a.tokens},
          {"refined_blob_hash", codec::to_hex(a.refined_blob_hash)},
          {"refined_size", a.refined_size},
          {"refined_sealed_key", codec::to_base64(a.refined_sealed_key)},
          {"note", a.note},
          {"height", a.height}};
}

json contribution_json(const ledger::Contribution& c, const ledger::FileRecord* file) {
  json j = {{"id", c.id},
            {"pool_id", c.pool_id},
            {"file_id", c.file_id},
            {"contributor", codec::to_hex(c.contributor)},
            {"sealed_key", codec::to_base64(c.sealed_key)},
            {"sealed_claim", codec::to_base64(c.sealed_claim)},
            {"height", c.height},
            {"attested", c.attested}};
  if (file != nullptr) j["file"] = file_json(*file);
  if (c.attested) j["attestation"] = attestation_json(c.attestation);
  return j;
}

json proposal_json(const ledger::Proposal& p) {
  return {{"pool_id", p.pool_id},
          {"id", p.id},
          {"proposer", codec::to_hex(p.proposer)},
          {"param", std::string(ledger::pool_param_name(p.param))},
          {"value", p.value},
          {"description", p.description},
          {"created_height", p.created_height},
          {"deadline", p.deadline},
          {"supply_at_creation", p.supply_at_creation},
          {"yes", p.yes},
          {"no", p.no},
          {"status", std::string(ledger::proposal_status_name(p.status))},
          {"closed_height", p.closed_height}};
}

json vote_json(const std::optional<ledger::VoteRecord>& v) {
  if (!v) return {{"voted", false}};
  return {{"voted", true}, {"approve", v->approve}, {"weight", v->weight}, {"height", v->height}};
}

json model_json(const ledger::Model& m) {
  json metrics = json::array();
  for (const auto& x : m.metrics)
    metrics.push_back({{"name", x.name}, {"value_micro", x.value_micro}});
  return {{"id", m.id},
          {"developer", codec::to_hex(m.developer)},
          {"developer_box_key", codec::to_hex(m.developer_box_key)},
          {"pools", m.pools},
          {"personal", m.personal},
          {"kind", m.kind},
          {"purpose", m.purpose},
          {"description", m.description},
          {"fields", m.fields},
          {"spec", m.spec},
          {"terms", ledger::to_json(m.terms)},
          {"status", std::string(ledger::model_status_name(m.status))},
          {"created_height", m.created_height},
          {"vote_deadline", m.vote_deadline},
          {"consent_deadline", m.consent_deadline},
          {"supply_at_creation", m.supply_at_creation},
          {"yes", m.yes},
          {"no", m.no},
          {"consents", m.consents},
          {"consenting_contributors", m.consenting_contributors},
          {"training_set_size", m.training_set_size},
          {"weights_hash", codec::to_hex(m.weights_hash)},
          {"weights_size", m.weights_size},
          {"weights_sealed_key", codec::to_base64(m.weights_sealed_key)},
          {"epsilon_spent_milli", m.epsilon_spent_milli},
          {"steps", m.steps},
          {"metrics", metrics},
          {"server_box_key", codec::to_hex(m.server_box_key)},
          {"served", !m.server_sealed_key.empty()},
          {"shares_assigned", m.shares_assigned},
          {"share_holders", m.share_holders},
          {"uses", m.uses},
          {"rewards_paid", m.rewards_paid},
          {"rewards_claimed", m.rewards_claimed},
          {"closed_height", m.closed_height}};
}

json consent_policy_json(const std::optional<ledger::ConsentPolicy>& p) {
  if (!p) return {{"enabled", false}, {"set", false}};
  return {{"enabled", p->enabled},
          {"set", true},
          {"require_dp", p->require_dp},
          {"max_epsilon_milli", p->max_epsilon_milli},
          {"min_price_per_call", p->min_price_per_call},
          {"purposes", p->purposes},
          {"join_pools", p->join_pools},
          {"height", p->height}};
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
