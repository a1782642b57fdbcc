// The node's HTTP API (JSON over HTTP/1.1, loopback by default). A thin adapter: every route
// calls a Node method; no ledger logic lives here. The routes, their parameters, bodies, limits
// and statuses are documented in docs/http-api.md; routes() lists what is registered, and
// tests/node/route_list_test.cpp checks that the two agree.
//
// Thread-safety: handlers run concurrently on the server's worker threads (Node is
// thread-safe); start() and stop() are for one owning thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/common/route_table.hpp"

namespace datadao::node {

class Node;

class ApiServer {
 public:
  explicit ApiServer(Node& node);
  ~ApiServer();

  // Binds host:port (port 0 = any free port) and serves on a background thread.
  Status start(const std::string& host, int port);
  int port() const { return port_; }
  // Stops accepting and joins the serving thread.
  void stop();
  // Every route this server registered, {method, path pattern exactly as registered}, in
  // registration order. Complete from construction on.
  const std::vector<Route>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace datadao::node
