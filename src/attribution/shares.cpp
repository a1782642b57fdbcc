// Apportionment of share units and per-contributor KNN-Shapley (see shares.hpp).
#include "datadao/attribution/shares.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

namespace datadao::attribution {
namespace {

using u128 = unsigned __int128;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<std::vector<uint64_t>> apportion(const std::vector<double>& values, uint64_t supply) {
  const size_t n = values.size();
  if (n == 0) return invalid("apportion: no values");
  double max = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isinf(values[i]) && values[i] > 0) {
      return invalid("apportion: value " + std::to_string(i) + " is +infinity");
    }
    if (values[i] > max) max = values[i];  // false for NaN
  }
  // Integer weights: the largest value becomes 2^52; the rest keep their ratio to it to within
  // half a unit of 2^-52. From here on everything is exact.
  std::vector<uint64_t> w(n, 0);
  if (max > 0) {
    for (size_t i = 0; i < n; ++i) {
      if (values[i] > 0)
        w[i] = static_cast<uint64_t>(std::llround(std::ldexp(values[i] / max, 52)));
    }
  } else {
    std::fill(w.begin(), w.end(), 1);  // nothing positive: equal split by the same rule
  }
  u128 total = 0;
  for (uint64_t x : w) total += x;

  std::vector<uint64_t> shares(n);
  std::vector<u128> remainder(n);
  u128 handed = 0;
  for (size_t i = 0; i < n; ++i) {
    const u128 scaled = static_cast<u128>(supply) * w[i];
    shares[i] = static_cast<uint64_t>(scaled / total);
    remainder[i] = scaled % total;
    handed += shares[i];
  }
  // Σ remainder = left · total with every remainder < total, so left < n.
  const size_t left = static_cast<size_t>(static_cast<u128>(supply) - handed);
  if (left > 0) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(left), order.end(),
                      [&](size_t a, size_t b) {
                        return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
                      });
    for (size_t j = 0; j < left; ++j) ++shares[order[j]];
  }
  return shares;
}

Result<ContributorValues> contributor_knn_shapley(const ContributorRecordSet& records,
                                                  const LabeledPoints& valid,
                                                  const KnnShapleyOptions& options,
                                                  ContributorGame game) {
  const size_t r = records.labels.size();
  const size_t dim = records.dim;
  if (dim == 0) return invalid("records: dim 0");
  if (records.contributor_of.size() != r || records.fingerprints.size() != r ||
      records.embeddings.size() / dim != r || records.embeddings.size() % dim != 0) {
    return invalid("records: " + std::to_string(r) + " labels, " +
                   std::to_string(records.contributor_of.size()) + " contributor ids, " +
                   std::to_string(records.fingerprints.size()) + " fingerprints and " +
                   std::to_string(records.embeddings.size()) + " embedding values of dim " +
                   std::to_string(dim) + " do not match");
  }
  const size_t c_count = records.contributors;
  for (size_t i = 0; i < r; ++i) {
    if (records.contributor_of[i] >= c_count) {
      return invalid("records: record " + std::to_string(i) + " belongs to contributor " +
                     std::to_string(records.contributor_of[i]) + " of " + std::to_string(c_count));
    }
  }

  ContributorValues out;
  out.values.assign(c_count, 0.0);
  out.duplicate_only.assign(c_count, false);

  // (1) First contribution wins: the owner of a fingerprint is the contributor of its first
  // record; a later record with that fingerprint from anyone else is dropped.
  std::unordered_map<uint64_t, uint32_t> owner;
  owner.reserve(r);
  std::vector<size_t> records_of(c_count, 0), kept_of(c_count, 0);
  std::vector<double> sum(c_count * dim, 0.0);
  std::vector<std::map<int64_t, size_t>> label_counts(c_count);
  LabeledPoints kept_points;  // kSumOfRecords: every kept record is a player
  kept_points.dim = dim;
  std::vector<uint32_t> kept_owner;
  for (size_t i = 0; i < r; ++i) {
    const uint32_t c = records.contributor_of[i];
    ++records_of[c];
    auto [it, fresh] = owner.try_emplace(records.fingerprints[i], c);
    if (!fresh && it->second != c) {
      ++out.duplicate_records;
      continue;
    }
    ++kept_of[c];
    if (game == ContributorGame::kSumOfRecords) {
      kept_points.features.insert(
          kept_points.features.end(), records.embeddings.begin() + static_cast<ptrdiff_t>(i * dim),
          records.embeddings.begin() + static_cast<ptrdiff_t>((i + 1) * dim));
      kept_points.labels.push_back(records.labels[i]);
      kept_owner.push_back(c);
      continue;
    }
    for (size_t j = 0; j < dim; ++j) sum[c * dim + j] += records.embeddings[i * dim + j];
    ++label_counts[c][records.labels[i]];
  }

  if (game == ContributorGame::kSumOfRecords) {
    for (size_t c = 0; c < c_count; ++c)
      out.duplicate_only[c] = kept_of[c] == 0 && records_of[c] > 0;
    if (kept_points.size() == 0) return invalid("records: no contributor has a record left");
    DD_ASSIGN(auto values, knn_shapley(kept_points, valid, options));
    // Summed in record order: deterministic.
    for (size_t p = 0; p < values.size(); ++p) out.values[kept_owner[p]] += values[p];
    return out;
  }

  // (2) One point per contributor with a record left.
  LabeledPoints points;
  points.dim = dim;
  std::vector<size_t> point_owner;
  for (size_t c = 0; c < c_count; ++c) {
    if (kept_of[c] == 0) {
      out.duplicate_only[c] = records_of[c] > 0;
      continue;
    }
    const double* s = sum.data() + c * dim;
    double norm2 = 0.0;
    for (size_t j = 0; j < dim; ++j) norm2 += s[j] * s[j];
    // The mean's direction is the sum's; a zero sum stays the zero vector.
    const double norm = std::sqrt(norm2);
    for (size_t j = 0; j < dim; ++j) points.features.push_back(norm > 0 ? s[j] / norm : 0.0);
    // Most frequent label; std::map iterates in increasing label order, so ties keep the
    // smallest.
    int64_t best = 0;
    size_t best_count = 0;
    for (const auto& [label, count] : label_counts[c]) {
      if (count > best_count) {
        best = label;
        best_count = count;
      }
    }
    points.labels.push_back(best);
    point_owner.push_back(c);
  }
  if (points.size() == 0) return invalid("records: no contributor has a record left");

  // (3) Exact KNN-Shapley over the contributor points.
  DD_ASSIGN(auto values, knn_shapley(points, valid, options));
  for (size_t p = 0; p < values.size(); ++p) out.values[point_owner[p]] = values[p];
  return out;
}

}  // namespace datadao::attribution
