// `datadao model ...`: models trained on pooled data. A developer proposes a model to one or more
// pools (or a personal model on their own data), the pools' token holders vote, contributors
// consent — contribution by contribution, or by a standing policy the pool's runner applies —
// and the runner trains and publishes. `model show` says what a proposal asks before anything
// is used: purpose, pools, fields, ε and δ, price, and the developer's earlier models.
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include "cli.hpp"
#include "render.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/models.hpp"
#include "decimal.hpp"

namespace datadao::cli {

using nlohmann::json;

namespace {

// Kinds the runner trains (datadao/runner/runner.hpp); the ledger itself takes any tag.
constexpr std::string_view kModelKinds[] = {"text", "sleep", "listening_sleep"};
constexpr unsigned kDeltaDigits = 12;                 // kDeltaScale = 10^12
constexpr unsigned kMetricDigits = 6;                 // kMetricScale = 10^6
constexpr uint64_t kMaxDeltaE12 = 10'000'000'000ull;  // δ <= 0.01

std::string delta_text(uint64_t e12) { return format_scaled_decimal(e12, kDeltaDigits); }
std::string metric_text(int64_t micro) {
  const uint64_t magnitude =
      micro < 0 ? uint64_t{0} - static_cast<uint64_t>(micro) : static_cast<uint64_t>(micro);
  return (micro < 0 ? "-" : "") + format_scaled_decimal(magnitude, kMetricDigits);
}

// Every item of a paged list route ("next_after" protocol of the node's API).
json fetch_all(const Context& ctx, const std::string& path, const std::string& key) {
  auto client = ctx.client();
  json all = json::array();
  const char sep = path.find('?') == std::string::npos ? '?' : '&';
  uint64_t after = 0;
  while (true) {
    json page = unwrap(client.get(path + sep + "after=" + std::to_string(after) + "&limit=1000"));
    for (auto& item : page[key]) all.push_back(std::move(item));
    if (!page.contains("next_after") || page["next_after"].is_null()) return all;
    after = page["next_after"].get<uint64_t>();
  }
}

json fetch_model(const Context& ctx, uint64_t id) {
  return unwrap(ctx.client().get("/v1/models/" + std::to_string(id)));
}

std::string model_path(uint64_t id) { return "/v1/models/" + std::to_string(id); }

std::string terms_line(const json& t) {
  std::string s;
  if (t.value("dp_required", false)) {
    s = "DP-SGD with ε " + eps_text(t.value("epsilon_milli", uint64_t{0})) + ", δ " +
        delta_text(t.value("delta_e12", uint64_t{0}));
  } else {
    s = "no differential privacy";
  }
  return s + "; price " + std::to_string(t.value("price_per_call", uint64_t{0})) +
         " credits per call; fee " + std::to_string(t.value("training_fee", uint64_t{0})) +
         "; at least " + std::to_string(t.value("min_contributors", uint64_t{0})) +
         (t.value("min_contributors", uint64_t{0}) == 1 ? " contributor" : " contributors");
}

// Where the model is in its life, with the deadline that matters now.
std::string status_text(const json& m, uint64_t height) {
  const std::string status = m.value("status", "");
  if (status == "voting") {
    return "voting until block " + std::to_string(m.value("vote_deadline", uint64_t{0})) +
           " (now " + std::to_string(height) + ")";
  }
  if (status == "consent") {
    return "consent open until block " + std::to_string(m.value("consent_deadline", uint64_t{0})) +
           " (now " + std::to_string(height) + ")";
  }
  if (status == "training") return "training";
  return status + " at block " + std::to_string(m.value("closed_height", uint64_t{0}));
}

std::string pools_text(const json& m) {
  std::string s;
  for (const auto& p : m["pools"]) s += (s.empty() ? "" : ",") + std::to_string(p.get<uint64_t>());
  return s;
}

std::string duration_text(double seconds) {
  const auto s = static_cast<uint64_t>(std::max(0.0, seconds) + 0.5);
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
}

std::string progress_text(const json& p) {
  const uint64_t step = p.value("step", uint64_t{0});
  const uint64_t total = p.value("total_steps", uint64_t{0});
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%s: step %llu/%llu (%.0f%%), loss %.4g, ε %.3g, ETA %s",
                p.value("phase", "").c_str(), static_cast<unsigned long long>(step),
                static_cast<unsigned long long>(total), total ? 100.0 * step / total : 0.0,
                p.value("loss", 0.0), p.value("epsilon", 0.0),
                duration_text(p.value("eta_seconds", 0.0)).c_str());
  return buf;
}

// The wallet's contributions that may consent to `m`: in one of its pools, attested, points > 0.
json eligible_contributions(const Context& ctx, const json& m, const ledger::AccountId& me) {
  json mine = unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(me) + "/contributions"));
  std::set<uint64_t> pools;
  for (const auto& p : m["pools"]) pools.insert(p.get<uint64_t>());
  json out = json::array();
  for (const auto& c : mine["contributions"]) {
    if (!pools.count(c.value("pool_id", uint64_t{0})) || !c.value("attested", false)) continue;
    if (c["attestation"].value("points", uint64_t{0}) == 0) continue;
    out.push_back(c);
  }
  return out;
}

