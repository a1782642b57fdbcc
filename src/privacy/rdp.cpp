// RDP of the Poisson-subsampled Gaussian mechanism and its conversion to (ε, δ), written to give
// the numbers of Opacus's accountant (opacus/accountants/analysis/rdp.py): the same orders, the
// same series for log(A_α) (Mironov, Talwar, Zhang 2019, section 3.3) with the same stopping rule,
// and the same conversion (Balle et al. 2020, Theorem 21) with its argmin over the orders.
// Sums run in long double; only the final values are rounded to double.
#include "datadao/privacy/rdp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace datadao::privacy {

namespace {

using Real = long double;

constexpr Real kInf = std::numeric_limits<Real>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr Real kLogHalf = -0.693147180559945309417232121458176568L;
constexpr Real kLogSqrtPi = 0.572364942924700087071713675676529356L;
constexpr Real kSqrt2 = 1.414213562373095048801688724209698079L;

// log(exp(x) + exp(y)), exact for -inf operands.
Real log_add(Real x, Real y) {
  const Real lo = std::min(x, y);
  const Real hi = std::max(x, y);
  if (lo == -kInf) return hi;
  return std::log1p(std::exp(lo - hi)) + hi;
}

// log(exp(x) - exp(y)) for x >= y. The alternating series keeps each partial sum positive in exact
// arithmetic; if rounding ever says otherwise the remainder is treated as zero.
Real log_sub(Real x, Real y) {
  if (y == -kInf) return x;
  if (x <= y) return -kInf;
  const Real d = x - y;
  if (d > 11000) return x;  // expm1 would overflow; exp(y) is negligible next to exp(x)
  return std::log(std::expm1(d)) + y;
}

// log(erfc(x)). erfcl is exact until it underflows (x ~ 106 in x87 long double); far before
// that, the asymptotic series erfc(x) = exp(-x²)/(x√π) · Σ (-1)^k (2k-1)!! / (2x²)^k is
// accurate to long double precision.
Real log_erfc(Real x) {
  if (x < 40) return std::log(std::erfc(x));
  const Real inv = 1 / (2 * x * x);
  Real term = 1, sum = 1;
  for (int k = 1; k <= 12; ++k) {
    term *= -(2 * k - 1) * inv;
    sum += term;
  }
  return -x * x - std::log(x) - kLogSqrtPi + std::log(sum);
}

// log(A_α) for integer α: the binomial expansion
// A_α = Σ_{i=0..α} C(α, i) q^i (1-q)^(α-i) exp((i² - i) / (2σ²)).
Real log_a_int(Real q, Real sigma, uint64_t alpha) {
  const Real log_q = std::log(q);
  const Real log_1mq = std::log1p(-q);
  const Real a = static_cast<Real>(alpha);
  const Real lgamma_a1 = std::lgamma(a + 1);
  Real log_a = -kInf;
  for (uint64_t k = 0; k <= alpha; ++k) {
    const Real i = static_cast<Real>(k);
    const Real log_binom = lgamma_a1 - std::lgamma(i + 1) - std::lgamma(a - i + 1);
    const Real s = log_binom + i * log_q + (a - i) * log_1mq + (i * i - i) / (2 * sigma * sigma);
    log_a = log_add(log_a, s);
  }
  return log_a;
}

// log(A_α) for fractional α: the two half-line integrals split at z0, each an infinite series
// with generalised binomial coefficients, summed until both terms fall below e^-30 (Opacus's
// stopping rule).
Real log_a_frac(Real q, Real sigma, Real alpha) {
  const Real log_q = std::log(q);
  const Real log_1mq = std::log1p(-q);
  const Real z0 = sigma * sigma * std::log(1 / q - 1) + 0.5L;
  const Real scale = kSqrt2 * sigma;
  Real log_a0 = -kInf;
  Real log_a1 = -kInf;
  Real log_abs_coef = 0;  // log|C(α, 0)|
  bool positive = true;
  for (uint64_t k = 0;; ++k) {
    if (k > 0) {
      // C(α, k) = C(α, k-1) · (α - k + 1) / k
      const Real factor = (alpha - static_cast<Real>(k) + 1) / static_cast<Real>(k);
      if (factor == 0) break;  // α is an integer after all: the series ends
      log_abs_coef += std::log(std::fabs(factor));
      if (factor < 0) positive = !positive;
    }
    const Real i = static_cast<Real>(k);
    const Real j = alpha - i;
    const Real log_t0 = log_abs_coef + i * log_q + j * log_1mq;
    const Real log_t1 = log_abs_coef + j * log_q + i * log_1mq;
    const Real log_e0 = kLogHalf + log_erfc((i - z0) / scale);
    const Real log_e1 = kLogHalf + log_erfc((z0 - j) / scale);
    const Real log_s0 = log_t0 + (i * i - i) / (2 * sigma * sigma) + log_e0;
    const Real log_s1 = log_t1 + (j * j - j) / (2 * sigma * sigma) + log_e1;
    if (positive) {
      log_a0 = log_add(log_a0, log_s0);
      log_a1 = log_add(log_a1, log_s1);
    } else {
      log_a0 = log_sub(log_a0, log_s0);
      log_a1 = log_sub(log_a1, log_s1);
    }
    if (std::max(log_s0, log_s1) < -30) break;
  }
  return log_add(log_a0, log_a1);
}

// RDP of one step at order α.
double rdp_one_step(double q, double sigma, double alpha) {
  if (!(q >= 0 && q <= 1) || !(sigma >= 0) || !(alpha > 1)) {
    return std::numeric_limits<double>::infinity();  // no guarantee for inputs out of range
  }
  if (q == 0) return 0;
  if (sigma == 0 || std::isinf(alpha)) return std::numeric_limits<double>::infinity();
  if (q == 1) return alpha / (2 * sigma * sigma);
  const Real a = alpha;
  const Real log_a = alpha == std::floor(alpha) ? log_a_int(q, sigma, static_cast<uint64_t>(alpha))
                                                : log_a_frac(q, sigma, a);
  return static_cast<double>(log_a / (a - 1));
}

}  // namespace

