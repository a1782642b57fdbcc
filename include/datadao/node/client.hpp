// HTTP client for a node's API (see api_server.hpp), used by the CLI, the validator, the runner
// and tests, and the readers of the node's replies.
// Errors from the node come back as the node's own Error (code + message); transport failures
// are kIoError naming the URL. Not thread-safe per instance; use one per thread.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/progress.hpp"

namespace datadao::node {

class NodeClient {
 public:
  explicit NodeClient(std::string base_url);
  ~NodeClient();

  const std::string& base_url() const { return base_url_; }

  // GET a path ("/v1/status"); parses the JSON body; non-2xx becomes the node's error.
  Result<nlohmann::json> get(const std::string& path);
  // POST a JSON body to a path; parses the JSON reply; non-2xx becomes the node's error.
  Result<nlohmann::json> post_json(const std::string& path, const nlohmann::json& body);
  // Signs `progress` with the runner's key (progress.runner is set to its public key) and
  // posts it to /v1/models/<model_id>/progress.
  Status post_progress(uint64_t model_id, ModelProgress progress,
                       const crypto::SigningKeyPair& runner);
  // Submits a signed transaction; with wait, returns once it is in a block or rejected.
  // A rejection is returned as a value ({"status":"rejected","error":{...}}), not an Error.
  Result<nlohmann::json> submit(const ledger::Transaction& tx, bool wait = true);

  Result<std::string> chain_id();
  // The nonce the account's next transaction must carry.
  Result<uint64_t> next_nonce(const ledger::AccountId& account);
  // A pool by id ("3") or name ("reddit-dao"): the node's pool JSON; kNotFound if none.
  Result<nlohmann::json> pool(const std::string& id_or_name);

 private:
  Result<nlohmann::json> handle(const std::string& what, int status, const std::string& body);
  std::string base_url_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reading fields of the node's JSON replies (pools, contributions, models). The node is not
// trusted to be well-formed: a field that is missing or of the wrong type is kCorruption naming
// the object (`what`) and the field.
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

}  // namespace datadao::node
