// The models demo (`datadao demo models`, described in cmd_demo_models.cpp): its options and
// its state, shared by the demo's run (cmd_demo_models.cpp) and its ownership and rewards part
// (demo_models_ownership.cpp).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.hpp"
#include "datadao/runner/runner.hpp"
#include "demo_net.hpp"

namespace datadao::cli::demo_models {

using nlohmann::json;

struct ModelsDemoOptions {
  size_t users = 40;
  size_t records = 30;
  uint64_t text_steps = 300;
  uint64_t tabular_steps = 300;
  std::string dir;
  bool keep = false;
};

// How user i answers a proposal: explicit consent, consent through a standing policy applied by
// the runner, an explicit opt-out, or no answer at all.
enum class Answer { kConsent, kPolicy, kOptOut, kSilent };
inline Answer answer_of(size_t i) {
  switch (i % 5) {
    case 3:
      return Answer::kPolicy;
    case 4:
      return i % 10 == 4 ? Answer::kOptOut : Answer::kSilent;
    default:
      return Answer::kConsent;
  }
}

class ModelsDemo {
 public:
  explicit ModelsDemo(ModelsDemoOptions o) : o_(std::move(o)) {}
  void run();

 private:
  struct User {
    wallet::Wallet w;
    size_t index = 0;
    std::map<std::string, uint64_t> contribution;  // by source
  };

  void setup();
  void contribute_and_validate();
  uint64_t propose(const wallet::Wallet& dev, std::vector<std::string> pools,
                   const std::string& kind, const std::string& spec, bool dp, bool personal,
                   const std::string& description);
  json model(uint64_t id) { return unwrap(net_.client().get("/v1/models/" + std::to_string(id))); }
  void wait_status(uint64_t id, const std::string& status);
  void vote_all(uint64_t id, const std::string& source);
  void consent(const User& u, uint64_t id, const std::string& source, bool yes);
  std::set<uint64_t> training_set(uint64_t id);
  runner::PublishedModel train(runner::Runner& r, uint64_t id);
  void check(bool ok, const std::string& what);
  void ownership_and_rewards(uint64_t model_id, const std::set<uint64_t>& training_set);
  json holders(uint64_t model_id);
  void check_training_set(uint64_t id, const std::set<uint64_t>& expected,
                          const std::string& label);
  double metric(const json& m, const std::string& name);

  ModelsDemoOptions o_;
  DemoNet net_;
  std::vector<User> users_;
  wallet::Wallet reddit_op_ = demo_wallet("reddit-runner");
  wallet::Wallet health_op_ = demo_wallet("health-runner");
  wallet::Wallet dev_ = demo_wallet("acme-ai");
  wallet::Wallet consumer_ = demo_wallet("consumer");
  wallet::Wallet copycat_ = demo_wallet("copycat");  // planted: another user's posts
  wallet::Wallet noisy_ = demo_wallet("noisy");      // planted: posts under the wrong labels
  uint64_t copycat_contribution_ = 0;
  uint64_t noisy_contribution_ = 0;
  std::map<std::string, uint64_t> pool_;  // by source
  std::map<uint64_t, runner::PublishedModel> published_;
  int failures_ = 0;
};

}  // namespace datadao::cli::demo_models
