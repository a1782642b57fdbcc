// `datadao model policy ...`: a contributor's standing consent policy, which the pool's runner
// applies to every matching proposal (purposes, minimum price, ε at most, pools it may join).
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
namespace {

using nlohmann::json;

void print_policy(const json& p) {
  if (!p.value("enabled", false)) {
    std::cout << "no standing consent policy: nothing is consented for you automatically\n";
    return;
  }
  std::cout << "standing consent policy (set at block " << p.value("height", uint64_t{0})
            << "): consent automatically to models that\n";
  if (p.value("require_dp", true)) {
    std::cout << "  train with DP at ε <= " << eps_text(p.value("max_epsilon_milli", uint64_t{0}))
              << "\n";
  } else {
    std::cout << "  (with or without DP)\n";
  }
  std::cout << "  pay at least " << p.value("min_price_per_call", uint64_t{0})
            << " credits per call\n  have a purpose among: ";
  std::string purposes;
  for (const auto& x : p["purposes"])
    purposes += (purposes.empty() ? "" : ", ") + x.get<std::string>();
  std::cout << (purposes.empty() ? "(none: nothing matches)" : purposes) << "\n"
            << "  join your pools only with pools: ";
  std::string joins;
  for (const auto& x : p["join_pools"]) {
    joins += (joins.empty() ? "" : ", ") + std::to_string(x.get<uint64_t>());
  }
  std::cout << (joins.empty() ? "(none: single-pool models only)" : joins) << "\n";
}

}  // namespace

void register_policy_command(CLI::App& model, Context& ctx) {
  auto* policy = model.add_subcommand(
      "policy",
      "Your standing consent policy: consent automatically to models whose terms "
      "meet yours (deny by default)");
  policy->require_subcommand(1);

  static std::string max_epsilon;
  static bool no_dp_required = false;
  static uint64_t min_price = 0;
  static std::vector<std::string> purposes, join_pools;
  auto* set = policy->add_subcommand("set", "Set (replace) your standing consent policy");
  set->add_option("--dp-max-epsilon", max_epsilon,
                  "Require DP with ε at most this (a decimal, 3 places at most)");
  set->add_flag("--no-dp-required", no_dp_required, "Also accept models trained without DP");
  set->add_option("--min-price", min_price, "Lowest price per call accepted, in credits")
      ->capture_default_str();
  set->add_option("--purpose", purposes, "An accepted purpose tag (repeatable)")->required();
  set->add_option("--join-pool", join_pools,
                  "A pool of cross-pool models you accept (repeatable): such a model matches only "
                  "when every one of its pools, yours included, is listed");
  set->footer(
      "The pool's runner applies it to each new proposal; you can still opt any contribution "
      "out with `model consent MODEL --contribution ID --revoke`.\n"
      "Example:\n  datadao --wallet bob model policy set --dp-max-epsilon 3 --min-price 1 "
      "--purpose research --purpose health");
  set->callback([&ctx] {
    ledger::SetConsentPolicy s;
    s.policy.enabled = true;
    s.policy.require_dp = !no_dp_required;
    if (no_dp_required && !max_epsilon.empty()) {
      throw CLI::ValidationError("--dp-max-epsilon", "applies only when DP is required");
    }
    if (!no_dp_required) {
      if (max_epsilon.empty()) {
        throw CLI::ValidationError(
            "--dp-max-epsilon", "required (or say --no-dp-required to accept models without DP)");
      }
      auto e = parse_scaled_decimal(max_epsilon, kEpsilonDigits, "--dp-max-epsilon");
      if (!e.ok()) throw CLI::ValidationError("--dp-max-epsilon", e.error().message);
      s.policy.max_epsilon_milli = *e;
    }
    s.policy.min_price_per_call = min_price;
    if (purposes.size() > ledger::kMaxPolicyPurposes) {
      throw CLI::ValidationError("--purpose", "at most 16 purposes");
    }
    for (const auto& p : purposes) {
      if (!ledger::is_model_word(p, ledger::kMaxModelPurposeBytes, false)) {
        throw CLI::ValidationError("--purpose", "'" + p + "' is not 1..32 of a-z 0-9 _");
      }
      if (std::find(s.policy.purposes.begin(), s.policy.purposes.end(), p) ==
          s.policy.purposes.end()) {
        s.policy.purposes.push_back(p);
      }
    }
    if (join_pools.size() > ledger::kMaxPolicyPools) {
      throw CLI::ValidationError("--join-pool", "at most 64 pools");
    }
    for (const auto& p : join_pools) {
      const uint64_t pid = resolve_pool_id(ctx, p);
      if (std::find(s.policy.join_pools.begin(), s.policy.join_pools.end(), pid) ==
          s.policy.join_pools.end()) {
        s.policy.join_pools.push_back(pid);
      }
    }
    std::sort(s.policy.join_pools.begin(), s.policy.join_pools.end());
    auto w = ctx.open_wallet();
    json out = submit_signed(ctx, w, s);
    out["policy"] =
        unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(w.account()) + "/consent-policy"));
    emit(ctx, out, [&] { print_policy(out["policy"]); });
  });

  auto* show = policy->add_subcommand("show", "Your standing consent policy");
  show->footer("Example:\n  datadao --wallet bob model policy show");
  show->callback([&ctx] {
    json p = unwrap(
        ctx.client().get("/v1/accounts/" + codec::to_hex(ctx.account()) + "/consent-policy"));
    emit(ctx, p, [&] { print_policy(p); });
  });

  auto* off = policy->add_subcommand(
      "off", "Turn your standing policy off (consents already given stay until you revoke them)");
  off->footer("Example:\n  datadao --wallet bob model policy off");
  off->callback([&ctx] {
    auto w = ctx.open_wallet();
    ledger::SetConsentPolicy s;
    s.policy.enabled = false;
    json out = submit_signed(ctx, w, s);
    emit(ctx, out, [&] {
      std::cout << "standing consent policy off: nothing more is consented for you "
                   "automatically (block "
                << out.value("height", uint64_t{0}) << ")\n";
    });
  });
}

}  // namespace datadao::cli
