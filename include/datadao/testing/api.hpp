// GoogleTest helpers for reading a node's HTTP API in route tests. Include from tests only.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "datadao/common/result.hpp"
#include "datadao/node/client.hpp"

namespace datadao::testkit {

// GET `path`, which must answer; a failure is recorded and null returned.
inline nlohmann::json get_ok(node::NodeClient& client, const std::string& path) {
  auto r = client.get(path);
  EXPECT_TRUE(r.ok()) << path << ": " << r.error().message;
  return r.ok() ? *r : nlohmann::json();
}

// GET `path`, which must fail; returns its error code (kInternal, recorded, if it answered).
inline ErrorCode get_error(node::NodeClient& client, const std::string& path) {
  auto r = client.get(path);
  EXPECT_FALSE(r.ok()) << path << " answered " << r->dump();
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

}  // namespace datadao::testkit
