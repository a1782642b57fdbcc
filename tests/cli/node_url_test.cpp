// How every command finds its node: --node, then $DATADAO_NODE, then the node of this
// $DATADAO_HOME (the port it bound, else its configured port), then 127.0.0.1:7420; and an
// unreachable node's error says which of these chose the URL.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "cli.hpp"

namespace datadao::cli {
namespace {

namespace fs = std::filesystem;

class NodeUrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ =
        fs::temp_directory_path() / ("datadao-node-url-" + std::to_string(std::random_device{}()));
    fs::create_directories(home_ / "node");
    ::setenv("DATADAO_HOME", home_.c_str(), 1);
    ::unsetenv("DATADAO_NODE");
  }
  void TearDown() override {
    ::unsetenv("DATADAO_HOME");
    ::unsetenv("DATADAO_NODE");
    std::error_code ec;
    fs::remove_all(home_, ec);
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(home_ / "node" / name) << text;
  }
  fs::path home_;
};

TEST_F(NodeUrlTest, WithNothingConfiguredTheDefaultPortSaysWhy) {
  Context ctx;
  const NodeTarget t = ctx.resolve_node();
  EXPECT_EQ(t.url, "http://127.0.0.1:7420");
  EXPECT_NE(t.origin.find("no --node, no $DATADAO_NODE"), std::string::npos) << t.origin;
  EXPECT_NE(t.origin.find((home_ / "node").string()), std::string::npos) << t.origin;
}

TEST_F(NodeUrlTest, ThisHomesNodeConfigThenItsBoundPort) {
  write("config.json", R"({"chain_id": "c", "port": 7531})");
  Context ctx;
  EXPECT_EQ(ctx.resolve_node().url, "http://127.0.0.1:7531");
  write("api.port", "40123\n");  // `node start --port 0` bound this one
  EXPECT_EQ(ctx.resolve_node().url, "http://127.0.0.1:40123");
  EXPECT_EQ(ctx.resolve_node().origin, (home_ / "node" / "api.port").string());
}

TEST_F(NodeUrlTest, EnvironmentBeatsTheHomeAndTheFlagBeatsBoth) {
  write("api.port", "40123\n");
  ::setenv("DATADAO_NODE", "http://10.0.0.2:7600", 1);
  Context ctx;
  EXPECT_EQ(ctx.resolve_node().url, "http://10.0.0.2:7600");
  EXPECT_EQ(ctx.resolve_node().origin, "$DATADAO_NODE");
  ctx.node_url = "http://10.0.0.3:7700";
  EXPECT_EQ(ctx.resolve_node().url, "http://10.0.0.3:7700");
  EXPECT_EQ(ctx.resolve_node().origin, "--node");
}

TEST_F(NodeUrlTest, HintOnlyForErrorsThatNameTheResolvedNode) {
  Context ctx;
  EXPECT_EQ(ctx.node_hint("cannot reach the node at http://127.0.0.1:7420"), "")
      << "no node was resolved yet";
  ctx.resolve_node();
  const std::string hint = ctx.node_hint(
      "blob 02d8: PUT http://127.0.0.1:7420/v1/blobs/02d8: cannot connect (refused or "
      "unreachable)");
  EXPECT_NE(hint.find("came from the default"), std::string::npos) << hint;
  EXPECT_NE(hint.find("--node URL or DATADAO_NODE=URL"), std::string::npos) << hint;
  EXPECT_EQ(ctx.node_hint("out.zip: cannot write"), "");
}

TEST_F(NodeUrlTest, HintIgnoresATrailingSlashOnTheFlag) {
  Context ctx;
  ctx.node_url = "http://127.0.0.1:7531/";
  ctx.resolve_node();
  EXPECT_NE(ctx.node_hint("cannot reach the node at http://127.0.0.1:7531 (Connection)")
                .find("came from --node"),
            std::string::npos);
}

}  // namespace
}  // namespace datadao::cli
