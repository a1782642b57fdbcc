// The canary audit (audit.hpp). No libtorch here: the model is scored through TextModel.
#include "datadao/ml/audit.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "exposure.hpp"

namespace datadao::ml {
namespace {

constexpr uint32_t kMaxDigits = 5;    // 10^5 candidates: exact enumeration stays cheap
constexpr size_t kScoreChunk = 4096;  // candidates per log_perplexities call (bounds memory)
constexpr const char* kCanaryPrefix = "the secret code is";

uint64_t space_size(uint32_t digits) {
  uint64_t space = 1;
  for (uint32_t i = 0; i < digits; ++i) space *= 10;
  return space;
}

// " 0 4 2" for value 42 with 3 digits: the canary format, leading zeros kept.
std::string format_secret(uint64_t value, uint32_t digits) {
  std::string out(2 * digits, ' ');
  for (uint32_t i = digits; i-- > 0;) {
    out[2 * i + 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

struct ParsedSecret {
  uint32_t digits = 0;
  uint64_t value = 0;
};

// Inverse of format_secret. Canaries come from make_canaries, so a malformed one is a caller's
// bug, not bad input: it throws.
ParsedSecret parse_secret(const std::string& secret) {
  ParsedSecret parsed;
  bool ok = !secret.empty() && secret.size() % 2 == 0 && secret.size() / 2 <= kMaxDigits;
  for (size_t i = 0; ok && i < secret.size(); i += 2) {
    ok = secret[i] == ' ' && secret[i + 1] >= '0' && secret[i + 1] <= '9';
    parsed.value = parsed.value * 10 + static_cast<uint64_t>(secret[i + 1] - '0');
  }
  if (!ok) {
    throw std::invalid_argument("canary secret '" + secret +
                                "' is not 1 to 5 space-separated digits");
  }
  parsed.digits = static_cast<uint32_t>(secret.size() / 2);
  return parsed;
}

}  // namespace

namespace detail {

uint64_t canary_rank(double canary_score, std::span<const double> scores) {
  uint64_t lower = 0;
  for (double s : scores) lower += s < canary_score ? 1 : 0;
  return 1 + lower;
}

double exposure(uint64_t rank, uint64_t space) {
  return std::log2(static_cast<double>(space)) - std::log2(static_cast<double>(rank));
}

}  // namespace detail

// The PRNG is std::mt19937_64, not a cryptographic generator, on purpose: a canary only has to be
// unpredictable to the model being audited (which never sees the seed), and the runner draws the
// seed itself from libsodium's randombytes. Determinism from the seed lets an audit be re-run.
// Values are drawn by rejection from the raw 64-bit output (not std::uniform_int_distribution,
// whose algorithm differs between standard libraries) so the same seed gives the same canaries
// everywhere.
std::vector<Canary> make_canaries(uint32_t count, uint32_t digits, uint64_t seed) {
  if (digits < 1 || digits > kMaxDigits) {
    throw std::invalid_argument("canary digits " + std::to_string(digits) +
                                " out of range 1..5 (the audit enumerates 10^digits candidates)");
  }
  const uint64_t space = space_size(digits);
  if (count > space) {
    throw std::invalid_argument(std::to_string(count) + " distinct canaries do not fit in " +
                                std::to_string(digits) + " digits");
  }
  std::mt19937_64 rng(seed);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % space;  // unbiased: reject the tail
  std::unordered_set<uint64_t> used;
  std::vector<Canary> canaries;
  canaries.reserve(count);
  while (canaries.size() < count) {
    uint64_t x = rng();
    if (x >= limit) continue;
    uint64_t value = x % space;
    if (!used.insert(value).second) continue;
    canaries.push_back(Canary{kCanaryPrefix, format_secret(value, digits)});
  }
  return canaries;
}

std::vector<std::string> canary_texts(const std::vector<Canary>& canaries, uint32_t repeats) {
  std::vector<std::string> texts;
  texts.reserve(canaries.size() * repeats);
  for (uint32_t r = 0; r < repeats; ++r) {
    for (const Canary& c : canaries) texts.push_back(c.prefix + c.secret);
  }
  return texts;
}

// Every canary of one prefix and length is ranked against the same 10^digits candidates, so
// they are scored once per prefix; the canary's own score is read from that list (the same batch
// arithmetic as its competitors, so a tie is a real tie).
AuditReport audit_canaries(const TextModel& model, const std::vector<Canary>& canaries) {
  AuditReport report;
  if (canaries.empty()) return report;
  std::vector<ParsedSecret> parsed;
  for (const Canary& c : canaries) parsed.push_back(parse_secret(c.secret));
  report.digits = parsed.front().digits;
  for (const ParsedSecret& p : parsed) {
    if (p.digits != report.digits) {
      throw std::invalid_argument("canaries of different lengths cannot share one audit report");
    }
  }
  const uint64_t space = space_size(report.digits);
  report.max_exposure = std::log2(static_cast<double>(space));

  std::vector<std::string> candidates;
  candidates.reserve(space);
  for (uint64_t v = 0; v < space; ++v) candidates.push_back(format_secret(v, report.digits));

  std::map<std::string, std::vector<double>> scores_by_prefix;
  report.canaries.resize(canaries.size());
  double sum = 0;
  for (size_t i = 0; i < canaries.size(); ++i) {
    auto [it, fresh] = scores_by_prefix.try_emplace(canaries[i].prefix);
    std::vector<double>& scores = it->second;
    if (fresh) {
      scores.reserve(space);
      for (size_t begin = 0; begin < candidates.size(); begin += kScoreChunk) {
        size_t end = std::min(candidates.size(), begin + kScoreChunk);
        std::vector<std::string> chunk(candidates.begin() + static_cast<ptrdiff_t>(begin),
                                       candidates.begin() + static_cast<ptrdiff_t>(end));
        std::vector<double> part = model.log_perplexities(canaries[i].prefix, chunk);
        scores.insert(scores.end(), part.begin(), part.end());
      }
    }
    CanaryExposure& out = report.canaries[i];
    out.secret = canaries[i].secret;
    out.rank = detail::canary_rank(scores[parsed[i].value], scores);
    out.exposure = detail::exposure(out.rank, space);
    sum += out.exposure;
  }
  report.mean_exposure = sum / static_cast<double>(canaries.size());
  return report;
}

}  // namespace datadao::ml
