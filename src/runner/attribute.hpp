// Private to src/runner: how much each contributor's data helped a model the runner just
// trained (src/attribution, ml/tracin.hpp), turned into the share units of AssignShares.
//
//   text models, knn_shapley: exact KNN-Shapley per contributor over the trained model's
//     embeddings of the records (TextModel::embed), label = the record's subreddit (reddit) or
//     language (x), validated on the model's own held-out rows;
//   tabular models, tracin: TracIn influence of every training row on the held-out rows over the
//     trainer's snapshots, summed per contributor.
// Both drop a record that copies an EARLIER contributor's record (first contribution wins), so a
// duplicated contribution gets nothing, and clamp negative values (noise, mislabelled data) to 0.
// Other kind/method pairs are refused (kInvalidArgument).
#pragma once

#include <cstdint>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ml/datasets.hpp"
#include "datadao/ml/regressor.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/ml/train.hpp"

namespace datadao::runner::detail {

struct Attribution {
  std::vector<double> values;         // per contributor index 0..contributors-1
  size_t duplicate_records = 0;       // records dropped as copies of earlier contributors'
  size_t duplicate_contributors = 0;  // contributors with nothing but copies
  bool fallback_equal = false;        // no positive value: split equally among non-duplicates
};

// `texts.contributors` hold indices 1..contributors (the runner's wallet index); only rows
// < texts.texts.size() of report.holdout_rows are used (canaries come after them).
Result<Attribution> attribute_text_knn(const ml::TextModel& model, const ml::LabeledTexts& texts,
                                       const ml::TrainReport& report, size_t contributors,
                                       uint32_t k);

// `data.contributors` hold indices 1..contributors; report carries holdout rows and snapshots.
Result<Attribution> attribute_tabular_tracin(const ml::TabularDataset& data,
                                             const ml::TrainReport& report, size_t contributors,
                                             uint32_t projection_dim);

}  // namespace datadao::runner::detail
