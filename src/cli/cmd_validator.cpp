// `datadao validator run`: the pool's validator process (see datadao/validator/validator.hpp).
// Loop mode survives the node going away: one warning, then retries with backoff up to 30 s,
// like a validator must (Vana's crashed when their RPC went down). SIGINT/SIGTERM stop it
// between steps.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>

#include "cli.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/backend.hpp"
#include "run_loop.hpp"

namespace datadao::cli {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

json attested_json(const validator::AttestedContribution& a, uint64_t pool) {
  return {{"event", "attested"},
          {"pool_id", pool},
          {"id", a.id},
          {"contributor", a.contributor},
          {"authentic", a.authentic},
          {"owned", a.owned},
          {"handle_conflict", a.handle_conflict},
          {"records_total", a.records_total},
          {"exact_duplicates", a.exact_duplicates},
          {"near_duplicates", a.near_duplicates},
          {"low_quality", a.low_quality},
          {"accepted", a.accepted},
          {"points", a.points},
          {"tokens", a.tokens},
          {"note", a.note}};
}

void print_attested(const Context& ctx, const validator::AttestedContribution& a, uint64_t pool) {
  if (ctx.json) {
    std::cout << attested_json(a, pool).dump() << std::endl;
    return;
  }
  std::cout << "contribution " << a.id << "  " << a.contributor.substr(0, 8) << "..  records "
            << a.records_total << "  exact " << a.exact_duplicates << "  near " << a.near_duplicates
            << "  low " << a.low_quality << "  accepted " << a.accepted << "  points " << a.points
            << "  tokens " << a.tokens << (a.authentic ? "" : "  (not authentic)")
            << (a.handle_conflict ? "  (handle held by another wallet)" : "") << std::endl;
}

// What the operator can do about a deferral, when we know ("" otherwise).
std::string hint_for(const Error& e) {
  if (e.message.find("has no credits") != std::string::npos) {
    return "the validator's account needs credits: ask the operator for a transfer";
  }
  return "";
}

void print_deferred(const Context& ctx, const validator::DeferredContribution& d, uint64_t pool) {
  const std::string hint = hint_for(d.error);
  if (ctx.json) {
    json j = {{"event", "deferred"}, {"pool_id", pool}, {"id", d.id}, {"reason", d.error.message}};
    if (!hint.empty()) j["hint"] = hint;
    std::cout << j.dump() << std::endl;
  }
  std::cerr << "left pending: " << d.error.message << (hint.empty() ? "" : " (" + hint + ")")
            << std::endl;
}

struct RunOptions {
  std::string pool;
  bool once = false;
  int64_t interval_ms = 2000;
};

void run_validator(const Context& ctx, const RunOptions& o) {
  const wallet::Wallet w = ctx.open_wallet();
  const std::string url = ctx.resolved_node_url();
  vault::HttpBackend backend(url);

  std::unique_ptr<validator::Validator> v;
  std::set<std::string> reported;  // deferred reasons already printed (no repeats every round)
  run_rounds({o.once, milliseconds(o.interval_ms)}, [&]() -> Status {
    if (!v) {
      auto opened = validator::Validator::open(w, url, o.pool, backend);
      if (!opened.ok()) {
        // A wrong wallet or an unknown pool will not fix itself.
        if (opened.error().code == ErrorCode::kPermissionDenied ||
            opened.error().code == ErrorCode::kNotFound ||
            opened.error().code == ErrorCode::kInvalidArgument ||
            opened.error().code == ErrorCode::kFailedPrecondition) {
          throw CliError(opened.error());
        }
        return opened.error();
      }
      v = std::move(opened).value();
      std::cerr << "validating pool '" << v->pool_name() << "' (id " << v->pool_id() << ") as "
                << short_hex(w.account()) << "; " << v->indexed_records()
                << " records already in the pool index" << std::endl;
    }
    DD_ASSIGN(validator::RoundReport round, v->run_once());
    for (const auto& a : round.attested) print_attested(ctx, a, v->pool_id());
    for (const auto& d : round.deferred) {
      // --once prints every deferral; the loop prints a reason once, not every round.
      if (o.once || reported.insert(d.error.message).second) print_deferred(ctx, d, v->pool_id());
    }
    if (round.stopped) return *round.stopped;
    if (o.once && !round.deferred.empty()) {
      // A round that scored nothing it was asked to is not a success, whatever the reason.
      const size_t n = round.deferred.size();
      throw CliError(ErrorCode::kFailedPrecondition,
                     std::to_string(n) + (n == 1 ? " contribution was" : " contributions were") +
                         " left pending (reasons above); the next run retries " +
                         (n == 1 ? "it" : "them"));
    }
    return Status::Ok();
  });
}

}  // namespace

void register_validator_commands(CLI::App& app, Context& ctx) {
  auto* val = app.add_subcommand("validator", "Run a pool's validator (proof of contribution)");
  val->require_subcommand(1);
  static RunOptions opts;
  auto* run = val->add_subcommand(
      "run",
      "Validate a pool's pending contributions: decrypt, import, score, refine without PII, "
      "attest on the ledger. Prints one line per attested contribution (--json: JSON lines). "
      "Runs until SIGINT/SIGTERM unless --once. The wallet must be the pool's validator.");
  run->add_option("--pool", opts.pool, "Pool id or name")->required();
  run->add_flag("--once", opts.once,
                "One round, then exit: 1 if the node is unreachable or any contribution was left "
                "pending (e.g. the validator's account has no credits)");
  run->add_option("--interval-ms", opts.interval_ms, "Pause between rounds (default 2000)")
      ->check(CLI::Range(int64_t{10}, int64_t{3'600'000}));
  run->footer(
      "Examples:\n"
      "  datadao --wallet reddit-validator validator run --pool reddit-dao\n"
      "  datadao --wallet reddit-validator --json validator run --pool 1 --once");
  run->callback([&ctx] { run_validator(ctx, opts); });
}

}  // namespace datadao::cli
