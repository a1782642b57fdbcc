// `datadao demo models`: the models and ownership demo, end to end on real parts. A node runs in this
// process; synthetic users contribute Reddit, Spotify and Oura exports to three pools and the
// validators attest them (as in `demo contributions`). Then:
//   1. a developer proposes a Reddit-post generator with DP (ε stated in the terms); the pool's
//      token holders approve it; most contributors consent, some through a standing policy
//      applied by the runner, some not at all (one opts out explicitly);
//   2. the same developer proposes the same model WITHOUT DP: the standing policies (which
//      require DP) do not consent to it; it trains too, so the memorisation audit compares
//      canary exposure with and without DP;
//   3. a sleep-score model on the Oura pool, and a cross-pool model on Spotify + Oura joined by
//      wallet for the contributors who consented in both pools;
//   4. one contributor trains a personal model on their own posts;
//   5. ownership: the runner measures each contributor's value (exact KNN-Shapley for the text
//      models, TracIn for the tabular ones) and the model's 10^9 share units go to the consenting
//      contributors in proportion; a planted copycat (an export of another user's posts) and a
//      planted noise contributor (posts filed under the wrong subreddits) get nothing / next to
//      nothing;
//   6. a consumer calls the DP Reddit model 1,000 times through the node, each call a signed
//      UseModel paying its price; three contributors' `account show` rewards equal
//      price x uses x their share units exactly; they claim them.
// The runners train each model on exactly the consented records and publish it; the developer
// opens the weights and generates text. The demo exits non-zero if a check fails:
//   - a training set on the ledger differs from the consents (a non-consenting or one-pool
//     contributor's data was used, or a consenting one's was not);
//   - ε spent exceeds the terms; the text and tabular models do not beat their baselines;
//   - no canary exposure was published; someone other than the developer can open the weights;
//   - shares go to anyone but the training set's contributors, the planted contributions get a
//     real share, or a reward differs from price x uses x shares by a single reward unit.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/common/u128.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/runner/runner.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/vault.hpp"
#include "demo_models.hpp"
#include "demo_net.hpp"

