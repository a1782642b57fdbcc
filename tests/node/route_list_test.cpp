// docs/http-api.md documents exactly the routes the node registers: a route added, removed or
// re-patterned in code without the same change to the doc's table fails here, naming the route.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "datadao/testing/in_process_node.hpp"

namespace datadao::node {
namespace {

const char* const kDoc = DATADAO_SOURCE_DIR "/docs/http-api.md";

// The table rows `| METHOD | `path pattern` | what it does |` of the doc.
std::multiset<Route> documented_routes() {
  std::ifstream in(kDoc);
  EXPECT_TRUE(in.good()) << kDoc << ": cannot open";
  static const std::regex kRow(R"(^\|\s*(GET|POST|PUT|DELETE|PATCH|HEAD)\s*\|\s*`([^`]+)`\s*\|)");
  std::multiset<Route> out;
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, kRow)) out.insert(Route{m[1].str(), m[2].str()});
  }
  return out;
}

std::string listed(const std::set<Route>& routes) {
  std::ostringstream os;
  for (const auto& r : routes) os << "\n  | " << r.method << " | `" << r.path << "` |";
  return os.str();
}

class RouteListTest : public testkit::InProcessNode {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(start_node("routes", {})); }
};

TEST_F(RouteListTest, DocumentedRoutesAreExactlyTheRegisteredOnes) {
  const std::vector<Route>& registered = api_->routes();
  const std::multiset<Route> documented = documented_routes();
  ASSERT_GE(registered.size(), 30u) << "the node registers fewer routes than it serves today";

  const std::set<Route> in_code(registered.begin(), registered.end());
  const std::set<Route> in_doc(documented.begin(), documented.end());
  std::set<Route> undocumented, stale;
  for (const auto& r : in_code) {
    if (!in_doc.count(r)) undocumented.insert(r);
  }
  for (const auto& r : in_doc) {
    if (!in_code.count(r)) stale.insert(r);
  }
  EXPECT_TRUE(undocumented.empty())
      << "registered but missing from " << kDoc << " (add these rows):" << listed(undocumented);
  EXPECT_TRUE(stale.empty()) << "documented in " << kDoc << " but not registered:"
                             << listed(stale);
  EXPECT_EQ(documented.size(), in_doc.size()) << kDoc << " lists a route twice";
}

TEST_F(RouteListTest, NoRouteIsRegisteredTwice) {
  const std::vector<Route>& registered = api_->routes();
  const std::set<Route> unique(registered.begin(), registered.end());
  EXPECT_EQ(unique.size(), registered.size());
}

// The list is what the server serves: every registered route without path parameters answers
// something other than 404, and a path that is not registered answers 404.
TEST_F(RouteListTest, RegisteredFixedPathsAreServed) {
  httplib::Client http("127.0.0.1", api_->port());
  for (const auto& r : api_->routes()) {
    if (r.method != "GET" || r.path.find('(') != std::string::npos) continue;
    auto res = http.Get(r.path);
    ASSERT_TRUE(res) << r.path;
    EXPECT_NE(res->status, 404) << r.path;
  }
  auto res = http.Get("/v1/not-a-route");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

}  // namespace
}  // namespace datadao::node