void print_model_line(const json& m, uint64_t height) {
  std::cout << "model " << m.value("id", uint64_t{0}) << "  " << m.value("kind", "") << "  "
            << m.value("purpose", "") << "  pools " << pools_text(m)
            << (m.value("personal", false) ? " (personal)" : "") << "  " << status_text(m, height)
            << "  consents: " << m.value("consents", uint64_t{0}) << "\n";
}

void register_propose(CLI::App& model, Context& ctx) {
  static std::vector<std::string> pools, fields;
  static bool personal = false, dp = true;
  static std::string kind, purpose, description, spec, epsilon, delta = "1e-5";
  static uint64_t min_contributors = 1, price = 0, fee = 0, consent_blocks = 20;
  static std::string attribution;
  auto* cmd = model.add_subcommand(
      "propose", "Propose a model to one or more pools (or a personal model on your own data)");
  cmd->add_option("--pool", pools, "Pool id or name (repeat for a cross-pool model, up to 4)")
      ->required();
  cmd->add_flag("--personal", personal,
                "A personal model: one pool, no vote, trained on your own contributions only, "
                "and you are its sole owner");
  cmd->add_option("--kind", kind, "text, sleep or listening_sleep")->required();
  cmd->add_option("--purpose", purpose, "Purpose tag: 1..32 of a-z 0-9 _ (e.g. research)")
      ->required();
  cmd->add_option("--description", description, "What the model is for (up to 512 bytes)")
      ->required();
  cmd->add_option("--field", fields, "A record field it reads (repeatable, up to 16)");
  cmd->add_option("--spec", spec, "Hyperparameters, e.g. \"layers=2 width=64 steps=200\"");
  cmd->add_flag("--dp,!--no-dp", dp, "Train with DP-SGD (default) or without")
      ->capture_default_str();
  cmd->add_option("--epsilon", epsilon, "Privacy budget ε, a decimal (3 decimal places at most)");
  cmd->add_option("--delta", delta, "δ, a decimal in 1e-12..0.01")->capture_default_str();
  cmd->add_option("--min-contributors", min_contributors,
                  "Cancel unless this many contributors consent in every pool")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{UINT32_MAX}));
  cmd->add_option("--price", price, "Credits per call of the published model")
      ->capture_default_str();
  cmd->add_option("--fee", fee, "Training fee escrowed from your credits, paid to the runner")
      ->capture_default_str();
  cmd->add_option("--consent-blocks", consent_blocks,
                  "Blocks the consent window stays open after approval")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, ledger::kMaxConsentBlocks));
  cmd->add_option("--attribution", attribution,
                  "How contributors' value (their shares) is measured: knn_shapley (text "
                  "models, the default for them) or tracin (tabular models, their default)");
  cmd->footer(
      "Example:\n  datadao --wallet dev model propose --pool reddit-dao --kind text --purpose "
      "research --description 'Reddit-style post generator' --field text --spec "
      "\"layers=2 width=64\" --epsilon 3 --delta 1e-5 --min-contributors 5 --price 2 --fee 100");
  cmd->callback([&ctx] {
    ledger::ProposeModel p;
    if (std::find(std::begin(kModelKinds), std::end(kModelKinds), kind) == std::end(kModelKinds)) {
      throw CLI::ValidationError("--kind", "'" + kind + "' is not text, sleep or listening_sleep");
    }
    if (!ledger::is_model_word(purpose, ledger::kMaxModelPurposeBytes, false)) {
      throw CLI::ValidationError("--purpose", "must be 1..32 of a-z 0-9 _");
    }
    if (description.size() > ledger::kMaxModelDescriptionBytes) {
      throw CLI::ValidationError("--description", "is longer than 512 bytes");
    }
    if (fields.size() > ledger::kMaxModelFields) {
      throw CLI::ValidationError("--field", "at most 16 fields");
    }
    for (const auto& f : fields) {
      if (!ledger::is_model_word(f, ledger::kMaxModelFieldBytes, true)) {
        throw CLI::ValidationError("--field", "'" + f + "' is not 1..32 of a-z 0-9 _ .");
      }
    }
    if (spec.size() > ledger::kMaxModelSpecBytes) {
      throw CLI::ValidationError("--spec", "is longer than 1024 bytes");
    }
    if (pools.size() > ledger::kMaxModelPools) {
      throw CLI::ValidationError("--pool", "at most 4 pools");
    }
    if (personal && pools.size() != 1) {
      throw CLI::ValidationError("--personal", "a personal model names exactly one --pool");
    }
    p.terms.dp_required = dp;
    if (dp) {
      if (epsilon.empty()) {
        throw CLI::ValidationError("--epsilon", "required with DP (or say --no-dp)");
      }
      auto e = parse_scaled_decimal(epsilon, kEpsilonDigits, "--epsilon");
      if (!e.ok()) throw CLI::ValidationError("--epsilon", e.error().message);
      if (*e == 0) throw CLI::ValidationError("--epsilon", "must be above 0");
      auto d = parse_scaled_decimal(delta, kDeltaDigits, "--delta");
      if (!d.ok()) throw CLI::ValidationError("--delta", d.error().message);
      if (*d == 0 || *d > kMaxDeltaE12) {
        throw CLI::ValidationError("--delta", "must be in 1e-12..0.01");
      }
      p.terms.epsilon_milli = *e;
      p.terms.delta_e12 = *d;
    } else if (!epsilon.empty()) {
      throw CLI::ValidationError("--epsilon", "applies only with DP (drop --no-dp)");
    }
    p.terms.min_contributors = static_cast<uint32_t>(min_contributors);
    p.terms.price_per_call = price;
    p.terms.training_fee = fee;
    p.terms.consent_blocks = consent_blocks;
    // The runner implements KNN-Shapley for text models and TracIn for tabular ones.
    const std::string method =
        attribution.empty() ? (kind == "text" ? "knn_shapley" : "tracin") : attribution;
    if (method != "knn_shapley" && method != "tracin") {
      throw CLI::ValidationError("--attribution", "'" + method + "' is not knn_shapley or tracin");
    }
    if ((kind == "text") != (method == "knn_shapley")) {
      throw CLI::ValidationError("--attribution", method + " is not implemented for " + kind +
                                                      " models (text: knn_shapley; tabular: "
                                                      "tracin)");
    }
    p.terms.attribution = method == "tracin" ? ledger::AttributionMethod::kTracIn
                                             : ledger::AttributionMethod::kKnnShapley;
    p.personal = personal;
    p.kind = kind;
    p.purpose = purpose;
    p.description = description;
    p.fields = fields;
    p.spec = spec;
    json pool_list = json::array();
    for (const auto& s : pools) {
      json pj = unwrap(ctx.client().pool(s));
      const uint64_t id = pj.value("id", uint64_t{0});
      if (std::find(p.pools.begin(), p.pools.end(), id) != p.pools.end()) {
        throw CLI::ValidationError("--pool", pool_label(pj) + " is named twice");
      }
      p.pools.push_back(id);
      pool_list.push_back(pj);
    }
    auto w = ctx.open_wallet();
    p.developer_box_key = w.box.public_key;
    json out = submit_signed(ctx, w, p);
    // Ours is this wallet's newest model created in the block that included the proposal.
    const uint64_t height = out.value("height", uint64_t{0});
    for (auto& m :
         fetch_all(ctx, "/v1/accounts/" + codec::to_hex(w.account()) + "/models", "models")) {
      if (m.value("created_height", uint64_t{0}) == height) out["model"] = std::move(m);
    }
    if (!out.contains("model")) {
      throw CliError(ErrorCode::kInternal, "the proposal is in block " + std::to_string(height) +
                                               " but the node lists no model of it");
    }
    emit(ctx, out, [&] {
      const json& m = out["model"];
      std::cout << "model " << m.value("id", uint64_t{0}) << " proposed: " << kind << " for '"
                << purpose << "' on ";
      for (size_t i = 0; i < pool_list.size(); ++i) {
        std::cout << (i ? " + " : "") << pool_label(pool_list[i]);
      }
      std::cout << "\n  " << terms_line(m["terms"]) << "\n  "
                << status_text(m, out.value("height", uint64_t{0})) << " (tx "
                << out.value("tx_id", "") << ", block " << out.value("height", uint64_t{0})
                << ")\n";
    });
  });
}