namespace datadao::cli {
namespace demo_models {

void ModelsDemo::check(bool ok, const std::string& what) {
  std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n";
  if (!ok) ++failures_;
}

void ModelsDemo::setup() {
  for (size_t i = 0; i < o_.users; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "user%02zu", i);
    users_.push_back({demo_wallet(name), i, {}});
  }
  std::vector<std::pair<ledger::AccountId, uint64_t>> credits;
  for (const auto& u : users_) credits.emplace_back(u.w.account(), 10);
  credits.emplace_back(reddit_op_.account(), 10);
  credits.emplace_back(health_op_.account(), 10);
  credits.emplace_back(dev_.account(), 100'000);
  credits.emplace_back(consumer_.account(), 10'000);
  credits.emplace_back(copycat_.account(), 10);
  credits.emplace_back(noisy_.account(), 10);
  net_.start(o_.dir, std::move(credits));
  for (const char* src : {"reddit", "spotify", "oura"}) {
    const wallet::Wallet& op = std::string(src) == "reddit" ? reddit_op_ : health_op_;
    ledger::CreatePool cp;
    cp.name = std::string(src) + "-dao";
    cp.source = src;
    cp.validator = op.account();
    cp.box_key = op.box.public_key;
    cp.params = {1000, 3000, 30, true};  // 30-block votes: the batched votes land in time
    net_.submit(users_.front().w, cp);
    pool_[src] = unwrap(net_.client().pool(cp.name))["id"].get<uint64_t>();
    std::cout << "pool " << pool_[src] << " " << cp.name << " (validator and runner " << op.name
              << ")\n";
  }
}

void ModelsDemo::contribute_and_validate() {
  std::cout << "\n== " << users_.size()
            << " users contribute Reddit, Spotify and Oura exports; the validators attest\n";
  for (auto& u : users_) {
    const std::string handle = "dd_" + u.w.name;
    for (const char* src : {"reddit", "spotify", "oura"}) {
      testkit::FixtureOptions fo;
      fo.seed = 7000 + 31 * u.index + std::string(src).size();
      fo.username = handle;
      fo.records = o_.records;
      fo.realistic_text = true;
      fo.person_seed = 1 + u.index;  // the same person behind the Spotify and Oura exports
      const std::string source = src;
      testkit::Fixture fx = unwrap(source == "reddit"    ? testkit::make_reddit_export(fo)
                                  : source == "spotify" ? testkit::make_spotify_export(fo)
                                                        : testkit::make_oura_export(fo));
      const wallet::Wallet& op = source == "reddit" ? reddit_op_ : health_op_;
      u.contribution[source] =
          net_.contribute(u.w, pool_[source], op.box.public_key, source,
                          fx.account_identity.empty() ? handle : fx.account_identity, fx.zip);
    }
  }
  // Two planted Reddit contributors. The copycat's export is user01's posts, comments and
  // messages verbatim; the noisy one's texts pass every quality rule but sit under the wrong
  // subreddits (label noise).
  {
    // user01's own export generator run again under another name: the same posts, comments
    // and messages, byte for byte.
    testkit::FixtureOptions fo;
    fo.seed = 7000 + 31 * 1 + std::string("reddit").size();
    fo.username = "dd_copycat";
    fo.records = o_.records;
    fo.realistic_text = true;
    testkit::Fixture fx = unwrap(testkit::make_reddit_export(fo));
    copycat_contribution_ = net_.contribute(copycat_, pool_["reddit"], reddit_op_.box.public_key,
                                            "reddit", fx.account_identity, fx.zip);
    // Label noise: realistic posts and comments written for other subreddits (another person's
    // export, never contributed), planted under this export's own randomly drawn subreddits.
    testkit::FixtureOptions src;
    src.seed = 93;
    src.username = "dd_unrelated";
    src.records = o_.records;
    src.realistic_text = true;
    const testkit::Fixture other = unwrap(testkit::make_reddit_export(src));
    fo.seed = 92;
    fo.username = "dd_noisy";
    fo.copied_texts = other.texts;
    fx = unwrap(testkit::make_reddit_export(fo));
    noisy_contribution_ = net_.contribute(noisy_, pool_["reddit"], reddit_op_.box.public_key,
                                          "reddit", fx.account_identity, fx.zip);
  }
  for (const char* src : {"reddit", "spotify", "oura"}) {
    const wallet::Wallet& op = std::string(src) == "reddit" ? reddit_op_ : health_op_;
    auto v = unwrap(
        validator::Validator::open(op, net_.url(), std::to_string(pool_[src]), net_.vault()));
    auto report = unwrap(v->run_once());
    if (report.stopped) throw CliError(*report.stopped);
    uint64_t accepted = 0;
    for (const auto& a : report.attested) accepted += a.accepted;
    std::cout << "  " << src << "-dao: " << report.attested.size() << " attested, " << accepted
              << " records accepted\n";
    for (const auto& d : report.deferred) {
      check(false, "contribution " + std::to_string(d.id) + " deferred: " + d.error.message);
    }
  }
}

uint64_t ModelsDemo::propose(const wallet::Wallet& dev, std::vector<std::string> pools,
                             const std::string& kind, const std::string& spec, bool dp,
                             bool personal, const std::string& description) {
  ledger::ProposeModel p;
  for (const auto& s : pools) p.pools.push_back(pool_.at(s));
  p.personal = personal;
  p.kind = kind;
  p.purpose = "research";
  p.description = description;
  p.fields = kind == "text" ? std::vector<std::string>{"text"}
                            : std::vector<std::string>{"oura.sleep", "oura.activity"};
  if (kind == "listening_sleep") p.fields.push_back("spotify.stream");
  p.spec = spec;
  p.terms.dp_required = dp;
  p.terms.epsilon_milli = dp ? 3000 : 0;    // ε = 3
  p.terms.delta_e12 = dp ? 10'000'000 : 0;  // δ = 1e-5
  p.terms.min_contributors = personal ? 1 : 5;
  p.terms.price_per_call = 2;
  p.terms.training_fee = personal ? 0 : 500;
  p.terms.consent_blocks = 40;
  // How contributors' value is measured (src/attribution): text models by exact KNN-Shapley
  // over the model's embeddings, tabular ones by TracIn over training checkpoints.
  p.terms.attribution =
      kind == "text" ? ledger::AttributionMethod::kKnnShapley : ledger::AttributionMethod::kTracIn;
  p.developer_box_key = dev.box.public_key;
  net_.submit(dev, p);
  uint64_t id = 0;
  const json mine =
      unwrap(net_.client().get("/v1/accounts/" + codec::to_hex(dev.account()) + "/models"));
  for (const json& m : mine.value("models", json::array()))
    id = std::max(id, m["id"].get<uint64_t>());
  const json m = model(id);
  std::cout << "  model " << id << " proposed by " << dev.name << ": " << kind << " on "
            << pools.front() << (pools.size() > 1 ? " + " + pools.back() : "") << ", "
            << (dp ? "DP ε = 3, δ = 1e-5" : "no DP") << ", price 2 per call, fee "
            << p.terms.training_fee << (personal ? " (personal)" : "") << "; status "
            << m.value("status", "?") << "\n";
  return id;
}

void ModelsDemo::wait_status(uint64_t id, const std::string& status) {
  // Deadlines are block heights; the node makes heartbeat blocks while a model is open.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::string now;
  while (std::chrono::steady_clock::now() < until) {
    now = model(id).value("status", "");
    if (now == status) return;
    if (now == "rejected" || now == "cancelled" || now == "published") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw CliError(ErrorCode::kFailedPrecondition,
                 "model " + std::to_string(id) + " is " + now + ", expected " + status);
}

void ModelsDemo::vote_all(uint64_t id, const std::string& source) {
  for (const auto& u : users_) {
    // Nine in ten vote; the silent ones do not.
    if (answer_of(u.index) == Answer::kSilent) continue;
    net_.queue(u.w, ledger::ModelVote{id, pool_.at(source), answer_of(u.index) != Answer::kOptOut});
  }
}

void ModelsDemo::consent(const User& u, uint64_t id, const std::string& source, bool yes) {
  ledger::Consent c;
  c.model_id = id;
  c.contribution_ids = {u.contribution.at(source)};
  c.consent = yes;
  net_.queue(u.w, c);
}

std::set<uint64_t> ModelsDemo::training_set(uint64_t id) {
  std::set<uint64_t> out;
  uint64_t after = 0;
  for (;;) {
    const json page =
        unwrap(net_.client().get("/v1/models/" + std::to_string(id) + "/training-set?limit=1000" +
                                 (after ? "&after=" + std::to_string(after) : "")));
    for (const json& e : page.value("training_set", json::array())) {
      out.insert(e.is_number() ? e.get<uint64_t>() : e["contribution_id"].get<uint64_t>());
    }
    if (!page.contains("next_after") || page["next_after"].is_null()) return out;
    after = page["next_after"].get<uint64_t>();
  }
}

double ModelsDemo::metric(const json& m, const std::string& name) {
  for (const json& x : m.value("metrics", json::array())) {
    if (x.value("name", "") == name) return x.value("value_micro", int64_t{0}) / 1e6;
  }
  return std::nan("");
}

runner::PublishedModel ModelsDemo::train(runner::Runner& r, uint64_t id) {
  // One round trains every model whose window has closed; keep them all.
  if (!published_.count(id)) {
    auto round = unwrap(r.run_once());
    for (const auto& [model_id, error] : round.failed) {
      throw CliError(error.code, "model " + std::to_string(model_id) + ": " + error.message);
    }
    for (auto& p : round.published) published_[p.model_id] = p;
  }
  auto it = published_.find(id);
  if (it == published_.end()) {
    throw CliError(ErrorCode::kInternal, "model " + std::to_string(id) + " was not trained");
  }
  return it->second;
}

void ModelsDemo::check_training_set(uint64_t id, const std::set<uint64_t>& expected,
                                    const std::string& label) {
  const std::set<uint64_t> got = training_set(id);
  check(got == expected, label + ": the ledger's training set is exactly the " +
                             std::to_string(expected.size()) + " consented contributions (got " +
                             std::to_string(got.size()) + ")");
}

void ModelsDemo::run() {
  setup();
  contribute_and_validate();
  const std::string text_spec =
      "layers=2 width=64 heads=4 context=48 vocab=600 batch=32 lr=0.003 "
      "noise=1.1 clip=1 steps=" +
      std::to_string(o_.text_steps);
  const std::string tab_spec = "hidden=32 layers=2 batch=16 lr=0.01 noise=1.3 clip=1 steps=" +
                               std::to_string(o_.tabular_steps);

  std::cout << "\n== standing consent policies: users 3, 8, 13, ... consent automatically to "
               "research models with DP at ε <= 4, priced >= 1 per call, joinable with Spotify "
               "and Oura\n";
  for (const auto& u : users_) {
    if (answer_of(u.index) != Answer::kPolicy) continue;
    ledger::SetConsentPolicy sp;
    sp.policy.enabled = true;
    sp.policy.require_dp = true;
    sp.policy.max_epsilon_milli = 4000;
    sp.policy.min_price_per_call = 1;
    sp.policy.purposes = {"research"};
    sp.policy.join_pools = {pool_["reddit"], pool_["spotify"], pool_["oura"]};
    net_.queue(u.w, sp);
  }
  net_.flush();

  std::cout << "\n== a developer proposes models; token holders vote\n";
  // DP-SGD needs more (noisier) steps; the ε budget stops it first.
  const std::string dp_text_spec =
      "layers=2 width=64 heads=4 context=48 vocab=600 batch=32 lr=0.005 noise=1.1 clip=1 steps=" +
      std::to_string(4 * o_.text_steps);
  const uint64_t text_dp = propose(dev_, {"reddit"}, "text", dp_text_spec, true, false,
                                   "Reddit-style post generator, trained with DP-SGD");
  const uint64_t text_plain = propose(dev_, {"reddit"}, "text", text_spec, false, false,
                                      "The same generator without DP (audit comparison)");
  const uint64_t sleep = propose(dev_, {"oura"}, "sleep", tab_spec, true, false,
                                 "Next-night sleep score from recent nights and activity");
  const uint64_t cross = propose(dev_, {"spotify", "oura"}, "listening_sleep", tab_spec, true,
                                 false, "Does late-night listening change tonight's sleep?");
  for (uint64_t id : {text_dp, text_plain}) vote_all(id, "reddit");
  vote_all(sleep, "oura");
  vote_all(cross, "spotify");
  vote_all(cross, "oura");
  net_.flush();
  for (uint64_t id : {text_dp, text_plain, sleep, cross}) wait_status(id, "consent");
  std::cout << "  all four approved by their pools' token holders\n";

  std::cout << "\n== contributors answer (explicit consent 3 in 5; policy 1 in 5; the rest "
               "silent or opting out)\n";
  std::set<uint64_t> expect_text_dp, expect_text_plain, expect_sleep, expect_cross;
  for (const auto& u : users_) {
    const Answer a = answer_of(u.index);
    if (a == Answer::kConsent) {
      consent(u, text_dp, "reddit", true);
      consent(u, text_plain, "reddit", true);
      consent(u, sleep, "oura", true);
      // Every third explicit consenter agrees to the Oura half only: not in the join.
      consent(u, cross, "oura", true);
      if (u.index % 3 != 2) consent(u, cross, "spotify", true);
    } else if (a == Answer::kOptOut) {
      consent(u, text_dp, "reddit", false);
    }
    if (a == Answer::kConsent || a == Answer::kPolicy) {
      expect_text_dp.insert(u.contribution.at("reddit"));
      expect_sleep.insert(u.contribution.at("oura"));
      if (a == Answer::kPolicy || u.index % 3 != 2) {
        expect_cross.insert(u.contribution.at("spotify"));
        expect_cross.insert(u.contribution.at("oura"));
      }
    }
    if (a == Answer::kConsent) expect_text_plain.insert(u.contribution.at("reddit"));
  }
  // The noisy contributor consents (its records passed the validator); the copycat tries, but
  // its contribution earned no points (every record a duplicate), so the ledger refuses.
  {
    ledger::Consent c;
    c.model_id = text_dp;
    c.contribution_ids = {noisy_contribution_};
    net_.queue(noisy_, c);
    expect_text_dp.insert(noisy_contribution_);
  }
  net_.flush();
  {
    ledger::Consent c;
    c.model_id = text_dp;
    c.contribution_ids = {copycat_contribution_};
    const uint64_t nonce = unwrap(net_.client().next_nonce(copycat_.account()));
    const json out =
        unwrap(net_.client().submit(ledger::make_tx(kDemoChainId, copycat_.sign, nonce, c)));
    const bool refused = out.value("status", "") == "rejected";
    std::cout << "  copycat's consent: "
              << (refused && out.contains("error") ? "refused: " + out["error"].value("message", "")
                                                   : out.value("status", "?"))
              << "\n";
    check(refused, "the copycat (all records duplicates, no points) cannot consent");
  }

  runner::RunnerOptions ro;
  ro.work_dir = (net_.dir() / "runner").string();
  ro.canaries = 4;
  ro.canary_digits = 4;
  ro.canary_repeats = 8;
  auto last = std::chrono::steady_clock::now();
  ro.on_progress = [&last](uint64_t id, const ml::Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (p.step < p.total_steps && now - last < std::chrono::seconds(2)) return;
    last = now;
    std::printf("    model %llu: step %llu/%llu  loss %.3f  ε %.2f  ETA %.0f s\n",
                static_cast<unsigned long long>(id), static_cast<unsigned long long>(p.step),
                static_cast<unsigned long long>(p.total_steps), p.loss, p.epsilon, p.eta_seconds);
    std::fflush(stdout);
  };
  auto reddit_runner =
      unwrap(runner::Runner::open(reddit_op_, net_.url(), {"reddit-dao"}, net_.vault(), ro));
  auto health_runner = unwrap(
      runner::Runner::open(health_op_, net_.url(), {"spotify-dao", "oura-dao"}, net_.vault(), ro));
  // While the windows are open the runners apply the standing policies.
  const uint64_t applied = unwrap(reddit_runner->run_once()).policy_consents +
                           unwrap(health_runner->run_once()).policy_consents;
  std::cout << "  the runners recorded " << applied
            << " consents from standing policies (none for the model without DP)\n";

  std::cout << "\n== consent windows close; the runners train on exactly the consented records\n";
  for (uint64_t id : {text_dp, text_plain, sleep, cross}) wait_status(id, "training");
  const auto p_dp = train(*reddit_runner, text_dp);
  const auto p_plain = train(*reddit_runner, text_plain);
  const auto p_sleep = train(*health_runner, sleep);
  const auto p_cross = train(*health_runner, cross);

  std::cout << "\n== a contributor trains a personal model on their own posts\n";
  const User& owner = users_.front();
  const uint64_t personal =
      propose(owner.w, {"reddit"}, "text",
              "layers=1 width=32 heads=2 context=32 vocab=200 batch=16 lr=0.01 steps=" +
                  std::to_string(std::max<uint64_t>(20, o_.text_steps / 3)),
              false, true, "my own post generator");
  consent(owner, personal, "reddit", true);
  net_.flush();
  wait_status(personal, "training");
  const auto p_personal = train(*reddit_runner, personal);

  std::cout << "\n== published models\n";
  std::printf("  %-6s %-16s %-10s %8s %8s %10s %10s %8s\n", "model", "kind", "DP", "contrib.",
              "examples", "held-out", "baseline", "ε spent");
  for (const auto* p : {&p_dp, &p_plain, &p_sleep, &p_cross, &p_personal}) {
    const json m = model(p->model_id);
    std::printf("  %-6llu %-16s %-10s %8llu %8llu %10.4f %10.4f %8.3f\n",
                static_cast<unsigned long long>(p->model_id), p->kind.c_str(),
                m["terms"].value("dp_required", false) ? "yes" : "no",
                static_cast<unsigned long long>(p->contributions),
                static_cast<unsigned long long>(p->examples), p->report.holdout_loss,
                p->report.baseline_loss, m.value("epsilon_spent_milli", uint64_t{0}) / 1000.0);
  }
  std::printf(
      "  (text: cross-entropy in nats/token vs a unigram model; tabular: MSE vs "
      "\"tonight = last night\")\n");

  std::cout << "\n== memorisation audit (4 secret canaries, 8 copies each, 10^4 candidates)\n";
  std::printf("  with DP (ε = %.2f): mean exposure %.2f bits, max %.2f of %.2f\n",
              p_dp.report.epsilon, p_dp.canary_exposure_mean, p_dp.canary_exposure_max,
              p_dp.canary_space_bits);
  std::printf("  without DP:        mean exposure %.2f bits, max %.2f of %.2f\n",
              p_plain.canary_exposure_mean, p_plain.canary_exposure_max, p_plain.canary_space_bits);

  std::cout << "\n== the developer opens the DP model's weights and generates\n";
  const json m = model(text_dp);
  const crypto::Bytes sealed =
      unwrap(codec::from_base64(m.value("weights_sealed_key", ""), "weights_sealed_key"));
  const crypto::Hash32 hash =
      unwrap(codec::from_hex_fixed<32>(m.value("weights_hash", ""), "weights_hash"));
  const bool runner_opens = vault::receive_key(reddit_op_.box, sealed).ok();
  const auto key = unwrap(vault::receive_key(dev_.box, sealed));
  const ml::TextModel tm =
      unwrap(ml::TextModel::load(unwrap(vault::open_bytes(net_.vault(), hash, key))));
  for (const char* prompt : {"What is the best", "Ran my first", "Why does", "This is"}) {
    std::cout << "  > " << unwrap(tm.generate(prompt, 30, 0.8, 42)) << "\n";
  }

  ownership_and_rewards(text_dp, expect_text_dp);

  std::cout << "\n== checks\n";
  check_training_set(text_dp, expect_text_dp, "DP text model");
  check_training_set(text_plain, expect_text_plain, "text model without DP (no policy consents)");
  check_training_set(sleep, expect_sleep, "sleep model");
  check_training_set(cross, expect_cross,
                     "cross-pool model (contributors who consented in both pools only)");
  check_training_set(personal, {owner.contribution.at("reddit")}, "personal model");
  check(model(personal).value("developer", "") == codec::to_hex(owner.w.account()),
        "the personal model's sole owner is the contributor who trained it");
  const double eps = model(text_dp).value("epsilon_spent_milli", uint64_t{0}) / 1000.0;
  check(eps > 0 && eps <= 3.0, "DP text model: ε spent " + std::to_string(eps) + " <= 3 (terms)");
  for (const auto* p : {&p_dp, &p_plain, &p_sleep, &p_cross}) {
    check(p->report.holdout_loss < p->report.baseline_loss,
          "model " + std::to_string(p->model_id) + " (" + p->kind +
              ") beats its baseline on "
              "held-out data (" +
              std::to_string(p->report.holdout_loss) + " < " +
              std::to_string(p->report.baseline_loss) + ")");
  }
  check(!std::isnan(metric(model(text_dp), "canary_exposure_mean")) &&
            !std::isnan(metric(model(text_plain), "canary_exposure_mean")),
        "canary exposure is published with both text models");
  check(!runner_opens, "the runner cannot open the weights it sealed for the developer");

  net_.stop(o_.keep);
  if (failures_ > 0) {
    throw CliError(ErrorCode::kFailedPrecondition,
                   std::to_string(failures_) + " demo check(s) failed (see above)");
  }
  std::cout << "\ndemo passed: every check held\n";
}

}  // namespace demo_models

void register_demo_models_command(CLI::App& demo) {
  static demo_models::ModelsDemoOptions opts;
  auto* c = demo.add_subcommand(
      "models",
      "Synthetic users contribute to Reddit, Spotify and Oura pools; a developer proposes "
      "models; holders vote; contributors consent (or not); the runners train with DP-SGD on "
      "exactly the consented records and publish; prints losses against baselines, ε, the "
      "canary audit and generated posts, and checks each promise");
  c->add_option("--users", opts.users, "Synthetic users")->check(CLI::Range(10, 1000));
  c->add_option("--records", opts.records, "Records per kind in each export")
      ->check(CLI::Range(10, 2000));
  c->add_option("--text-steps", opts.text_steps, "Training steps of the text models")
      ->check(CLI::Range(10, 100000));
  c->add_option("--tabular-steps", opts.tabular_steps, "Training steps of the tabular models")
      ->check(CLI::Range(10, 100000));
  c->add_option("--dir", opts.dir, "Directory for the node (default: a fresh temporary one)");
  c->add_flag("--keep", opts.keep, "Keep the node directory afterwards");
  c->footer("Example:\n  datadao demo models --users 40");
  c->callback([] { demo_models::ModelsDemo(opts).run(); });
}

}  // namespace datadao::cli
