#include "datadao/ledger/json.hpp"

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "registry.hpp"

namespace datadao::ledger {

nlohmann::json to_json(const Transaction& tx) {
  nlohmann::json j;
  j["id"] = codec::to_hex(tx_id(tx));
  j["version"] = tx.version;
  j["chain_id"] = tx.chain_id;
  j["sender"] = codec::to_hex(tx.sender);
  j["nonce"] = tx.nonce;
  j["type"] = std::string(type_name(tx.type));
  const TxTypeInfo* info = find_tx_type(tx.type);
  ByteView payload(tx.payload.data(), tx.payload.size());
  Status ok = info ? info->check_payload(payload)
                   : Status(make_error(ErrorCode::kInvalidArgument,
                                       "unknown transaction type " +
                                           std::to_string(static_cast<uint16_t>(tx.type))));
  if (ok.ok()) {
    j["payload"] = info->payload_json(payload);
  } else {
    j["payload_hex"] = codec::to_hex(payload);
    j["payload_error"] = ok.error().to_string();
  }
  j["signature"] = codec::to_hex(tx.signature);
  return j;
}

nlohmann::json to_json(const SignedHeader& s) {
  const BlockHeader& h = s.header;
  return {{"height", h.height},
          {"hash", codec::to_hex(header_hash(h))},
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

nlohmann::json to_json(const Account& a) { return {{"credits", a.credits}, {"nonce", a.nonce}}; }

nlohmann::json to_json(const FileRecord& f) {
  return {{"id", f.id},
          {"owner", codec::to_hex(f.owner)},
          {"blob_hash", codec::to_hex(f.blob_hash)},
          {"size", f.size},
          {"source", f.source},
          {"locator", f.locator},
          {"registered_height", f.registered_height}};
}

nlohmann::json to_json(const Grant& g) {
  return {{"file_id", g.file_id},
          {"grantee", codec::to_hex(g.grantee)},
          {"grantee_box_key", codec::to_hex(g.grantee_box_key)},
          {"sealed_key", codec::to_base64(g.sealed_key)},
          {"purpose", g.purpose},
          {"expires_at", g.expires_at},
          {"granted_height", g.granted_height},
          {"revoked", g.revoked},
          {"revoked_height", g.revoked_height}};
}

// ---- Pools -------------------------------------------------------------------------------------

nlohmann::json to_json(const PoolParams& p) {
  return {{"reward_per_point", p.reward_per_point},
          {"quorum_bps", p.quorum_bps},
          {"voting_period", p.voting_period},
          {"accepting", p.accepting}};
}

nlohmann::json to_json(const Pool& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"creator", codec::to_hex(p.creator)},
          {"source", p.source},
          {"schema_version", p.schema_version},
          {"validator", codec::to_hex(p.validator)},
          {"box_key", codec::to_hex(p.box_key)},
          {"params", to_json(p.params)},
          {"token_supply", p.token_supply},
          {"contributions", p.contributions},
          {"attested", p.attested},
          {"next_proposal_id", p.next_proposal_id},
          {"created_height", p.created_height}};
}

nlohmann::json to_json(const Attestation& a) {
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

nlohmann::json to_json(const Contribution& c) {
  nlohmann::json j = {{"id", c.id},
                      {"pool_id", c.pool_id},
                      {"file_id", c.file_id},
                      {"contributor", codec::to_hex(c.contributor)},
                      {"sealed_key", codec::to_base64(c.sealed_key)},
                      {"sealed_claim", codec::to_base64(c.sealed_claim)},
                      {"height", c.height},
                      {"attested", c.attested}};
  if (c.attested) j["attestation"] = to_json(c.attestation);
  return j;
}

nlohmann::json to_json(const Proposal& p) {
  return {{"pool_id", p.pool_id},
          {"id", p.id},
          {"proposer", codec::to_hex(p.proposer)},
          {"param", std::string(pool_param_name(p.param))},
          {"value", p.value},
          {"description", p.description},
          {"created_height", p.created_height},
          {"deadline", p.deadline},
          {"supply_at_creation", p.supply_at_creation},
          {"yes", p.yes},
          {"no", p.no},
          {"status", std::string(proposal_status_name(p.status))},
          {"closed_height", p.closed_height}};
}

nlohmann::json to_json(const VoteRecord& v) {
  return {{"approve", v.approve}, {"weight", v.weight}, {"height", v.height}};
}

// ---- Models ------------------------------------------------------------------------------------

nlohmann::json to_json(const ModelTerms& t) {
  return {{"dp_required", t.dp_required},
          {"epsilon_milli", t.epsilon_milli},
          {"delta_e12", t.delta_e12},
          {"min_contributors", t.min_contributors},
          {"price_per_call", t.price_per_call},
          {"training_fee", t.training_fee},
          {"consent_blocks", t.consent_blocks},
          {"attribution", std::string(attribution_method_name(t.attribution))}};
}

nlohmann::json to_json(const Model& m) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& x : m.metrics) {
    metrics.push_back({{"name", x.name}, {"value_micro", x.value_micro}});
  }
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
          {"terms", to_json(m.terms)},
          {"status", std::string(model_status_name(m.status))},
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

nlohmann::json to_json(const ConsentPolicy& p) {
  return {{"enabled", p.enabled},
          {"require_dp", p.require_dp},
          {"max_epsilon_milli", p.max_epsilon_milli},
          {"min_price_per_call", p.min_price_per_call},
          {"purposes", p.purposes},
          {"join_pools", p.join_pools},
          {"height", p.height}};
}

}  // namespace datadao::ledger