void register_list(CLI::App& model, Context& ctx) {
  static std::string pool;
  auto* cmd = model.add_subcommand("list", "Every model, or the models drawing on one pool");
  cmd->add_option("--pool", pool, "Pool id or name");
  cmd->footer("Example:\n  datadao model list --pool reddit-dao");
  cmd->callback([&ctx] {
    const std::string path =
        pool.empty() ? "/v1/models"
                     : "/v1/pools/" + std::to_string(resolve_pool_id(ctx, pool)) + "/models";
    json j = {{"models", fetch_all(ctx, path, "models")}, {"height", ctx.chain_height()}};
    emit(ctx, j, [&] {
      if (j["models"].empty()) std::cout << "(no models)\n";
      for (const auto& m : j["models"]) print_model_line(m, j["height"].get<uint64_t>());
    });
  });
}

void print_show(const json& j) {
  const json& m = j["model"];
  const json& t = m["terms"];
  const uint64_t height = j.value("height", uint64_t{0});
  std::cout << "model " << m.value("id", uint64_t{0})
            << (m.value("personal", false) ? " (personal)" : "") << ": "
            << m.value("description", "") << "\n"
            << "status            " << status_text(m, height) << "\n"
            << "purpose           " << m.value("purpose", "") << "\n"
            << "kind / spec       " << m.value("kind", "") << " / "
            << (m.value("spec", "").empty() ? "(defaults)" : m.value("spec", "")) << "\n"
            << "fields it reads   ";
  std::string fields;
  for (const auto& f : m["fields"]) fields += (fields.empty() ? "" : ", ") + f.get<std::string>();
  std::cout << (fields.empty() ? "(not listed)" : fields) << "\n"
            << "privacy           "
            << (t.value("dp_required", false)
                    ? "DP-SGD, ε " + eps_text(t.value("epsilon_milli", uint64_t{0})) + ", δ " +
                          delta_text(t.value("delta_e12", uint64_t{0}))
                    : std::string("no differential privacy"))
            << "\n"
            << "price per call    " << t.value("price_per_call", uint64_t{0}) << " credits\n"
            << "training fee      " << t.value("training_fee", uint64_t{0}) << " credits\n"
            << "min contributors  " << t.value("min_contributors", uint64_t{0})
            << " (in every pool)\n"
            << "attribution       " << t.value("attribution", "knn_shapley")
            << " (how each contributor's share is measured)\n"
            << "consent window    " << t.value("consent_blocks", uint64_t{0}) << " blocks";
  if (m.value("consent_deadline", uint64_t{0}) > 0) {
    std::cout << ", until block " << m.value("consent_deadline", uint64_t{0});
  }
  std::cout << "\ndeveloper         " << m.value("developer", "") << "\n";
  std::cout << "developer history ";
  if (j["history"].empty()) std::cout << "(no earlier models)";
  std::cout << "\n";
  for (const auto& h : j["history"]) {
    std::cout << "  model " << h.value("id", uint64_t{0}) << "  " << h.value("kind", "") << "  "
              << h.value("purpose", "") << "  " << h.value("status", "") << "\n";
  }
  if (m.value("personal", false)) {
    std::cout << "pool              " << pool_label(j["pools"][0])
              << " (personal: no vote; only the developer's own contributions)\n";
  } else {
    std::cout << "pools and votes\n";
    for (const auto& p : j["pools"]) {
      std::cout << "  " << pool_label(p) << "  yes " << p.value("yes", uint64_t{0}) << " / no "
                << p.value("no", uint64_t{0}) << " of supply "
                << p.value("supply_at_creation", uint64_t{0}) << " (quorum "
                << p.value("quorum_bps", uint64_t{0}) << " bps)\n";
    }
  }
  std::cout << "consents          " << m.value("consents", uint64_t{0}) << " contributions; "
            << m.value("consenting_contributors", uint64_t{0})
            << " contributors consented in every pool\n";
  if (m.contains("progress") && m.value("status", "") == "training") {
    std::cout << "progress          " << progress_text(m["progress"]) << "\n";
  }
  if (m.value("status", "") == "published") {
    std::cout << "published\n"
              << "  weights         " << m.value("weights_hash", "") << " ("
              << m.value("weights_size", uint64_t{0}) << " bytes, key sealed to the developer)\n"
              << "  ε spent         " << eps_text(m.value("epsilon_spent_milli", uint64_t{0}))
              << "\n"
              << "  steps           " << m.value("steps", uint64_t{0}) << "\n"
              << "  training set    " << m.value("training_set_size", uint64_t{0})
              << " contributions\n"
              << "  owners          " << m.value("share_holders", uint64_t{0})
              << " holders of its share units (datadao model shares " << m.value("id", uint64_t{0})
              << ")\n"
              << "  served          "
              << (m.value("served", false) ? "by the node, paid per call (datadao model use)"
                                           : "no")
              << "\n"
              << "  paid uses       " << m.value("uses", uint64_t{0}) << " ("
              << m.value("rewards_paid", uint64_t{0}) << " credits to its owners, "
              << m.value("rewards_claimed", uint64_t{0}) << " claimed)\n";
    for (const auto& x : m["metrics"]) {
      std::cout << "  " << x.value("name", "")
                << std::string(16 - std::min<size_t>(15, x.value("name", "").size()), ' ')
                << metric_text(x.value("value_micro", int64_t{0})) << "\n";
    }
  }
}

