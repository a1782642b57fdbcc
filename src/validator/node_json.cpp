#include "node_json.hpp"

#include "datadao/codec/codec.hpp"

namespace datadao::validator::detail {

using nlohmann::json;

namespace {

Result<const json*> field(const json& j, const char* key, const std::string& what,
                          bool (json::*is)() const noexcept, const char* type) {
  if (!j.is_object()) {
    return make_error(ErrorCode::kCorruption, what + ": not a JSON object");
  }
  auto it = j.find(key);
  if (it == j.end() || !((*it).*is)()) {
    return make_error(ErrorCode::kCorruption,
                      what + ": field '" + key + "' missing or not " + type);
  }
  return &*it;
}

}  // namespace

Result<uint64_t> u64_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(const json* v, field(j, key, what, &json::is_number_unsigned, "an unsigned integer"));
  return v->get<uint64_t>();
}

Result<bool> bool_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(const json* v, field(j, key, what, &json::is_boolean, "a boolean"));
  return v->get<bool>();
}

Result<std::string> string_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(const json* v, field(j, key, what, &json::is_string, "a string"));
  return v->get<std::string>();
}

Result<crypto::Hash32> hash_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(std::string hex, string_field(j, key, what));
  auto h = codec::from_hex_fixed<crypto::kHashBytes>(hex, what + ": field '" + key + "'");
  if (!h.ok()) return make_error(ErrorCode::kCorruption, h.error().message);
  return *h;
}

Result<crypto::Bytes> base64_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(std::string text, string_field(j, key, what));
  auto b = codec::from_base64(text, what + ": field '" + key + "'");
  if (!b.ok()) return make_error(ErrorCode::kCorruption, b.error().message);
  return std::move(b).value();
}

Result<const json*> object_field(const json& j, const char* key, const std::string& what) {
  return field(j, key, what, &json::is_object, "an object");
}

}  // namespace datadao::validator::detail
