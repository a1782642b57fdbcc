// The HTTP routes a server registered, each as {method, path pattern}, recorded at the moment it
// is registered, so that the list a server reports is the list it serves (docs/http-api.md is
// checked against it by tests/node/route_list_test.cpp).
//
// RouteTable is a template over the server type so that this header needs no HTTP library:
// only the .cpp files that register routes include httplib. Not thread-safe: register every
// route before the server starts; reading routes() afterwards is safe from any thread.
#pragma once

#include <compare>
#include <string>
#include <utility>
#include <vector>

namespace datadao {

struct Route {
  std::string method;  // "GET", "POST" or "PUT" (a GET route also answers HEAD)
  std::string path;    // the pattern exactly as registered: a regex where the path has parameters
  auto operator<=>(const Route&) const = default;
};

template <class Server>
class RouteTable {
 public:
  explicit RouteTable(Server& server) : server_(server) {}

  template <class Handler>
  void get(const std::string& path, Handler&& handler) {
    add("GET", path);
    server_.Get(path, std::forward<Handler>(handler));
  }
  template <class Handler>
  void post(const std::string& path, Handler&& handler) {
    add("POST", path);
    server_.Post(path, std::forward<Handler>(handler));
  }
  template <class Handler>
  void put(const std::string& path, Handler&& handler) {
    add("PUT", path);
    server_.Put(path, std::forward<Handler>(handler));
  }

  Server& server() { return server_; }
  // In registration order (the order the server tries them in).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  void add(std::string method, const std::string& path) {
    routes_.push_back(Route{std::move(method), path});
  }

  Server& server_;
  std::vector<Route> routes_;
};

}  // namespace datadao