const std::vector<double>& default_rdp_orders() {
  static const std::vector<double> orders = [] {
    std::vector<double> v;
    for (int x = 1; x < 100; ++x) v.push_back(1 + x / 10.0);
    for (int a = 12; a < 64; ++a) v.push_back(a);
    return v;
  }();
  return orders;
}

std::vector<double> compute_rdp(double sample_rate, double noise_multiplier, uint64_t steps,
                                const std::vector<double>& orders) {
  std::vector<double> rdp(orders.size(), 0.0);
  if (steps == 0) return rdp;  // nothing released, whatever σ (Opacus: 0 · inf = nan here)
  for (size_t k = 0; k < orders.size(); ++k) {
    rdp[k] = rdp_one_step(sample_rate, noise_multiplier, orders[k]) * static_cast<double>(steps);
  }
  return rdp;
}

Result<EpsilonResult> rdp_to_epsilon(const std::vector<double>& orders,
                                     const std::vector<double>& rdp, double delta) {
  if (!(delta > 0 && delta < 1)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "delta " + std::to_string(delta) + " is not in (0, 1)");
  }
  if (orders.size() != rdp.size()) {
    return make_error(ErrorCode::kInvalidArgument, std::to_string(orders.size()) + " orders but " +
                                                       std::to_string(rdp.size()) + " RDP values");
  }
  if (orders.empty()) return make_error(ErrorCode::kInvalidArgument, "no RDP orders");
  const double log_delta = std::log(delta);
  // The first minimum over the orders, NaNs ignored (numpy's nanargmin); all NaN means no
  // guarantee (ε = inf, order NaN).
  EpsilonResult best{std::numeric_limits<double>::infinity(), kNaN};
  bool found = false;
  for (size_t k = 0; k < orders.size(); ++k) {
    const double a = orders[k];
    const double eps = rdp[k] - (log_delta + std::log(a)) / (a - 1) + std::log((a - 1) / a);
    if (std::isnan(eps)) continue;
    if (!found || eps < best.epsilon) {
      best = {eps, a};
      found = true;
    }
  }
  return best;
}

RdpAccountant::RdpAccountant(std::vector<double> orders)
    : orders_(std::move(orders)), rdp_(orders_.size(), 0.0) {}

const std::vector<double>& RdpAccountant::per_step(double sample_rate, double noise_multiplier) {
  if (cached_per_step_.empty() || sample_rate != cached_sample_rate_ ||
      noise_multiplier != cached_noise_multiplier_) {
    cached_per_step_ = compute_rdp(sample_rate, noise_multiplier, 1, orders_);
    cached_sample_rate_ = sample_rate;
    cached_noise_multiplier_ = noise_multiplier;
  }
  return cached_per_step_;
}

void RdpAccountant::step(double sample_rate, double noise_multiplier, uint64_t steps) {
  if (steps == 0) return;
  const std::vector<double>& one = per_step(sample_rate, noise_multiplier);
  for (size_t k = 0; k < rdp_.size(); ++k) rdp_[k] += one[k] * static_cast<double>(steps);
}

Result<EpsilonResult> RdpAccountant::epsilon(double delta) const {
  return rdp_to_epsilon(orders_, rdp_, delta);
}

Result<EpsilonResult> RdpAccountant::epsilon_if(double sample_rate, double noise_multiplier,
                                                uint64_t extra, double delta) const {
  std::vector<double> rdp = compute_rdp(sample_rate, noise_multiplier, extra, orders_);
  for (size_t k = 0; k < rdp.size(); ++k) rdp[k] += rdp_[k];
  return rdp_to_epsilon(orders_, rdp, delta);
}

uint64_t max_steps_within(double sample_rate, double noise_multiplier, double delta,
                          double target_epsilon, uint64_t limit) {
  const std::vector<double>& orders = default_rdp_orders();
  const std::vector<double> one = compute_rdp(sample_rate, noise_multiplier, 1, orders);
  std::vector<double> rdp(one.size());
  // ε after t steps; ε is non-decreasing in t because every order's RDP is.
  auto within = [&](uint64_t t) {
    for (size_t k = 0; k < one.size(); ++k) rdp[k] = one[k] * static_cast<double>(t);
    auto eps = rdp_to_epsilon(orders, rdp, delta);
    return eps.ok() && eps->epsilon <= target_epsilon;
  };
  if (limit == 0 || !within(1)) return 0;
  if (within(limit)) return limit;
  uint64_t lo = 1, hi = limit;  // within(lo), !within(hi)
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    (within(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace datadao::privacy
