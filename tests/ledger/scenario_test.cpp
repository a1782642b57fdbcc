#include "scenario.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "datadao/ledger/models.hpp"
#include "datadao/ledger/pools.hpp"
#include "datadao/ledger/transaction.hpp"

namespace datadao::ledger::scenario {
namespace {

constexpr uint64_t kCredits = 1000;

// A malformed scenario line: reported as a failure of that line, never silently skipped.
struct BadLine : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

uint64_t number(const std::string& s, const std::string& what) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw BadLine(what + ": '" + s + "' is not a number");
  }
  return v;
}

std::vector<uint64_t> numbers(const std::string& s, const std::string& what) {
  std::vector<uint64_t> out;
  for (const auto& item : split(s, ',')) out.push_back(number(item, what));
  return out;
}

// Reads and removes `key` from args; `fallback` when absent (nullptr: the key is required).
class ArgReader {
 public:
  explicit ArgReader(std::map<std::string, std::string> args) : args_(std::move(args)) {}
  std::string str(const std::string& key, const char* fallback = nullptr) {
    auto it = args_.find(key);
    if (it == args_.end()) {
      if (!fallback) throw BadLine("missing " + key + "=");
      return fallback;
    }
    std::string v = it->second;
    args_.erase(it);
    return v;
  }
  uint64_t num(const std::string& key, const char* fallback = nullptr) {
    return number(str(key, fallback), key);
  }
  bool flag(const std::string& key, const char* fallback = nullptr) {
    const uint64_t v = num(key, fallback);
    if (v > 1) throw BadLine(key + " is 0 or 1");
    return v == 1;
  }
  std::vector<uint64_t> nums(const std::string& key, const char* fallback = nullptr) {
    return numbers(str(key, fallback), key);
  }
  // Every key must have been read: a misspelt key is an error, not a default.
  void done() const {
    if (!args_.empty()) throw BadLine("unknown key " + args_.begin()->first + "=");
  }

 private:
  std::map<std::string, std::string> args_;
};

PoolParam param_named(const std::string& s) {
  for (PoolParam p : {PoolParam::kRewardPerPoint, PoolParam::kQuorumBps, PoolParam::kVotingPeriod,
                      PoolParam::kAccepting}) {
    if (pool_param_name(p) == s) return p;
  }
  throw BadLine("no pool parameter '" + s + "'");
}