void register_show(CLI::App& model, Context& ctx) {
  static uint64_t id = 0;
  auto* cmd = model.add_subcommand(
      "show",
      "What a model asks (purpose, pools, fields, privacy, price, the developer's history), its "
      "votes, consents, progress and results");
  cmd->add_option("model", id, "Model id")->required()->check(CLI::PositiveNumber);
  cmd->footer("Example:\n  datadao model show 1");
  cmd->callback([&ctx] {
    json m = fetch_model(ctx, id);
    json history = json::array();
    for (auto& h :
         fetch_all(ctx, "/v1/accounts/" + m.value("developer", "") + "/models", "models")) {
      if (h.value("id", uint64_t{0}) != id) {
        history.push_back({{"id", h["id"]},
                           {"kind", h["kind"]},
                           {"purpose", h["purpose"]},
                           {"status", h["status"]},
                           {"training_set_size", h["training_set_size"]}});
      }
    }
    json pools = json::array();
    for (size_t i = 0; i < m["pools"].size(); ++i) {
      json p = unwrap(ctx.client().pool(std::to_string(m["pools"][i].get<uint64_t>())));
      pools.push_back({{"id", p["id"]},
                       {"name", p["name"]},
                       {"source", p["source"]},
                       {"quorum_bps", p["params"]["quorum_bps"]},
                       {"yes", m["yes"].at(i)},
                       {"no", m["no"].at(i)},
                       {"supply_at_creation", m["supply_at_creation"].at(i)}});
    }
    json j = {
        {"model", m}, {"history", history}, {"pools", pools}, {"height", ctx.chain_height()}};
    emit(ctx, j, [&] { print_show(j); });
  });
}

