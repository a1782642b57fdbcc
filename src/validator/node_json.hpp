// Reading the node's pool and contribution JSON (see the node API in api_server.hpp). A field
// that is missing or of the wrong type is kCorruption naming the object and the field: the node
// is not trusted to be well-formed.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::validator::detail {

Result<uint64_t> u64_field(const nlohmann::json& j, const char* key, const std::string& what);
Result<bool> bool_field(const nlohmann::json& j, const char* key, const std::string& what);
Result<std::string> string_field(const nlohmann::json& j, const char* key, const std::string& what);
// Lowercase or uppercase hex of exactly 32 bytes.
Result<crypto::Hash32> hash_field(const nlohmann::json& j, const char* key,
                                  const std::string& what);
// Standard base64.
Result<crypto::Bytes> base64_field(const nlohmann::json& j, const char* key,
                                   const std::string& what);
// An object-valued field.
Result<const nlohmann::json*> object_field(const nlohmann::json& j, const char* key,
                                           const std::string& what);

}  // namespace datadao::validator::detail