std::string list_text(const std::vector<uint64_t>& v) {
  std::string out;
  for (uint64_t x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

}  // namespace

std::vector<std::string> Scenario::run(const std::string& name, const std::string& text) {
  Scenario s(name);
  std::istringstream in(text);
  size_t n = 0;
  for (std::string l; std::getline(in, l);) {
    ++n;
    if (const size_t hash = l.find('#'); hash != std::string::npos) l.erase(hash);
    l = trim(l);
    if (l.empty()) continue;
    s.line_ = n;
    try {
      s.line(n, l);
    } catch (const BadLine& e) {
      s.fail(std::string("bad line: ") + e.what());
    }
  }
  if (!s.state_) s.failures_.push_back(name + ": no `accounts` line");
  return s.failures_;
}

void Scenario::fail(const std::string& what) {
  failures_.push_back(name_ + ":" + std::to_string(line_) + ": " + what);
}

const crypto::SigningKeyPair& Scenario::key(const std::string& name) const {
  auto it = keys_.find(name);
  if (it == keys_.end()) throw BadLine("no account '" + name + "' (declare it in `accounts`)");
  return it->second;
}

void Scenario::line(size_t, const std::string& text) {
  // Split off the expected outcome.
  std::string body = text;
  Outcome want;
  if (const size_t arrow = text.find("=>"); arrow != std::string::npos) {
    body = trim(text.substr(0, arrow));
    const std::string o = trim(text.substr(arrow + 2));
    if (o != "ok") {
      want.ok = false;
      const size_t colon = o.find(':');
      want.code = trim(o.substr(0, colon));
      if (colon != std::string::npos) want.message = trim(o.substr(colon + 1));
    }
  }
  std::vector<std::string> words = split(body, ' ');
  if (words.empty()) throw BadLine("an outcome without a transaction");
  if (words[0] == "accounts") {
    accounts({words.begin() + 1, words.end()});
    return;
  }
  if (!state_) throw BadLine("`accounts` must come first");
  if (words[0] == "at") {
    if (words.size() != 2) throw BadLine("at HEIGHT");
    height_ = number(words[1], "height");
    return;
  }
  if (words[0] == "end_block") {
    state_->end_block(block());
    state_->commit_block();
    ++height_;
    return;
  }
  if (words[0] == "expect") {
    expect({words.begin() + 1, words.end()});
    return;
  }
  if (words.size() < 2) throw BadLine("SENDER VERB key=value ...");
  Args args;
  for (size_t i = 2; i < words.size(); ++i) {
    const size_t eq = words[i].find('=');
    if (eq == std::string::npos) throw BadLine("'" + words[i] + "' is not key=value");
    args[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  const Status got = transaction(words[0], words[1], args);
  const std::string got_text = got.ok() ? "ok" : got.error().to_string();
  if (want.ok && !got.ok()) {
    fail("expected ok, got " + got_text);
  } else if (!want.ok && got.ok()) {
    fail("expected " + want.code + ", got ok");
  } else if (!want.ok) {
    if (error_code_name(got.error().code) != want.code) {
      fail("expected " + want.code + ", got " + got_text);
    } else if (got.error().message.find(want.message) == std::string::npos) {
      fail("expected a message containing '" + want.message + "', got " + got_text);
    }
  }
}

void Scenario::accounts(const std::vector<std::string>& names) {
  if (state_) throw BadLine("`accounts` once");
  if (names.empty()) throw BadLine("accounts NAME ...");
  Genesis g;
  g.chain_id = "datadao-scenario";
  g.timestamp = 1'700'000'000;
  uint32_t n = 0;
  for (const auto& name : names) {
    // Deterministic keys, one per name, so a scenario's state hash is reproducible.
    std::array<uint8_t, 32> seed{};
    seed[0] = static_cast<uint8_t>(++n);
    seed[31] = 0x5c;
    auto kp = crypto::SigningKeyPair::from_seed(crypto::as_bytes(seed));
    g.allocations.emplace_back(kp.public_key, kCredits);
    if (!keys_.emplace(name, std::move(kp)).second) throw BadLine("account '" + name + "' twice");
  }
  auto s = State::from_genesis(g);
  if (!s.ok()) throw BadLine("genesis: " + s.error().to_string());
  state_.emplace(std::move(s).value());
}

Status Scenario::transaction(const std::string& sender, const std::string& verb,
                             const Args& raw) {
  const auto& k = key(sender);
  auto submit = [&](const crypto::SigningKeyPair& who, const auto& payload) {
    auto a = state_->account(who.public_key);
    const uint64_t nonce = a ? a->nonce + 1 : 1;
    return state_->apply(make_tx(state_->chain_id(), who, nonce, payload), block());
  };
  ArgReader a(raw);
  auto attest = [&](uint64_t id, uint32_t points, const crypto::SigningKeyPair& owner) {
    auto c = state_->contribution(id);
    if (!c) throw BadLine("no contribution " + std::to_string(id) + " to attest");
    auto v = validator_of_pool_.find(c->pool_id);
    if (v == validator_of_pool_.end()) throw BadLine("pool of contribution unknown");
    Attest at;
    at.contribution_id = id;
    at.authentic = at.owned = true;
    // One handle per (owner, pool): the owner's key with the pool id mixed into its first byte.
    std::copy(owner.public_key.begin(), owner.public_key.end(), at.handle_tag.begin());
    at.handle_tag[0] ^= static_cast<uint8_t>(c->pool_id);
    at.records_total = at.accepted = points;
    at.refined_blob_hash.fill(0xab);
    at.refined_size = 42;
    at.refined_sealed_key.assign(kSealedFileKeyBytes, 5);
    return submit(key(v->second), at);
  };

  if (verb == "create_pool") {
    CreatePool p;
    p.name = a.str("name");
    p.source = a.str("source");
    const std::string validator = a.str("validator");
    p.validator = key(validator).public_key;
    p.box_key = crypto::BoxKeyPair::generate().public_key;
    p.params.reward_per_point = a.num("reward", "1000");
    p.params.quorum_bps = static_cast<uint32_t>(a.num("quorum", "5000"));
    p.params.voting_period = a.num("period", "3");
    p.params.accepting = a.flag("accepting", "1");
    a.done();
    const size_t before = state_->pools().size();
    Status st = submit(k, p);
    if (st.ok() && state_->pools().size() > before) {
      validator_of_pool_[state_->pools().back().id] = validator;
    }
    return st;
  }
  if (verb == "contribute") {
    const uint64_t pool = a.num("pool");
    const uint64_t points = a.num("points", "10");
    const bool attested = a.flag("attest", "1");
    a.done();
    auto p = state_->pool(pool);
    RegisterFile r;
    r.blob_hash.fill(++file_tag_);
    r.size = 100;
    r.source = p ? p->source : "reddit";
    const uint64_t file = state_->next_file_id();
    DD_TRY(submit(k, r));
    const size_t before = state_->contributions_by(k.public_key).size();
    DD_TRY(submit(k, Contribute{pool, file, Bytes(kSealedFileKeyBytes, 7),
                                Bytes(crypto::kSealOverheadBytes + 6, 9)}));
    if (!attested || state_->contributions_by(k.public_key).size() == before) return Status::Ok();
    const Status st = attest(state_->contributions_by(k.public_key).back().id,
                             static_cast<uint32_t>(points), k);
    if (!st.ok()) throw BadLine("the pool's validator could not attest: " + st.error().to_string());
    return st;
  }
  if (verb == "attest") {
    const uint64_t id = a.num("id");
    const uint32_t points = static_cast<uint32_t>(a.num("points"));
    a.done();
    return attest(id, points, k);
  }
  if (verb == "propose") {
    Propose p;
    p.pool_id = a.num("pool");
    p.param = param_named(a.str("param"));
    p.value = a.num("value");
    p.description = "scenario proposal";
    a.done();
    return submit(k, p);
  }
  if (verb == "vote") {
    Vote v{a.num("pool"), a.num("proposal"), a.flag("approve")};
    a.done();
    return submit(k, v);
  }
  if (verb == "transfer") {
    Transfer t{key(a.str("to")).public_key, a.num("amount")};
    a.done();
    return submit(k, t);
  }
  if (verb == "propose_model") {
    ProposeModel p;
    p.pools = a.nums("pools", "1");
    p.personal = a.flag("personal", "0");
    p.kind = a.str("kind", "text");
    p.purpose = a.str("purpose", "research");
    p.description = "a scenario model";
    p.fields = split(a.str("fields", "body,subreddit"), ',');
    p.spec = "layers=2 width=64";
    p.terms.dp_required = a.flag("dp", "1");
    p.terms.epsilon_milli = a.num("epsilon", "3000");
    p.terms.delta_e12 = a.num("delta", "100000");
    p.terms.min_contributors = static_cast<uint32_t>(a.num("min", "2"));
    p.terms.price_per_call = a.num("price", "5");
    p.terms.training_fee = a.num("fee", "100");
    p.terms.consent_blocks = a.num("consent_blocks", "5");
    p.developer_box_key = crypto::BoxKeyPair::generate().public_key;
    a.done();
    return submit(k, p);
  }
  if (verb == "model_vote") {
    ModelVote v{a.num("model"), a.num("pool"), a.flag("approve")};
    a.done();
    return submit(k, v);
  }
  if (verb == "consent") {
    Consent c{a.num("model"), a.nums("ids"), a.flag("yes", "1")};
    a.done();
    return submit(k, c);
  }
  if (verb == "policy") {
    SetConsentPolicy p;
    p.policy.enabled = a.flag("enabled", "1");
    p.policy.require_dp = a.flag("dp", "1");
    p.policy.max_epsilon_milli = a.num("max_epsilon", "5000");
    p.policy.min_price_per_call = a.num("min_price", "0");
    p.policy.purposes = split(a.str("purposes", "research"), ',');
    p.policy.join_pools = a.nums("pools", "");
    a.done();
    return submit(k, p);
  }
  if (verb == "apply_policy") {
    ApplyConsentPolicy p{a.num("model"), a.nums("ids")};
    a.done();
    return submit(k, p);
  }
  if (verb == "training_set") {
    RecordTrainingSet p{a.num("model"), a.nums("ids")};
    a.done();
    return submit(k, p);
  }
  if (verb == "publish") {
    PublishModel p;
    p.model_id = a.num("model");
    p.training_set_size = a.num("size");
    p.epsilon_spent_milli = a.num("epsilon", "2900");
    p.weights_hash.fill(0x77);
    p.weights_size = 4096;
    p.weights_sealed_key.assign(kSealedFileKeyBytes, 3);
    p.steps = 120;
    p.metrics = {{"heldout_loss", 3'210'000}, {"unigram_loss", 5'100'000}};
    a.done();
    return submit(k, p);
  }
  throw BadLine("no verb '" + verb + "'");
}

void Scenario::expect(const std::vector<std::string>& w) {
  if (w.empty()) throw BadLine("expect WHAT ...");
  auto check = [&](const std::string& what, const std::string& got, const std::string& want) {
    if (got != want) fail(what + ": expected " + want + ", got " + got);
  };
  // key=value pairs from w[first..] checked against `fields` (name -> actual text).
  auto check_fields = [&](const std::string& what, size_t first,
                          const std::map<std::string, std::string>& fields) {
    if (w.size() <= first) throw BadLine("expect " + w[0] + " needs key=value");
    for (size_t i = first; i < w.size(); ++i) {
      const size_t eq = w[i].find('=');
      if (eq == std::string::npos) throw BadLine("'" + w[i] + "' is not key=value");
      auto it = fields.find(w[i].substr(0, eq));
      if (it == fields.end()) throw BadLine("expect " + w[0] + " has no " + w[i].substr(0, eq));
      check(what + " " + it->first, it->second, w[i].substr(eq + 1));
    }
  };
  const std::string& what = w[0];
  if (what == "credits" && w.size() == 3) {
    auto acct = state_->account(key(w[1]).public_key);
    check("credits of " + w[1], std::to_string(acct ? acct->credits : 0), w[2]);
  } else if (what == "tokens" && w.size() == 4) {
    check("tokens of " + w[2] + " in pool " + w[1],
          std::to_string(state_->pool_tokens(number(w[1], "pool"), key(w[2]).public_key)), w[3]);
  } else if (what == "model" && w.size() >= 2) {
    auto m = state_->model(number(w[1], "model"));
    if (!m) return fail("no model " + w[1]);
    check_fields("model " + w[1], 2,
                 {{"status", std::string(model_status_name(m->status))},
                  {"consenting", std::to_string(m->consenting_contributors)},
                  {"training_set_size", std::to_string(m->training_set_size)},
                  {"yes", list_text(m->yes)},
                  {"no", list_text(m->no)},
                  {"closed", std::to_string(m->closed_height)}});
  } else if ((what == "consents" || what == "training_set") && w.size() == 3) {
    const uint64_t id = number(w[1], "model");
    const auto got = what == "consents" ? state_->model_consents(id, 0, 100000)
                                        : state_->model_training_set(id, 0, 100000);
    check(what + " of model " + w[1], list_text(got), w[2] == "-" ? "" : w[2]);
  } else if (what == "consent" && w.size() == 4) {
    const uint64_t m = number(w[1], "model"), c = number(w[2], "contribution");
    const std::string got = state_->consent(m, c)         ? "yes"
                            : state_->consent_denied(m, c) ? "denied"
                                                           : "no";
    check("consent of " + w[2] + " to model " + w[1], got, w[3]);
  } else if (what == "proposal" && w.size() >= 3) {
    auto p = state_->proposal(number(w[1], "pool"), number(w[2], "proposal"));
    if (!p) return fail("no proposal " + w[2] + " in pool " + w[1]);
    check_fields("proposal " + w[2], 3,
                 {{"status", std::string(proposal_status_name(p->status))},
                  {"value", std::to_string(p->value)},
                  {"deadline", std::to_string(p->deadline)},
                  {"supply", std::to_string(p->supply_at_creation)},
                  {"yes", std::to_string(p->yes)},
                  {"no", std::to_string(p->no)},
                  {"closed", std::to_string(p->closed_height)}});
  } else if (what == "pool" && w.size() >= 2) {
    auto p = state_->pool(number(w[1], "pool"));
    if (!p) return fail("no pool " + w[1]);
    check_fields("pool " + w[1], 2,
                 {{"reward", std::to_string(p->params.reward_per_point)},
                  {"quorum", std::to_string(p->params.quorum_bps)},
                  {"period", std::to_string(p->params.voting_period)},
                  {"accepting", p->params.accepting ? "1" : "0"},
                  {"supply", std::to_string(p->token_supply)}});
  } else {
    throw BadLine("no expectation '" + what + "' with " + std::to_string(w.size() - 1) +
                  " argument(s)");
  }
}

}  // namespace datadao::ledger::scenario

// ---- The tests: every tests/scenarios/*.txt, and the driver's own checks -------------------------

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace datadao::ledger::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(DATADAO_SOURCE_DIR) / "tests/scenarios")) {
    if (e.path().extension() == ".txt") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ScenarioFile : public ::testing::TestWithParam<fs::path> {};

TEST_P(ScenarioFile, EveryOutcomeAndExpectationHolds) {
  std::ifstream in(GetParam());
  ASSERT_TRUE(in) << GetParam();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& f : Scenario::run(GetParam().filename().string(), text)) ADD_FAILURE() << f;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioFile, ::testing::ValuesIn(scenario_files()),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(ScenarioDriver, TheScenarioDirectoryHoldsThePoolAndModelRules) {
  std::vector<std::string> names;
  for (const auto& p : scenario_files()) names.push_back(p.stem().string());
  EXPECT_NE(std::find(names.begin(), names.end(), "pools"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "models"), names.end());
}

// The driver fails a line whose outcome differs: a wrong error code, a wrong message part, an
// error where ok was expected, ok where an error was, a wrong expectation, a bad line.
TEST(ScenarioDriver, ReportsEachKindOfMismatchWithItsLine) {
  const auto f = Scenario::run("t", R"(accounts alice bob
alice transfer to=bob amount=5000 => not found
alice transfer to=bob amount=5000 => failed precondition: no such words
alice transfer to=bob amount=10 => failed precondition
alice transfer to=bob amount=5000
expect credits bob 7
alice transfer to=bob amount=oops
alice fly
)");
  ASSERT_EQ(f.size(), 7u);
  EXPECT_NE(f[0].find("t:2: expected not found, got failed precondition"), std::string::npos) << f[0];
  EXPECT_NE(f[1].find("t:3: expected a message containing 'no such words'"), std::string::npos) << f[1];
  EXPECT_NE(f[2].find("t:4: expected failed precondition, got ok"), std::string::npos) << f[2];
  EXPECT_NE(f[3].find("t:5: expected ok, got failed precondition"), std::string::npos) << f[3];
  EXPECT_NE(f[4].find("t:6: credits of bob: expected 7, got 1010"), std::string::npos) << f[4];
  EXPECT_NE(f[5].find("t:7: bad line: amount: 'oops' is not a number"), std::string::npos) << f[5];
  EXPECT_NE(f[6].find("t:8: bad line: no verb 'fly'"), std::string::npos) << f[6];
}

TEST(ScenarioDriver, AMisspeltKeyIsABadLineNotADefault) {
  const auto f = Scenario::run("t", "accounts a b\na transfer to=b amuont=1\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].find("t:2: bad line: missing amount="), std::string::npos) << f[0];
  const auto g = Scenario::run("t", "accounts a b\na transfer to=b amount=1 extra=2\n");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NE(g[0].find("unknown key extra="), std::string::npos) << g[0];
}

}  // namespace
}  // namespace datadao::ledger::scenario
