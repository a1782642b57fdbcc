#include "http_util.hpp"

#include "datadao/node/views.hpp"

namespace datadao::node {

using nlohmann::json;

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kLimitExceeded:
      return 413;
    case ErrorCode::kCorruption:
      return 422;
    case ErrorCode::kIoError:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

void send_json(httplib::Response& res, const json& body, int status) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, const Error& e) {
  send_json(res, error_json(e), http_status(e.code));
}

Result<uint64_t> u64_param(const std::string& s, std::string_view what) {
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + " must be a number");
  }
  try {
    return static_cast<uint64_t>(std::stoull(s));
  } catch (...) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + " is out of range");
  }
}

Result<Page> page_param(const httplib::Request& req) {
  Page page;
  if (req.has_param("after")) {
    DD_ASSIGN(page.after, u64_param(req.get_param_value("after"), "after"));
  }
  if (req.has_param("limit")) {
    DD_ASSIGN(page.limit, u64_param(req.get_param_value("limit"), "limit"));
    if (page.limit == 0 || page.limit > kMaxPageSize) {
      return make_error(ErrorCode::kInvalidArgument,
                        "limit must be 1.." + std::to_string(kMaxPageSize));
    }
  }
  return page;
}

Result<std::string> read_body(const httplib::ContentReader& reader, size_t limit) {
  std::string body;
  bool too_big = false;
  reader([&](const char* data, size_t len) {
    if (body.size() + len > limit) {
      too_big = true;
      return false;
    }
    body.append(data, len);
    return true;
  });
  if (too_big) {
    return make_error(ErrorCode::kLimitExceeded,
                      "request body exceeds " + std::to_string(limit) + " bytes");
  }
  return body;
}

}  // namespace datadao::node
