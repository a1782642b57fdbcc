// A small MLP regressor for tabular data (the Oura sleep model and the cross-pool
// listening-and-sleep model). Inputs are standardised with the training split's mean and
// standard deviation (stored with the model). Loss: mean squared error. Shared training rules,
// DP-SGD included, in train.hpp.
//
// Baseline (report.baseline_loss): the MSE on the held-out split of `baseline_prediction` per
// example if the dataset gives one (e.g. "tonight's score = last night's"), else of the training
// split's mean target. report.metrics: "holdout_mae", "baseline_mae".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ml/train.hpp"

namespace datadao::ml {

struct TabularDataset {
  std::vector<std::string> feature_names;
  std::vector<std::vector<float>> features;  // one row per example, feature_names.size() wide
  std::vector<float> targets;
  std::vector<float> baseline_predictions;  // empty, or one per example
  std::vector<uint64_t> contributors;       // empty, or the caller's contributor index per example
};

struct RegressorSpec {
  uint32_t hidden = 32;
  uint32_t layers = 2;  // hidden layers
};
// "hidden=32 layers=2" over defaults; hidden 1..4096, layers 1..8.
Result<RegressorSpec> parse_regressor_spec(const std::string& spec);

class Regressor {
 public:
  // kInvalidArgument for ragged rows, non-finite values, fewer than 4 examples.
  static Result<Regressor> train(const TabularDataset& data, const RegressorSpec& spec,
                                 const TrainConfig& config, const ProgressFn& progress,
                                 TrainReport* report);
  crypto::Bytes save() const;
  static Result<Regressor> load(crypto::ByteView bytes);
  // kInvalidArgument if the row's width differs from the training features'.
  Result<float> predict(const std::vector<float>& row) const;
  const std::vector<std::string>& feature_names() const;

  Regressor(Regressor&&) noexcept;
  Regressor& operator=(Regressor&&) noexcept;
  ~Regressor();

 private:
  struct Impl;
  explicit Regressor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace datadao::ml
