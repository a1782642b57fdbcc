// `datadao dp epsilon`: the (ε, δ) that DP-SGD with Poisson sampling rate q and noise multiplier
// σ spends in T steps, by the RDP accountant (the same numbers as Opacus's), and optionally how
// many steps a target ε allows.
#include <cmath>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "datadao/privacy/rdp.hpp"

namespace datadao::cli {

using nlohmann::json;

namespace {

constexpr uint64_t kMaxStepsSearched = 10'000'000;

// "1e-05" for δ, "12" or "3.9" for an order: shortest form that reads back the same.
std::string short_number(double x) {
  std::ostringstream out;
  out.precision(15);
  out << x;
  return out.str();
}

void register_epsilon(CLI::App& dp, Context& ctx) {
  static double sample_rate = 0, noise_multiplier = 0, delta = 0, target_epsilon = 0;
  static int64_t steps = 0;  // signed so that CLI11 rejects "-3" instead of wrapping it
  auto* eps = dp.add_subcommand(
      "epsilon", "ε spent by DP-SGD (Poisson-sampled Gaussian mechanism) at a given δ");
  eps->add_option("--sample-rate", sample_rate,
                  "Poisson sampling rate q: expected batch size / dataset size, in [0, 1]")
      ->required()
      ->check(CLI::Range(0.0, 1.0));
  eps->add_option("--noise-multiplier", noise_multiplier,
                  "Noise multiplier σ: noise standard deviation / clipping norm, >= 0")
      ->required();
  eps->add_option("--steps", steps, "Number of training steps T")->required();
  eps->add_option("--delta", delta, "Target δ, in (0, 1); usually below 1 / dataset size")
      ->required();
  eps->add_option("--target-epsilon", target_epsilon,
                  "Also print the largest number of steps whose ε stays within this budget");
  eps->footer(
      "RDP accounting over Opacus's default orders and its RDP-to-(ε, δ) conversion (Balle et "
      "al. 2020).\n"
      "Example:\n  datadao dp epsilon --sample-rate 0.04 --noise-multiplier 1.5 --steps 2250 "
      "--delta 1e-5\n"
      "  ε = 7.329111 at δ = 1e-05 (best order 3.9)");
  eps->callback([&ctx, eps] {
    // Checked here rather than by CLI11 validators: those let NaN through and word the range
    // of a non-negative number as 0 to 1.8e308.
    if (!(sample_rate >= 0 && sample_rate <= 1)) {
      throw CLI::ValidationError("--sample-rate", "must be in [0, 1]");
    }
    if (!(noise_multiplier >= 0) || std::isinf(noise_multiplier)) {
      throw CLI::ValidationError("--noise-multiplier", "must be a finite number >= 0");
    }
    if (steps < 0) throw CLI::ValidationError("--steps", "must be >= 0");
    if (!(delta > 0 && delta < 1)) {
      throw CLI::ValidationError("--delta", short_number(delta) + " is not in (0, 1)");
    }
    const bool with_target = eps->count("--target-epsilon") > 0;
    if (with_target && !(target_epsilon > 0)) {
      throw CLI::ValidationError("--target-epsilon", "must be a number > 0");
    }
    const auto& orders = privacy::default_rdp_orders();
    const auto result = unwrap(privacy::rdp_to_epsilon(
        orders,
        privacy::compute_rdp(sample_rate, noise_multiplier, static_cast<uint64_t>(steps), orders),
        delta));
    json out = {{"epsilon", result.epsilon},
                {"delta", delta},
                {"best_order", result.best_order},
                {"sample_rate", sample_rate},
                {"noise_multiplier", noise_multiplier},
                {"steps", steps},
                {"accountant", "rdp"}};
    if (std::isinf(result.epsilon)) {  // JSON has no infinity; no order is "best" then
      out["epsilon"] = nullptr;
      out["best_order"] = nullptr;
    }
    uint64_t max_steps = 0;
    if (with_target) {
      max_steps = privacy::max_steps_within(sample_rate, noise_multiplier, delta, target_epsilon,
                                            kMaxStepsSearched);
      out["target_epsilon"] = target_epsilon;
      out["max_steps"] = max_steps;
    }
    emit(ctx, out, [&] {
      if (std::isinf(result.epsilon)) {
        std::cout << "ε = inf at δ = " << short_number(delta)
                  << " (no privacy guarantee: no noise)\n";
      } else {
        std::ostringstream e;
        e.setf(std::ios::fixed);
        e.precision(6);
        e << result.epsilon;
        std::cout << "ε = " << e.str() << " at δ = " << short_number(delta) << " (best order "
                  << short_number(result.best_order) << ")\n";
      }
      if (with_target) {
        std::cout << (max_steps == kMaxStepsSearched ? "at least " : "at most ") << max_steps
                  << " steps stay within ε = " << short_number(target_epsilon) << "\n";
      }
    });
  });
}

}  // namespace

void register_dp_commands(CLI::App& app, Context& ctx) {
  auto* dp = app.add_subcommand("dp", "Differential privacy accounting for DP-SGD");
  dp->require_subcommand(1);
  register_epsilon(*dp, ctx);
}

}  // namespace datadao::cli
