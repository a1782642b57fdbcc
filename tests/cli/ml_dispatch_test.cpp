// Which command lines `datadao` hands to `datadao-ml` (the build with libtorch): the model
// commands and the help that lists them; everything else runs without loading libtorch.
#include "ml_dispatch.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace datadao::cli {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(MlDispatchTest, ModelCommandsRunInTheMlBinary) {
  for (const char* line :
       {"demo contributions --users 5", "demo models", "runner run --once", "node start",
        "node start --port 0", "model generate m1 --prompt hi", "model predict m1",
        "model audit m1", "--json model generate m1", "--node http://h:1 node start",
        "--wallet demo runner run", "-w demo model predict m1", "--passphrase-file pf demo models",
        "model generate --wallet alice m1"}) {
    EXPECT_TRUE(needs_ml_binary(words(line))) << line;
  }
}

TEST(MlDispatchTest, HelpThatListsModelCommandsRunsInTheMlBinary) {
  for (const char* line : {"", "--help", "-h", "--help-all", "--json --help", "node --help",
                           "model --help", "model -h", "demo --help", "runner -h"}) {
    EXPECT_TRUE(needs_ml_binary(words(line))) << "'" << line << "'";
  }
}

TEST(MlDispatchTest, EverythingElseRunsWithoutLibtorch) {
  for (const char* line :
       {"--version", "wallet create --name node", "node init --dir x", "node status",
        "node start-later", "model propose --pool p", "model list", "model use m1 generate",
        "model shares m1", "pool create reddit", "vault put f", "fixture reddit --out x.zip",
        "import export.zip", "tx show 00", "--node demo pool list", "--wallet model pool list",
        "-w runner account show", "--passphrase-file demo wallet show", "model list --help",
        "pool --help", "rewards claim m1", "dp epsilon", "attribute knn-shapley"}) {
    EXPECT_FALSE(needs_ml_binary(words(line))) << line;
  }
}

}  // namespace
}  // namespace datadao::cli
