#include "datadao/node/client.hpp"

#include <nlohmann/json.hpp>

#include <httplib.h>

#include "datadao/codec/codec.hpp"

namespace datadao::node {

using nlohmann::json;

struct NodeClient::Impl {
  httplib::Client http;
  explicit Impl(const std::string& url) : http(url) {
    http.set_connection_timeout(5);
    http.set_read_timeout(60);
  }
};

namespace {
std::string trim_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}
}  // namespace

NodeClient::NodeClient(std::string base_url)
    : base_url_(trim_slashes(std::move(base_url))), impl_(std::make_unique<Impl>(base_url_)) {}
NodeClient::~NodeClient() = default;

Result<json> NodeClient::handle(const std::string& what, int status, const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (status >= 200 && status < 300) {
    if (j.is_discarded()) {
      return make_error(ErrorCode::kCorruption, what + ": node sent a body that is not JSON");
    }
    return j;
  }
  if (!j.is_discarded() && j.contains("error") && j["error"].is_object()) {
    const std::string code = j["error"].value("code", "internal error");
    ErrorCode ec = ErrorCode::kInternal;
    for (auto c :
         {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kAlreadyExists,
          ErrorCode::kCorruption, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied,
          ErrorCode::kFailedPrecondition, ErrorCode::kLimitExceeded, ErrorCode::kIoError}) {
      if (error_code_name(c) == code) ec = c;
    }
    return make_error(ec, j["error"].value("message", "node error"));
  }
  if (!j.is_discarded() && j.contains("status")) return j;  // e.g. 409 with a rejected outcome
  return make_error(ErrorCode::kIoError, what + ": HTTP " + std::to_string(status));
}

Result<json> NodeClient::get(const std::string& path) {
  auto res = impl_->http.Get(path);
  if (!res) {
    return make_error(ErrorCode::kIoError, "cannot reach the node at " + base_url_ + " (" +
                                               httplib::to_string(res.error()) +
                                               "); is `datadao node start` running?");
  }
  return handle("GET " + path, res->status, res->body);
}

Result<json> NodeClient::post_json(const std::string& path, const json& body) {
  auto res = impl_->http.Post(path, body.dump(), "application/json");
  if (!res) {
    return make_error(ErrorCode::kIoError, "cannot reach the node at " + base_url_ + " (" +
                                               httplib::to_string(res.error()) + ")");
  }
  return handle("POST " + path, res->status, res->body);
}

Status NodeClient::post_progress(uint64_t model_id, ModelProgress progress,
                                 const crypto::SigningKeyPair& runner) {
  progress.runner = runner.public_key;
  auto r = post_json("/v1/models/" + std::to_string(model_id) + "/progress",
                     sign_progress(model_id, progress, runner));
  if (!r.ok()) return r.error();
  return Status::Ok();
}

Result<json> NodeClient::submit(const ledger::Transaction& tx, bool wait) {
  json body = {{"tx", codec::to_base64(ledger::encode(tx))}};
  const std::string path = wait ? "/v1/tx?wait=1" : "/v1/tx";
  auto res = impl_->http.Post(path, body.dump(), "application/json");
  if (!res) {
    return make_error(ErrorCode::kIoError, "cannot reach the node at " + base_url_ + " (" +
                                               httplib::to_string(res.error()) + ")");
  }
  if (res->status == 409) {  // rejected by the state machine: an outcome, not a transport error
    json j = json::parse(res->body, nullptr, false);
    if (!j.is_discarded() && j.contains("status")) return j;
  }
  return handle("POST /v1/tx", res->status, res->body);
}

Result<std::string> NodeClient::chain_id() {
  DD_ASSIGN(json j, get("/v1/status"));
  return j.value("chain_id", std::string());
}

Result<uint64_t> NodeClient::next_nonce(const ledger::AccountId& account) {
  DD_ASSIGN(json j, get("/v1/accounts/" + codec::to_hex(account)));
  return j.value("nonce", uint64_t{0}) + 1;
}

Result<json> NodeClient::pool(const std::string& id_or_name) {
  if (id_or_name.empty() || id_or_name.size() > 64 ||
      id_or_name.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
          std::string::npos) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "pool must be an id or a name of A-Z a-z 0-9 . _ -, got '" + id_or_name + "'");
  }
  return get("/v1/pools/" + id_or_name);
}

// ---- Reading replies -------------------------------------------------------------------------

namespace {

Result<const json*> json_field(const json& j, const char* key, const std::string& what,
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
  DD_ASSIGN(const json* v,
            json_field(j, key, what, &json::is_number_unsigned, "an unsigned integer"));
  return v->get<uint64_t>();
}

Result<bool> bool_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(const json* v, json_field(j, key, what, &json::is_boolean, "a boolean"));
  return v->get<bool>();
}

Result<std::string> string_field(const json& j, const char* key, const std::string& what) {
  DD_ASSIGN(const json* v, json_field(j, key, what, &json::is_string, "a string"));
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
  return json_field(j, key, what, &json::is_object, "an object");
}

}  // namespace datadao::node
