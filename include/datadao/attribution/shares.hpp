// From per-contributor values to ownership: contributors' records grouped, duplicates removed,
// values normalised to a fixed supply of integer share units.
//
// Pure C++ (no libtorch), deterministic, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "datadao/attribution/knn_shapley.hpp"
#include "datadao/common/result.hpp"

namespace datadao::attribution {

// Largest-remainder (Hamilton) apportionment of `supply` units in proportion to the values:
// negative values and NaN count as 0; each gets floor(supply · v / Σv) and the units left are
// handed out one each by largest remainder (ties: lower index first), so the sum is exactly
// `supply`. If no value is positive, every entry gets 0 except that the supply is split equally
// among all entries by the same rule (the caller decides whether that is acceptable; the runner
// refuses to publish instead). kInvalidArgument for an empty vector or a +infinity value. Exact
// in integers: the quotas are computed from values scaled to integers (2^52 / max value), not in
// floating point.
Result<std::vector<uint64_t>> apportion(const std::vector<double>& values, uint64_t supply);

// Record-level training data of a model, in the order the contributions were made (so that
// "earlier" is well defined). Each record belongs to one contributor (index < contributors).
struct ContributorRecordSet {
  size_t contributors = 0;
  size_t dim = 0;
  std::vector<double> embeddings;        // records × dim
  std::vector<int64_t> labels;           // one per record
  std::vector<uint32_t> contributor_of;  // one per record
  std::vector<uint64_t> fingerprints;    // one per record: hash of the normalised content
};

struct ContributorValues {
  std::vector<double> values;        // one per contributor (0 for one with no record left)
  std::vector<bool> duplicate_only;  // every record was a copy of an earlier contributor's
  size_t duplicate_records = 0;      // records dropped as copies
};

// How a contributor's records become players of the exact KNN-Shapley game.
enum class ContributorGame {
  // One point per contributor: the mean of its kept records' embeddings, L2-normalised, with its
  // most frequent label (ties: the smallest label). The value is that point's Shapley value.
  // Right when a contributor's records share one label (e.g. one person's nights, one topic).
  kOnePointPerContributor,
  // Every kept record is a player; a contributor's value is the sum of its records' exact
  // Shapley values (by efficiency, the contributors' values still add up to the utility of the
  // whole training set). Right when one contributor's records carry different labels, as a
  // Reddit user's posts in many subreddits do. The runner uses it for text models.
  kSumOfRecords,
};

// Per-contributor exact KNN-Shapley: (1) a record whose fingerprint already appeared in an
// EARLIER contributor's records is dropped (Shapley's symmetry would split the value between a
// copy and its original; first contribution wins, as the pool's uniqueness rule does); (2) the
// kept records become players as `game` says; (3) knn_shapley over them against `valid`
// (validation embeddings should be L2-normalised like the records'). Errors as knn_shapley,
// plus mismatched record vector sizes.
Result<ContributorValues> contributor_knn_shapley(
    const ContributorRecordSet& records, const LabeledPoints& valid,
    const KnnShapleyOptions& options,
    ContributorGame game = ContributorGame::kOnePointPerContributor);

}  // namespace datadao::attribution
