// `datadao runner run`: the pools' compute-to-data runner (see datadao/runner/runner.hpp).
// Like the validator, the loop survives the node going away (one warning, backoff up to 30 s)
// and stops between rounds on SIGINT/SIGTERM. Training progress goes to stderr on a TTY and to
// the node (where `datadao model show` reads it).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

#include "cli.hpp"
#include "datadao/runner/runner.hpp"
#include "datadao/vault/backend.hpp"
#include "run_loop.hpp"

namespace datadao::cli {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

struct RunnerRunOptions {
  std::vector<std::string> pools;
  bool once = false;
  int64_t interval_ms = 2000;
  std::string work_dir;
  int threads = 0;
};

json published_json(const runner::PublishedModel& p) {
  json j = {{"event", "published"},
            {"model_id", p.model_id},
            {"kind", p.kind},
            {"contributions", p.contributions},
            {"contributors", p.contributors},
            {"examples", p.examples},
            {"steps", p.report.steps},
            {"resumed_from", p.report.resumed_from},
            {"stopped_by_budget", p.report.stopped_by_budget},
            {"epsilon", p.report.epsilon},
            {"holdout_loss", p.report.holdout_loss},
            {"baseline_loss", p.report.baseline_loss},
            {"seconds", p.report.seconds}};
  if (p.canary_space_bits > 0) {
    j["canary_exposure_mean"] = p.canary_exposure_mean;
    j["canary_exposure_max"] = p.canary_exposure_max;
    j["canary_space_bits"] = p.canary_space_bits;
  }
  return j;
}

void print_published(const Context& ctx, const runner::PublishedModel& p) {
  if (ctx.json) {
    std::cout << published_json(p).dump() << std::endl;
    return;
  }
  std::printf(
      "model %llu (%s) published: %llu contributions from %llu contributors, %llu examples, "
      "%llu steps%s; held-out loss %.4f vs baseline %.4f",
      static_cast<unsigned long long>(p.model_id), p.kind.c_str(),
      static_cast<unsigned long long>(p.contributions),
      static_cast<unsigned long long>(p.contributors), static_cast<unsigned long long>(p.examples),
      static_cast<unsigned long long>(p.report.steps),
      p.report.resumed_from > 0
          ? (" (resumed at " + std::to_string(p.report.resumed_from) + ")").c_str()
          : "",
      p.report.holdout_loss, p.report.baseline_loss);
  if (p.report.epsilon > 0) std::printf("; ε = %.3f", p.report.epsilon);
  if (p.report.stopped_by_budget) std::printf(" (stopped at the privacy budget)");
  if (p.canary_space_bits > 0) {
    std::printf("; canary exposure %.2f bits (max %.2f of %.2f)", p.canary_exposure_mean,
                p.canary_exposure_max, p.canary_space_bits);
  }
  std::printf("\n");
  std::fflush(stdout);
}

void run_runner(const Context& ctx, const RunnerRunOptions& o) {
  const wallet::Wallet w = ctx.open_wallet();
  const std::string url = ctx.resolved_node_url();
  vault::HttpBackend backend(url);

  runner::RunnerOptions ro;
  ro.work_dir = o.work_dir;
  ro.threads = o.threads;
  const bool tty = isatty(STDERR_FILENO) != 0;
  ro.on_progress = [tty](uint64_t model, const ml::Progress& p) {
    if (!tty) return;
    std::fprintf(stderr, "\rmodel %llu: step %llu/%llu  loss %.4f  ε %.3f  ETA %.0f s   ",
                 static_cast<unsigned long long>(model), static_cast<unsigned long long>(p.step),
                 static_cast<unsigned long long>(p.total_steps), p.loss, p.epsilon, p.eta_seconds);
    if (p.step >= p.total_steps) std::fprintf(stderr, "\n");
  };

  std::unique_ptr<runner::Runner> r;
  std::set<std::string> reported;
  run_rounds({o.once, milliseconds(o.interval_ms)}, [&]() -> Status {
    if (!r) {
      auto opened = runner::Runner::open(w, url, o.pools, backend, ro);
      if (!opened.ok()) {
        if (opened.error().code != ErrorCode::kIoError) throw CliError(opened.error());
        return opened.error();
      }
      r = std::move(opened).value();
      std::cerr << "running models for " << o.pools.size()
                << (o.pools.size() == 1 ? " pool" : " pools") << " as " << short_hex(w.account())
                << std::endl;
    }
    DD_ASSIGN(runner::RoundReport round, r->run_once());
    if (round.policy_consents > 0 && !ctx.json) {
      std::cout << round.policy_consents
                << " consents recorded from contributors' standing policies" << std::endl;
    }
    for (const auto& p : round.published) print_published(ctx, p);
    for (const auto& [model, error] : round.failed) {
      if (o.once || reported.insert(error.message).second) {
        if (ctx.json) {
          std::cout
              << json{{"event", "failed"}, {"model_id", model}, {"reason", error.message}}.dump()
              << std::endl;
        }
        std::cerr << "model " << model << " not trained: " << error.message << std::endl;
      }
    }
    if (o.once && !round.failed.empty()) {
      throw CliError(ErrorCode::kFailedPrecondition,
                     std::to_string(round.failed.size()) +
                         " model(s) could not be trained (reasons above); the next run retries");
    }
    return Status::Ok();
  });
}

}  // namespace

void register_runner_commands(CLI::App& app, Context& ctx) {
  auto* top =
      app.add_subcommand("runner", "Run approved models' training on pools (compute-to-data)");
  top->require_subcommand(1);
  static RunnerRunOptions opts;
  auto* run = top->add_subcommand(
      "run",
      "Apply contributors' standing consent policies to open proposals, and train every model "
      "whose consent window closed on exactly the consented records; seal the weights to the "
      "developer and publish. The wallet must be the validator of every pool given.");
  run->add_option("--pool", opts.pools, "Pool id or name (repeat for a cross-pool model)")
      ->required();
  run->add_flag("--once", opts.once, "One round, then exit (1 if a model could not be trained)");
  run->add_option("--interval-ms", opts.interval_ms, "Pause between rounds (default 2000)")
      ->check(CLI::Range(int64_t{10}, int64_t{3'600'000}));
  run->add_option("--work-dir", opts.work_dir,
                  "Checkpoints (a crashed run resumes from its last checkpoint)");
  run->add_option("--threads", opts.threads, "libtorch threads (default: libtorch's)")
      ->check(CLI::Range(0, 256));
  run->footer(
      "Examples:\n"
      "  datadao --wallet reddit-validator runner run --pool reddit-dao --work-dir runner\n"
      "  datadao --wallet health-op runner run --pool spotify-dao --pool oura-dao --once");
  run->callback([&ctx] { run_runner(ctx, opts); });
}

}  // namespace datadao::cli
