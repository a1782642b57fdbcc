// Private to src/node: the HTTP plumbing the API's route files share (JSON replies, error
// mapping, path and query parameters, pagination). Stateless; thread-safe.
#pragma once

#include <httplib.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "datadao/codec/codec.hpp"
#include "datadao/common/result.hpp"
#include "datadao/common/route_table.hpp"

namespace datadao::node {

class Node;

inline constexpr uint64_t kDefaultPageSize = 100;
inline constexpr uint64_t kMaxPageSize = 1000;

int http_status(ErrorCode code);
void send_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
void send_error(httplib::Response& res, const Error& e);

template <size_t N>
Result<std::array<uint8_t, N>> hex_param(const std::string& s, std::string_view what) {
  return codec::from_hex_fixed<N>(s, what);
}
Result<uint64_t> u64_param(const std::string& s, std::string_view what);

// ?after=<id>&limit=<1..kMaxPageSize> (defaults 0 and kDefaultPageSize).
struct Page {
  uint64_t after = 0;
  uint64_t limit = kDefaultPageSize;
};
Result<Page> page_param(const httplib::Request& req);

// Reads a request body of at most `limit` bytes; kLimitExceeded (naming the limit) if larger.
Result<std::string> read_body(const httplib::ContentReader& reader, size_t limit);

// Route groups, one function each, registered by ApiServer in this order (api_server.cpp holds
// the chain, file and pool groups). docs/http-api.md documents every route they register.
using Routes = RouteTable<httplib::Server>;
// Models: proposals, consents, training sets, standing policies, runner progress
// (model_routes.cpp).
void register_model_routes(Routes& routes, Node& node);
// Ownership: share holders, a model's rewards, an account's holdings (model_routes.cpp).
void register_share_routes(Routes& routes, Node& node);
// POST /v1/models/<id>/use: one paid call (use_route.cpp, serving.hpp).
void register_use_routes(Routes& routes, Node& node);

}  // namespace datadao::node
