// The regressor's network and serialised form (regressor_model.hpp).
#include "regressor_model.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "datadao/codec/codec.hpp"

namespace datadao::ml::detail {
namespace {

constexpr char kMagic[4] = {'D', 'D', 'R', 'G'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kMaxFeatureNameBytes = 256;

uint32_t f32_bits(float v) { return std::bit_cast<uint32_t>(v); }

}  // namespace

MlpImpl::MlpImpl(int64_t in, const RegressorSpec& spec) {
  int64_t width = in;
  for (uint32_t i = 0; i < spec.layers; ++i) {
    layers_.push_back(register_module("hidden" + std::to_string(i),
                                      DpLinear(width, static_cast<int64_t>(spec.hidden))));
    width = spec.hidden;
  }
  layers_.push_back(register_module("out", DpLinear(width, 1)));
}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    x = layers_[i]->forward(x);
    if (i + 1 < layers_.size()) x = torch::relu(x);
  }
  return x.squeeze(1);
}

torch::Tensor RegressorModel::forward(const torch::Tensor& x) const {
  torch::NoGradGuard no_grad;
  torch::Tensor h = (x - feature_mean) / feature_std;
  for (size_t i = 0; i < weights.size(); ++i) {
    h = torch::linear(h, weights[i], biases[i]);
    if (i + 1 < weights.size()) h = torch::relu(h);
  }
  return h.squeeze(1) * target_std + target_mean;
}

void RegressorModel::take_weights(const Mlp& mlp) {
  weights.clear();
  biases.clear();
  for (const DpLinear& layer : mlp->layers()) {
    weights.push_back(layer->weight.detach().clone());
    biases.push_back(layer->bias.detach().clone());
  }
}

Mlp RegressorModel::to_mlp() const {
  Mlp mlp(static_cast<int64_t>(feature_names.size()), spec);
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < mlp->layers().size(); ++i) {
    mlp->layers()[i]->weight.copy_(weights[i]);
    mlp->layers()[i]->bias.copy_(biases[i]);
  }
  return mlp;
}

crypto::Bytes encode_regressor(const RegressorModel& m) {
  codec::Writer w;
  w.fixed(crypto::ByteView(reinterpret_cast<const uint8_t*>(kMagic), sizeof(kMagic)));
  w.u32(kFormatVersion).u32(m.spec.hidden).u32(m.spec.layers);
  w.u32(static_cast<uint32_t>(m.feature_names.size()));
  for (const std::string& name : m.feature_names) w.str(name);
  auto put = [&](const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous();
    const float* p = c.data_ptr<float>();
    for (int64_t i = 0; i < c.numel(); ++i) w.u32(f32_bits(p[i]));
  };
  put(m.feature_mean);
  put(m.feature_std);
  w.u32(f32_bits(m.target_mean)).u32(f32_bits(m.target_std));
  for (size_t i = 0; i < m.weights.size(); ++i) {
    put(m.weights[i]);
    put(m.biases[i]);
  }
  const crypto::Hash32 digest = crypto::blake2b256(w.data());
  w.fixed(digest);
  return w.take();
}

Result<RegressorModel> decode_regressor(crypto::ByteView bytes) {
  auto corrupt = [](const std::string& why) {
    return make_error(ErrorCode::kCorruption, "regressor weights: " + why);
  };
  if (bytes.size() < sizeof(kMagic) + crypto::kHashBytes ||
      !std::equal(kMagic, kMagic + sizeof(kMagic), bytes.begin())) {
    return corrupt("not a regressor (bad magic)");
  }
  const crypto::ByteView body = bytes.first(bytes.size() - crypto::kHashBytes);
  const crypto::Hash32 digest = crypto::blake2b256(body);
  if (!std::equal(digest.begin(), digest.end(), bytes.end() - crypto::kHashBytes)) {
    return corrupt("checksum mismatch");
  }

  codec::Reader r(body.subspan(sizeof(kMagic)), "regressor weights");
  const uint32_t version = r.u32("version");
  if (r.ok() && version != kFormatVersion) {
    return corrupt("format version " + std::to_string(version) + ", this build reads " +
                   std::to_string(kFormatVersion));
  }
  RegressorModel m;
  m.spec.hidden = r.u32("hidden");
  m.spec.layers = r.u32("layers");
  const uint32_t width = r.u32("features");
  if (!r.ok()) return r.error();
  if (m.spec.hidden < 1 || m.spec.hidden > kMaxHidden || m.spec.layers < 1 ||
      m.spec.layers > kMaxLayers || width < 1 || width > kMaxFeatures) {
    return corrupt("shape out of range (hidden " + std::to_string(m.spec.hidden) + ", layers " +
                   std::to_string(m.spec.layers) + ", features " + std::to_string(width) + ")");
  }
  for (uint32_t f = 0; f < width && r.ok(); ++f) {
    m.feature_names.push_back(r.str("feature name", kMaxFeatureNameBytes));
  }
  if (!r.ok()) return r.error();

  // Layer shapes follow from the header; the rest of the input must hold exactly their floats,
  // checked before anything is allocated.
  std::vector<std::pair<int64_t, int64_t>> shapes;  // (out, in)
  int64_t in = width;
  for (uint32_t i = 0; i < m.spec.layers; ++i) {
    shapes.emplace_back(m.spec.hidden, in);
    in = m.spec.hidden;
  }
  shapes.emplace_back(1, in);
  uint64_t floats = 2ull * width + 2;
  for (auto [o, i] : shapes) floats += static_cast<uint64_t>(o) * (i + 1);
  if (r.remaining() != floats * 4) {
    return corrupt(std::to_string(r.remaining()) + " bytes of parameters, the shape needs " +
                   std::to_string(floats * 4));
  }
  bool finite = true;
  auto take = [&](std::vector<int64_t> shape) {
    torch::Tensor t = torch::empty(shape);
    float* p = t.data_ptr<float>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      p[i] = std::bit_cast<float>(r.u32("parameter"));
      finite = finite && std::isfinite(p[i]);
    }
    return t;
  };
  m.feature_mean = take({width});
  m.feature_std = take({width});
  m.target_mean = take({1})[0].item<float>();
  m.target_std = take({1})[0].item<float>();
  for (auto [o, i] : shapes) {
    m.weights.push_back(take({o, i}));
    m.biases.push_back(take({o}));
  }
  DD_TRY(r.finish());
  if (!finite) return corrupt("a parameter is not finite");
  if (!(m.feature_std > 0).all().item<bool>() || !(m.target_std > 0)) {
    return corrupt("a standard deviation is not positive");
  }
  return m;
}

}  // namespace datadao::ml::detail
