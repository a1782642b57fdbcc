// Exact KNN-Shapley (Jia et al., "Efficient Task-Specific Data Valuation for Nearest Neighbor
// Algorithms", VLDB 2019, Theorem 1): the Shapley value of every training point for the
// K-nearest-neighbour utility, in O(M · N log N) for N training and M validation points, with no
// sampling.
//
// Utility of a training subset S for one validation point (x, y):
//   U(S) = (1/K) · Σ_{j=1..min(K,|S|)} 1[label of the j-th nearest point of S to x == y],
// U(∅) = 0; the value of a point is its Shapley value averaged over the validation points.
// Distance is Euclidean; ties are broken by row order (the lower training row is nearer).
// Recursion (α_1..α_N: training rows sorted by distance to x, nearest first):
//   s(α_N) = 1[y_{α_N} = y] / max(N, K)      (the paper's 1/N assumes N >= K)
//   s(α_i) = s(α_{i+1}) + (1[y_{α_i} = y] − 1[y_{α_{i+1}} = y]) / K · min(K, i) / i
//
// Pure C++ (no libtorch). Thread-safe (no shared state); `threads` > 1 splits the validation
// points over std::threads. Validation points are summed in chunks of a fixed size, and the
// chunks in order, so the values are bit-identical for every thread count (they may differ in
// the last bits from a plain left-to-right sum over the validation points).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::attribution {

// Points with a feature vector and an integer label, row-major.
struct LabeledPoints {
  size_t dim = 0;
  std::vector<double> features;  // size() * dim values
  std::vector<int64_t> labels;
  size_t size() const { return labels.size(); }
};

struct KnnShapleyOptions {
  uint32_t k = 5;   // >= 1
  int threads = 1;  // >= 1
};

// One value per training row, in row order. kInvalidArgument (naming what) for k == 0, threads
// outside [1, 256], empty training or validation sets, dim 0, mismatched dims, a features size
// that is not size()*dim, more than 2^32 - 1 rows, or non-finite features.
Result<std::vector<double>> knn_shapley(const LabeledPoints& train, const LabeledPoints& valid,
                                        const KnnShapleyOptions& options);

// The same values by definition: enumerates every coalition (2^N subsets, N <= 16) and averages
// the marginal contributions with Shapley weights |S|!(N−|S|−1)!/N!. For tests and as a
// reference; kInvalidArgument above N = 16.
Result<std::vector<double>> knn_shapley_brute_force(const LabeledPoints& train,
                                                    const LabeledPoints& valid, uint32_t k);

// Limits for untrusted CSV input.
inline constexpr size_t kMaxCsvBytes = 512ull << 20;
inline constexpr size_t kMaxCsvRows = 10'000'000;
inline constexpr size_t kMaxCsvColumns = 4097;  // up to 4096 features + the label

// Reads "f1,...,fd,label" rows: decimal features (finite), an integer label last, no header,
// blank lines skipped, every row the same width (>= 2 columns). Errors name the file, the line
// and what is wrong ("v.csv: line 7: label 'x' is not an integer"); limits above.
Result<LabeledPoints> read_points_csv(const std::filesystem::path& path);

}  // namespace datadao::attribution
