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

// All three functions: blank lines are skipped; a line that is not a JSON object, or a record of
// the wanted source whose "time" is not a date, is kCorruption naming the contributor index and
// the line ("contributor 7: refined line 15: not JSON"; lines counted over the contributor's
// entries). Entries with the same `contributor` are one contributor. Output is in order of
// first appearance of each contributor, then by day. Records of other sources/kinds are ignored.

// Texts for the text model: the "text" of every reddit/x record, in order. Records without
// text are skipped.
Result<std::vector<std::string>> text_examples(const std::vector<ContributorRecords>& records);

// The same texts with, per text, its contributor index and a label for attribution: the
// record's "subreddit" field for reddit (absent: ""), its "lang" for x.
struct LabeledTexts {
  std::vector<std::string> texts;
  std::vector<uint64_t> contributors;
  std::vector<std::string> labels;
};
Result<LabeledTexts> labeled_text_examples(const std::vector<ContributorRecords>& records);

// sleep_examples and listening_sleep_examples fill TabularDataset::contributors.
// Next-night sleep score from recent nights and activity (Oura, one pool). Day d is the Oura
// "day" of a record (a sleep record's day is the morning it ended). An example for night d needs
// sleep scores for the calendar days d-1..d-3 (window 3), total sleep and efficiency for d-1, and
// activity for d-1 (steps, active calories, the activity score); the first record of a day and
// kind counts. Features, in this order:
//   sleep_score_{1,2,3}, total_sleep_h_1, efficiency_1, steps_k_1, active_kcal_1,
//   activity_score_1, readiness_score_1 (0 if absent). Target: the sleep score of night d.
//   Baseline prediction: sleep_score_1 (tonight = last night).
Result<TabularDataset> sleep_examples(const std::vector<ContributorRecords>& oura);

// Cross-pool: the same target with the day's listening (Spotify) added: minutes_played_1,
// minutes_late_1 (streams ending at 22:00 UTC or later; refined times are UTC),
// distinct_tracks_1 (track URI, else artist + track), skip_share_1 (skipped / streams that
// carry the flag; 0 without it: the basic export has none) for day d-1. Only contributors present
// in BOTH lists (by `contributor`) give examples, and only for nights whose d-1 lies within their
// listening history (first to last stream day): a day without streams inside it counts as zero
// listening, a day outside it is unknown.
Result<TabularDataset> listening_sleep_examples(const std::vector<ContributorRecords>& spotify,
                                                const std::vector<ContributorRecords>& oura);

}  // namespace datadao::ml
