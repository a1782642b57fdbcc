// Memorisation audit (Carlini et al., "The Secret Sharer", USENIX Security 2019): secret
// canaries "the secret code is D D D D D" (random digits) are inserted into the training texts
// `repeats` times each; after training, each canary's exposure is
//   exposure = log2 |R| - log2 rank,
// where R is the space of all digit strings of that length (10^digits) and rank is the canary's
// position (1 = most likely) among all of them by the model's log-perplexity of the digits after
// the fixed prefix. Computed by exact enumeration (digits <= 5: at most 10^5 candidates, scored
// in batches). Exposure near log2 |R| means memorised; near 1 means the model does not prefer it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datadao/ml/text_model.hpp"

namespace datadao::ml {

struct Canary {
  std::string prefix;  // "the secret code is"
  std::string secret;  // " 3 1 4 1 5" (digits separated by spaces)
};
// `count` canaries with `digits` random digits each, from `seed` (distinct secrets).
std::vector<Canary> make_canaries(uint32_t count, uint32_t digits, uint64_t seed);
// The training texts to add: each canary's full text, `repeats` times.
std::vector<std::string> canary_texts(const std::vector<Canary>& canaries, uint32_t repeats);

struct CanaryExposure {
  std::string secret;  // for the report of whoever inserted it (the runner keeps it private)
  uint64_t rank = 0;
  double exposure = 0;
};
struct AuditReport {
  uint32_t digits = 0;
  double max_exposure = 0;  // log2(10^digits)
  std::vector<CanaryExposure> canaries;
  double mean_exposure = 0;
};
AuditReport audit_canaries(const TextModel& model, const std::vector<Canary>& canaries);

}  // namespace datadao::ml
