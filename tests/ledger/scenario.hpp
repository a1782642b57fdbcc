// The scenario driver: pool and model rules written as text (tests/scenarios/*.txt), a line per
// transaction with its expected outcome, run against a real State. The language:
//
//   # comment (also after a line)
//   accounts creator val dev alice bob      each with 1000 credits; keys fixed by name
//   at 10                                   later transactions apply in block 10
//   end_block                               State::end_block + commit_block at the current
//                                           height, then the height advances by one
//   <sender> <verb> key=value ... [=> outcome]
//   expect <what> ...                       a query; see Scenario::expect
//
// An outcome is `ok` (the default) or an error code as error_code_name prints it, optionally
// followed by `: text` that the error message must contain:
//   eve consent model=1 ids=2 => permission denied: not the contributor
//
// Verbs and their keys (defaults in brackets):
//   create_pool name source validator [reward=1000 quorum=5000 period=3 accepting=1]
//   contribute pool points [attest=1]   RegisterFile + Contribute, then the pool's validator
//                                       attests `points` accepted records (the outcome is the
//                                       Contribute's; contribution ids count from 1)
//   attest id points [handle=<sender's>]  the pool's validator signs, whoever is named
//   propose pool param value            param: reward_per_point|quorum_bps|voting_period|accepting
//   vote pool proposal approve
//   transfer to amount
//   propose_model [pools=1 personal=0 kind=text purpose=research fields=body,subreddit dp=1
//                  epsilon=3000 delta=100000 min=2 price=5 fee=100 consent_blocks=5]
//   model_vote model pool approve
//   consent model ids [yes=1]
//   policy [enabled=1 dp=1 max_epsilon=5000 min_price=0 purposes=research pools=]
//   apply_policy model ids
//   training_set model ids
//   publish model size [epsilon=2900]
// Lists are comma-separated; an empty value is an empty list.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/state.hpp"

namespace datadao::ledger::scenario {

class Scenario {
 public:
  // Runs `text` (named `name` in failures) line by line. Returns one message per failed line
  // ("name:line: ..."); empty when every outcome and expectation held.
  static std::vector<std::string> run(const std::string& name, const std::string& text);

 private:
  using Args = std::map<std::string, std::string>;
  struct Outcome {
    bool ok = true;
    std::string code;     // error_code_name of the expected error
    std::string message;  // a part of the expected error message ("" = any)
  };

  explicit Scenario(std::string name) : name_(std::move(name)) {}
  void line(size_t number, const std::string& text);
  void accounts(const std::vector<std::string>& names);
  Status transaction(const std::string& sender, const std::string& verb, const Args& args);
  // `expect credits NAME N`, `expect tokens POOL NAME N`, `expect model ID key=value ...`
  // (status, consenting, training_set_size, yes, no, closed), `expect consents ID LIST`,
  // `expect training_set ID LIST` (`-` for none), `expect consent ID CONTRIBUTION yes|no|denied`,
  // `expect proposal POOL ID key=value ...` (status, value, deadline, supply, yes, no, closed),
  // `expect pool ID key=value ...`
  // (reward, quorum, period, accepting, supply).
  void expect(const std::vector<std::string>& words);
  void fail(const std::string& what);

  const crypto::SigningKeyPair& key(const std::string& name) const;
  BlockContext block() const { return BlockContext{height_, 1'700'000'000 + height_}; }

  std::string name_;
  size_t line_ = 0;
  std::vector<std::string> failures_;
  std::map<std::string, crypto::SigningKeyPair> keys_;
  std::map<uint64_t, std::string> validator_of_pool_;
  std::optional<State> state_;
  uint64_t height_ = 1;
  uint8_t file_tag_ = 0;
};

}  // namespace datadao::ledger::scenario
