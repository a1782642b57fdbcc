// Differential-privacy accounting for DP-SGD: Rényi DP of the Poisson-subsampled Gaussian
// mechanism (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian
// Mechanism"), composed over steps and converted to (ε, δ). The orders, the RDP computation and
// the RDP-to-(ε, δ) conversion follow Opacus's RDP accountant (opacus/accountants/analysis/rdp.py
// and opacus/accountants/rdp.py) so that the two agree to 1e-6 relative.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::privacy {

// Opacus's default orders: [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64)).
const std::vector<double>& default_rdp_orders();

// RDP of `steps` compositions of the sampled Gaussian mechanism at each order.
// sample_rate q in [0, 1], noise_multiplier σ >= 0 (σ = 0 gives +inf), steps >= 0.
std::vector<double> compute_rdp(double sample_rate, double noise_multiplier, uint64_t steps,
                                const std::vector<double>& orders);

struct EpsilonResult {
  double epsilon = 0;
  double best_order = 0;
};
// (ε, δ) from an RDP curve, as Opacus's get_privacy_spent (the improved conversion of
// Balle et al. 2020 that Opacus uses). kInvalidArgument if delta is not in (0, 1) or the sizes
// differ.
Result<EpsilonResult> rdp_to_epsilon(const std::vector<double>& orders,
                                     const std::vector<double>& rdp, double delta);

// Keeps the running RDP of a training run whose steps may use different (q, σ).
// Not thread-safe.
class RdpAccountant {
 public:
  explicit RdpAccountant(std::vector<double> orders = default_rdp_orders());
  void step(double sample_rate, double noise_multiplier, uint64_t steps = 1);
  Result<EpsilonResult> epsilon(double delta) const;
  // ε after `extra` more steps of (q, σ), without recording them: lets a trainer stop before a
  // step would exceed the budget.
  Result<EpsilonResult> epsilon_if(double sample_rate, double noise_multiplier, uint64_t extra,
                                   double delta) const;

 private:
  // One step's RDP for (q, σ), cached: a trainer steps with the same (q, σ) every time.
  const std::vector<double>& per_step(double sample_rate, double noise_multiplier);

  std::vector<double> orders_;
  std::vector<double> rdp_;
  double cached_sample_rate_ = 0;
  double cached_noise_multiplier_ = 0;
  std::vector<double> cached_per_step_;
};

// The largest number of steps of (q, σ) whose ε at δ stays <= target_epsilon (0 if even one
// step exceeds it). Binary search over compute_rdp.
uint64_t max_steps_within(double sample_rate, double noise_multiplier, double delta,
                          double target_epsilon, uint64_t limit = 10'000'000);

}  // namespace datadao::privacy
