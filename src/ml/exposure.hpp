// The ranking math of the canary audit (audit.hpp), separate from any model so that it can be
// tested on plain scores. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace datadao::ml::detail {

// Rank of a canary whose log-perplexity is `canary_score` among `scores` (every candidate of
// the space, the canary's own score included): 1 + the number of candidates scored strictly
// lower (more likely). Ties count in the canary's favour (a candidate exactly as likely does not
// push it down), so the reported exposure is an upper bound when the model cannot tell them
// apart: an audit should not understate memorisation.
uint64_t canary_rank(double canary_score, std::span<const double> scores);

// log2(space) - log2(rank): log2(space) for rank 1, 0 for rank == space.
double exposure(uint64_t rank, uint64_t space);

}  // namespace datadao::ml::detail