void register_vote(CLI::App& model, Context& ctx) {
  static uint64_t id = 0;
  static std::string pool;
  static bool yes = false, no = false;
  auto* cmd = model.add_subcommand(
      "vote", "Vote on a proposed model with your tokens of one of its pools (once per pool)");
  cmd->add_option("model", id, "Model id")->required()->check(CLI::PositiveNumber);
  cmd->add_option("--pool", pool, "The pool whose tokens you vote with")->required();
  auto* yes_flag = cmd->add_flag("--yes", yes, "Approve");
  auto* no_flag = cmd->add_flag("--no", no, "Reject");
  yes_flag->excludes(no_flag);
  cmd->footer("Example:\n  datadao --wallet bob model vote 1 --pool reddit-dao --yes");
  cmd->callback([&ctx] {
    if (!yes && !no) throw CLI::ValidationError("vote", "say --yes or --no");
    auto w = ctx.open_wallet();
    json pj = unwrap(ctx.client().pool(pool));
    const uint64_t pool_id = pj.value("id", uint64_t{0});
    json t = unwrap(ctx.client().get("/v1/pools/" + std::to_string(pool_id) + "/tokens/" +
                                     codec::to_hex(w.account())));
    const uint64_t weight = t.value("tokens", uint64_t{0});
    if (weight == 0) {
      throw CliError(ErrorCode::kPermissionDenied, "wallet '" + w.name + "' holds no tokens of " +
                                                       pool_label(pj) + ", so it cannot vote");
    }
    ledger::ModelVote v;
    v.model_id = id;
    v.pool_id = pool_id;
    v.approve = yes;
    json out = submit_signed(ctx, w, v);
    out["weight"] = weight;
    emit(ctx, out, [&] {
      std::cout << "voted " << (yes ? "yes" : "no") << " on model " << id << " with " << weight
                << " tokens of " << pool_label(pj) << " (tx " << out.value("tx_id", "") << ", block "
                << out.value("height", uint64_t{0}) << ")\n";
    });
  });
}

