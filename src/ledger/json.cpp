#include "datadao/ledger/json.hpp"

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
          {"sealed_key", codec::to_base64(crypto::as_bytes(g.sealed_key))},
          {"purpose", g.purpose},
          {"expires_at", g.expires_at},
          {"granted_height", g.granted_height},
          {"revoked", g.revoked},
          {"revoked_height", g.revoked_height}};
}

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

}  // namespace datadao::ledger
