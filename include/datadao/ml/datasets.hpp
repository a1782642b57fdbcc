// Training examples from refined pool records (the refined schema in
// include/datadao/proof/contribution.hpp). Pure C++ (no libtorch): the runner groups a pool's
// consented refined records by contributing WALLET and calls these.
//
// A contributor's records are identified here only by an opaque index chosen by the caller;
// records of different pools are joined by that index (the wallet), never by anything in the
// records (pseudonyms differ per pool by design).
#pragma once

#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ml/regressor.hpp"

namespace datadao::ml {

// One contributor's refined records of one pool, one JSON object per line (as stored).
struct ContributorRecords {
  uint64_t contributor = 0;                // caller's index of the wallet
  std::vector<std::string> refined_jsonl;  // one blob's lines per entry, or single lines
};

// Texts for the text model: the "text" of every reddit/x record, in order. Records without
// text are skipped; a line that is not JSON is kCorruption naming the contributor index.
Result<std::vector<std::string>> text_examples(const std::vector<ContributorRecords>& records);

// Next-night sleep score from recent nights and activity (Oura, one pool). For each contributor,
// days are sorted; an example for night d needs sleep scores for d-1..d-3 (window 3) and
// activity for d-1 (steps, active calories, the activity score). Features:
//   sleep_score_{1,2,3}, total_sleep_h_1, efficiency_1, steps_k_1, activity_score_1,
//   readiness_score_1 (0 if absent). Target: the sleep score of night d. Baseline prediction:
//   sleep_score_1 (tonight = last night).
Result<TabularDataset> sleep_examples(const std::vector<ContributorRecords>& oura);

// Cross-pool: the same target with the day's listening (Spotify) added: minutes played on d-1,
// minutes played after 22:00 on d-1, distinct tracks on d-1, skip share on d-1. Only
// contributors present in BOTH lists (by `contributor`) give examples.
Result<TabularDataset> listening_sleep_examples(const std::vector<ContributorRecords>& spotify,
                                                const std::vector<ContributorRecords>& oura);

}  // namespace datadao::ml