void register_consent(CLI::App& model, Context& ctx) {
  static uint64_t id = 0;
  static std::vector<uint64_t> contributions;
  static bool all = false, revoke = false;
  auto* cmd = model.add_subcommand(
      "consent",
      "Opt your contributions in to a model (or out, with --revoke) until its consent window "
      "closes");
  cmd->add_option("model", id, "Model id")->required()->check(CLI::PositiveNumber);
  auto* ids = cmd->add_option("--contribution", contributions, "Contribution id (repeatable)");
  auto* all_flag = cmd->add_flag(
      "--all", all, "Every scored contribution of yours (points > 0) in the model's pools");
  all_flag->excludes(ids);
  cmd->add_flag("--revoke", revoke,
                "Opt out instead: removes a consent (yours or by your policy) and stops your "
                "policy from giving it again");
  cmd->footer(
      "Read `datadao model show MODEL` first: it says what the model asks.\n"
      "Examples:\n  datadao --wallet bob model consent 1 --all\n"
      "  datadao --wallet bob model consent 1 --contribution 4 --revoke");
  cmd->callback([&ctx] {
    if (!all && contributions.empty()) {
      throw CLI::ValidationError("consent", "say which: --contribution ID ... or --all");
    }
    auto w = ctx.open_wallet();
    json m = fetch_model(ctx, id);
    std::vector<uint64_t> chosen = contributions;
    if (all) {
      for (const auto& c : eligible_contributions(ctx, m, w.account())) {
        chosen.push_back(c.value("id", uint64_t{0}));
      }
      if (chosen.empty()) {
        throw CliError(ErrorCode::kFailedPrecondition,
                       "wallet '" + w.name + "' has no scored contribution (points > 0) in model " +
                           std::to_string(id) + "'s pools (" + pools_text(m) + ")");
      }
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    json txs = json::array();
    for (size_t i = 0; i < chosen.size(); i += ledger::kMaxConsentBatch) {
      ledger::Consent c;
      c.model_id = id;
      c.consent = !revoke;
      const size_t end = std::min(chosen.size(), i + ledger::kMaxConsentBatch);
      c.contribution_ids.assign(chosen.begin() + static_cast<ptrdiff_t>(i),
                                chosen.begin() + static_cast<ptrdiff_t>(end));
      txs.push_back(submit_signed(ctx, w, c));
    }
    json out = {{"model_id", id},
                {"consent", !revoke},
                {"contribution_ids", chosen},
                {"transactions", txs}};
    emit(ctx, out, [&] {
      std::cout << (revoke ? "opted out of" : "consented to") << " model " << id << ": "
                << chosen.size() << " contribution" << (chosen.size() == 1 ? "" : "s") << " (";
      for (size_t i = 0; i < chosen.size(); ++i) std::cout << (i ? ", " : "") << chosen[i];
      std::cout << "), block " << txs.back().value("height", uint64_t{0}) << "\n";
    });
  });
}

void register_consents(CLI::App& model, Context& ctx) {
  static uint64_t id = 0;
  auto* cmd = model.add_subcommand(
      "consents", "Your contributions in a model's pools and whether each is consented");
  cmd->add_option("model", id, "Model id")->required()->check(CLI::PositiveNumber);
  cmd->footer("Example:\n  datadao --wallet bob model consents 1");
  cmd->callback([&ctx] {
    const ledger::AccountId me = ctx.account();
    json m = fetch_model(ctx, id);
    json list = json::array();
    for (const auto& c : eligible_contributions(ctx, m, me)) {
      const uint64_t cid = c.value("id", uint64_t{0});
      json s = unwrap(ctx.client().get(model_path(id) + "/consents/" + std::to_string(cid)));
      s["points"] = c["attestation"].value("points", uint64_t{0});
      list.push_back(s);
    }
    json j = {{"model_id", id}, {"status", m["status"]}, {"contributions", list}};
    emit(ctx, j, [&] {
      std::cout << "model " << id << " (" << m.value("status", "") << "), pools " << pools_text(m)
                << ":\n";
      if (list.empty()) std::cout << "  (no scored contributions of yours in these pools)\n";
      for (const auto& s : list) {
        std::string state = s.value("status", "");
        if (state == "consented" && s.value("by_policy", false)) state += " (by your policy)";
        if (state == "denied") state = "opted out";
        if (state == "none") state = "not consented";
        std::cout << "  contribution " << s.value("contribution_id", uint64_t{0}) << "  pool "
                  << s.value("pool_id", uint64_t{0}) << "  " << s.value("points", uint64_t{0})
                  << " points  " << state << "\n";
      }
    });
  });
}

}  // namespace

void register_model_commands(CLI::App& app, Context& ctx) {
  auto* model = app.add_subcommand(
      "model",
      "Models trained on pooled data: propose, vote, consent (or a standing policy), follow "
      "training, read results");
  model->require_subcommand(1);
  register_propose(*model, ctx);
  register_list(*model, ctx);
  register_show(*model, ctx);
  register_vote(*model, ctx);
  register_consent(*model, ctx);
  register_consents(*model, ctx);
  register_policy_command(*model, ctx);
}

}  // namespace datadao::cli
