// `datadao attribute knn-shapley`: exact KNN-Shapley values of the rows of a training CSV against
// a validation CSV (attribution/knn_shapley.hpp), one value per training row in row order.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "datadao/attribution/knn_shapley.hpp"

namespace datadao::cli {

namespace {

constexpr int64_t kMaxThreads = 256;
constexpr int64_t kMaxK = 1'000'000'000;

void register_knn_shapley(CLI::App& attribute, Context& ctx) {
  static std::string train_path, valid_path;
  static int64_t k = 5;  // signed so that CLI11 rejects "-3" instead of wrapping it
  static int64_t threads = 0;
  auto* cmd = attribute.add_subcommand(
      "knn-shapley",
      "Exact KNN-Shapley value of every training row (Jia et al. 2019), averaged over the "
      "validation rows");
  cmd->add_option("--train", train_path,
                  "Training CSV: f1,...,fd,label per row (decimal features, integer label last, "
                  "no header)")
      ->required();
  cmd->add_option("--valid", valid_path, "Validation CSV, same format and width")->required();
  cmd->add_option("--k", k, "Neighbours in the KNN utility, >= 1")->required();
  cmd->add_option("--threads", threads,
                  "Worker threads (default: the number of cores); the values do not depend on it");
  cmd->footer(
      "Distances are Euclidean; ties go to the lower training row. Prints one value per "
      "training row, in row order, with 17 significant digits (--json: "
      "{\"k\":..,\"values\":[..]}).\n"
      "Example:\n  datadao attribute knn-shapley --train train.csv --valid valid.csv --k 5\n"
      "  0.10000000000000001\n  -0.025000000000000001\n  ...");
  cmd->callback([&ctx, cmd] {
    if (k < 1 || k > kMaxK) {
      throw CLI::ValidationError("--k", "must be in [1, " + std::to_string(kMaxK) + "]");
    }
    if (cmd->count("--threads") > 0 && (threads < 1 || threads > kMaxThreads)) {
      throw CLI::ValidationError("--threads",
                                 "must be in [1, " + std::to_string(kMaxThreads) + "]");
    }
    const int workers =
        cmd->count("--threads") > 0
            ? static_cast<int>(threads)
            : static_cast<int>(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 256));
    const auto train = unwrap(attribution::read_points_csv(train_path));
    const auto valid = unwrap(attribution::read_points_csv(valid_path));
    if (train.dim != valid.dim) {
      throw CliError(ErrorCode::kInvalidArgument, train_path + " has " + std::to_string(train.dim) +
                                                      " features per row, " + valid_path + " has " +
                                                      std::to_string(valid.dim));
    }
    const auto values = unwrap(attribution::knn_shapley(
        train, valid, {.k = static_cast<uint32_t>(k), .threads = workers}));
    emit(ctx, nlohmann::json{{"k", k}, {"values", values}}, [&] {
      for (double v : values) std::printf("%.17g\n", v);
      std::fflush(stdout);
    });
  });
}

}  // namespace

void register_attribute_commands(CLI::App& app, Context& ctx) {
  auto* attribute = app.add_subcommand("attribute", "Data valuation: how much each row helped");
  attribute->require_subcommand(1);
  register_knn_shapley(*attribute, ctx);
}

}  // namespace datadao::cli
