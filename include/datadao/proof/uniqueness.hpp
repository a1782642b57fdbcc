// Uniqueness of a contribution: which of its records are new, which are exact copies and which
// near copies of records already in the pool (or of earlier records in the same contribution).
// The copied part earns nothing; unique_fraction is what the score builds on.
//
// assess() is pure: it reads the indexes and does not add the new records to them (the validator
// adds them once the contribution is accepted, using each verdict's content_hash). Thread-safe as
// far as the indexes' const methods are.
//
// content_hash is record_content_hash(text) with no key fields: the pool's ExactIndex must hold
// hashes made the same way for exact matches to be found. Checks run in this order: empty, exact
// copy in the pool, exact copy earlier in the batch, near copy in the pool (best estimate), near
// copy earlier in the batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/proof/exact_index.hpp"
#include "datadao/proof/near_duplicate_index.hpp"

namespace datadao::proof {

enum class Verdict {
  kUnique,
  kExactDuplicate,  // same normalised text as duplicate_of
  kNearDuplicate,   // Jaccard estimate >= min_jaccard (see NearDuplicateIndex) with duplicate_of
  kEmpty,           // nothing left after normalisation: no content, earns nothing
};

std::string_view verdict_name(Verdict v);

struct RecordVerdict {
  Verdict verdict = Verdict::kUnique;
  // For duplicates: true if the original is an earlier record of the same batch (duplicate_of is
  // then its index in new_texts); false if it is in the pool (duplicate_of is its record id).
  bool within_batch = false;
  uint64_t duplicate_of = 0;
  double jaccard = 0;  // 1 for exact duplicates, the estimate for near duplicates
  Hash32 content_hash{};
};

struct UniquenessReport {
  std::vector<RecordVerdict> records;  // one per new text, same order
  size_t unique_count = 0;
  size_t exact_duplicate_count = 0;
  size_t near_duplicate_count = 0;
  size_t empty_count = 0;
  double unique_fraction = 0;  // unique_count / records.size(); 0 for an empty batch
};

struct AssessOptions {
  double min_jaccard = 0.8;
  // Also compare each record with the earlier records of the same batch, so a contribution that
  // repeats its own posts earns for one copy only.
  bool within_batch = true;
};

// Fails (naming the record's index, never its text) if a text is malformed UTF-8 or oversized.
Result<UniquenessReport> assess(const std::vector<std::string>& new_texts, const ExactIndex& exact,
                                const NearDuplicateIndex& near, const AssessOptions& options = {});

}  // namespace datadao::proof
