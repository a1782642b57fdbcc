#include "demo_net.hpp"

#include <iostream>

#include "datadao/runner/serving.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::cli {

void DemoNet::start(const std::string& dir,
                    std::vector<std::pair<ledger::AccountId, uint64_t>> credits) {
  testkit::LocalNetOptions o;
  o.chain_id = kDemoChainId;
  o.dir = dir;
  o.genesis_timestamp = 0;  // now: the demo's validators check record dates against it
  o.inference_engine = [](node::Node& n) {
    return runner::make_inference_engine(n.serving_key(), n.blobs());
  };
  check(net_.start(o, std::move(credits)));
  std::cout << "node on " << net_.url() << " (ledger and vault in " << net_.dir().string()
            << ")\n";
}

}  // namespace datadao::cli
