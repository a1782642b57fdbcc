// The tabular data the regressor and TracIn tests train on: y = 2a - b + c_weight·c + N(0, 0.1²),
// with a, b and c uniform in [0, 10) (c irrelevant when c_weight is 0). Deterministic per seed.
#pragma once

#include <random>

#include "datadao/ml/regressor.hpp"

namespace datadao::ml::test {

inline TabularDataset linear_data(size_t n, uint64_t seed, float c_weight = 0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 10);
  std::normal_distribution<float> noise(0, 0.1f);
  TabularDataset d;
  d.feature_names = {"a", "b", "c"};
  for (size_t i = 0; i < n; ++i) {
    const float a = u(rng), b = u(rng), c = u(rng);
    d.features.push_back({a, b, c});
    d.targets.push_back(2 * a - b + c_weight * c + noise(rng));
  }
  return d;
}

}  // namespace datadao::ml::test
