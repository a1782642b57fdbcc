// The regressor's network and its serialised form, shared inside src/ml by Regressor
// (regressor.cpp) and TracIn (tracin.cpp), which must see exactly the model Regressor saved:
// same standardisation, same layers. Internal to the module; includes libtorch.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ml/regressor.hpp"
#include "dp_sgd.hpp"

namespace datadao::ml::detail {

inline constexpr uint32_t kMaxHidden = 4096;
inline constexpr uint32_t kMaxLayers = 8;
inline constexpr uint32_t kMaxFeatures = 4096;

// The trainable MLP: `layers` hidden DpLinear layers of `hidden` units with ReLU, then one
// DpLinear to a single output. Works on standardised inputs and targets.
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t in, const RegressorSpec& spec);
  torch::Tensor forward(torch::Tensor x);  // [B, in] -> [B]
  const std::vector<DpLinear>& layers() const { return layers_; }

 private:
  std::vector<DpLinear> layers_;
};
TORCH_MODULE(Mlp);

// A regressor as plain tensors (what save() writes and load() reads).
struct RegressorModel {
  RegressorSpec spec;
  std::vector<std::string> feature_names;
  torch::Tensor feature_mean;  // [F] float
  torch::Tensor feature_std;   // [F] float
  float target_mean = 0;
  float target_std = 1;
  std::vector<torch::Tensor> weights;  // [out, in] per layer, the last one [1, hidden]
  std::vector<torch::Tensor> biases;   // [out]

  // x: [B, F] raw features -> [B] predictions in target units (no autograd).
  torch::Tensor forward(const torch::Tensor& x) const;
  // Copies the trained parameters of `mlp` (detached clones).
  void take_weights(const Mlp& mlp);
  // A trainable Mlp holding these weights.
  Mlp to_mlp() const;
};

// Format (codec rules: little-endian, u32-length-prefixed strings):
//   "DDRG" u32 version, u32 hidden, u32 layers, u32 features, feature names,
//   f32 mean and f32 std per feature, f32 target mean, f32 target std,
//   per linear layer f32 weights (row-major [out, in]) then f32 biases,
//   blake2b-256 of everything before it.
crypto::Bytes encode_regressor(const RegressorModel& m);
// kCorruption naming what is wrong (magic, checksum, version, shape, sizes, non-finite values).
Result<RegressorModel> decode_regressor(crypto::ByteView bytes);

}  // namespace datadao::ml::detail
