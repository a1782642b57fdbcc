#include "datadao/proof/uniqueness.hpp"

#include "datadao/proof/normalize.hpp"

namespace datadao::proof {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kUnique:
      return "unique";
    case Verdict::kExactDuplicate:
      return "exact duplicate";
    case Verdict::kNearDuplicate:
      return "near duplicate";
    case Verdict::kEmpty:
      return "empty";
  }
  return "unknown";
}

Result<UniquenessReport> assess(const std::vector<std::string>& new_texts, const ExactIndex& exact,
                                const NearDuplicateIndex& near, const AssessOptions& options) {
  UniquenessReport report;
  report.records.reserve(new_texts.size());
  ExactIndex batch_exact;
  NearDuplicateIndex batch_near(near.options());
  std::vector<uint64_t> sh;
  for (size_t i = 0; i < new_texts.size(); ++i) {
    auto normalised = normalize_text(new_texts[i]);
    if (!normalised.ok()) return normalised.error().with_context("record " + std::to_string(i));
    RecordVerdict v;
    v.content_hash = normalised_content_hash(*normalised);
    shingle_hashes_into(*normalised, sh);
    if (normalised->empty()) {
      v.verdict = Verdict::kEmpty;
    } else if (auto id = exact.find(v.content_hash)) {
      v = RecordVerdict{Verdict::kExactDuplicate, false, *id, 1.0, v.content_hash};
    } else if (auto j = options.within_batch ? batch_exact.find(v.content_hash) : std::nullopt) {
      v = RecordVerdict{Verdict::kExactDuplicate, true, *j, 1.0, v.content_hash};
    } else {
      auto pool = near.query_shingles(sh, options.min_jaccard);
      if (!pool.empty()) {
        v = RecordVerdict{Verdict::kNearDuplicate, false, pool.front().record_id,
                          pool.front().jaccard_estimate, v.content_hash};
      } else if (options.within_batch) {
        auto batch = batch_near.query_shingles(sh, options.min_jaccard);
        if (!batch.empty()) {
          v = RecordVerdict{Verdict::kNearDuplicate, true, batch.front().record_id,
                            batch.front().jaccard_estimate, v.content_hash};
        }
      }
    }
    if (options.within_batch && !normalised->empty()) {
      batch_exact.insert(v.content_hash, i);
      batch_near.add_shingles(i, sh);
    }
    switch (v.verdict) {
      case Verdict::kUnique:
        ++report.unique_count;
        break;
      case Verdict::kExactDuplicate:
        ++report.exact_duplicate_count;
        break;
      case Verdict::kNearDuplicate:
        ++report.near_duplicate_count;
        break;
      case Verdict::kEmpty:
        ++report.empty_count;
        break;
    }
    report.records.push_back(v);
  }
  if (!report.records.empty()) {
    report.unique_fraction =
        static_cast<double>(report.unique_count) / static_cast<double>(report.records.size());
  }
  return report;
}

}  // namespace datadao::proof
