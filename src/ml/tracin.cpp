// TracIn influence for the regressor (tracin.hpp).
//
// Per checkpoint: the saved model is rebuilt as the training Mlp (regressor_model.hpp), inputs
// and targets are standardised with the statistics saved in it, and the loss of one example is
// the training loss, (f(x_std) - y_std)². Per-example gradients come from the DP engine a batch at
// a time; each parameter tensor's block of columns is projected as soon as it is produced, so
// the full [B, params] gradient matrix is never concatenated and the projection P (d × params)
// is generated in blocks of at most kProjectionChunk columns unless it is small enough to keep.
#include "datadao/ml/tracin.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "dp_sgd.hpp"
#include "regressor_model.hpp"

namespace datadao::ml {
namespace {

using torch::Tensor;

constexpr uint32_t kMaxProjectionDim = 65536;
constexpr uint32_t kMaxBatch = 65536;
// Columns of P generated at once when P is not kept whole.
constexpr int64_t kProjectionChunk = 4096;
// P is kept whole (generated once per call) when d · params is at most this many entries.
constexpr int64_t kMaxCachedProjection = int64_t{1} << 21;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, "tracin: " + std::move(message));
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The random projection P: entry (row, column) is ±1/√d, its sign one bit of
// splitmix64(key(seed, row) ^ splitmix64(column / 64)), so any block of columns can be generated
// on its own and always comes out the same.
class Projection {
 public:
  Projection(uint64_t seed, int64_t dim) : seed_(splitmix64(seed)), dim_(dim) {}

  // [dim, end - begin] block of P, as doubles.
  Tensor block(int64_t begin, int64_t end) const {
    Tensor out = torch::empty({dim_, end - begin}, torch::kDouble);
    double* p = out.data_ptr<double>();
    const double scale = 1.0 / std::sqrt(static_cast<double>(dim_));
    for (int64_t r = 0; r < dim_; ++r) {
      const uint64_t row_key = splitmix64(seed_ ^ static_cast<uint64_t>(r));
      uint64_t word = 0;
      int64_t word_index = -1;
      for (int64_t c = begin; c < end; ++c) {
        if ((c >> 6) != word_index) {
          word_index = c >> 6;
          word = splitmix64(row_key ^ splitmix64(static_cast<uint64_t>(word_index)));
        }
        *p++ = ((word >> (c & 63)) & 1) ? scale : -scale;
      }
    }
    return out;
  }

 private:
  uint64_t seed_;
  int64_t dim_;
};

// Reduces per-example gradient blocks to `dim` numbers each (or keeps them whole when dim is 0).
class Reducer {
 public:
  Reducer(const Projection& projection, int64_t dim, int64_t params)
      : projection_(projection), dim_(dim), params_(params) {
    if (dim_ > 0 && dim_ * params_ <= kMaxCachedProjection) whole_ = projection_.block(0, params_);
  }
  int64_t out_dim() const { return dim_ > 0 ? dim_ : params_; }
  // Largest block of P held at once.
  int64_t projection_floats() const {
    if (dim_ == 0) return 0;
    return whole_.defined() ? dim_ * params_ : dim_ * std::min(params_, kProjectionChunk);
  }
  // acc [B, out_dim] += grads [B, columns] (the parameters' columns begin..begin + columns) · Pᵀ.
  void add(Tensor& acc, const Tensor& grads, int64_t begin) const {
    const Tensor g = grads.to(torch::kDouble);
    const int64_t columns = g.size(1);
    if (dim_ == 0) {
      acc.narrow(1, begin, columns).add_(g);
      return;
    }
    for (int64_t c = 0; c < columns; c += kProjectionChunk) {
      const int64_t n = std::min(kProjectionChunk, columns - c);
      const Tensor p = whole_.defined() ? whole_.narrow(1, begin + c, n)
                                        : projection_.block(begin + c, begin + c + n);
      acc.addmm_(g.narrow(1, c, n), p.t());
    }
  }

 private:
  const Projection& projection_;
  int64_t dim_;
  int64_t params_;
  Tensor whole_;
};

Status check_rows(const TabularDataset& data, const char* which, size_t width) {
  if (data.features.empty()) return invalid(std::string(which) + " set is empty");
  if (data.features.size() != data.targets.size()) {
    return invalid(std::string(which) + " set: " + std::to_string(data.features.size()) +
                   " rows but " + std::to_string(data.targets.size()) + " targets");
  }
  for (size_t r = 0; r < data.features.size(); ++r) {
    const std::string where = std::string(which) + " row " + std::to_string(r);
    if (data.features[r].size() != width) {
      return invalid(where + ": " + std::to_string(data.features[r].size()) +
                     " features, the checkpoints' model takes " + std::to_string(width));
    }
    for (float v : data.features[r]) {
      if (!std::isfinite(v)) return invalid(where + ": a feature is not finite");
    }
    if (!std::isfinite(data.targets[r])) return invalid(where + ": target is not finite");
  }
  return Status::Ok();
}

// Standardised [n, F] inputs and [n] targets, as the model saw them in training.
std::pair<Tensor, Tensor> standardised(const TabularDataset& data,
                                       const detail::RegressorModel& model) {
  const int64_t n = static_cast<int64_t>(data.features.size());
  const int64_t width = static_cast<int64_t>(model.feature_names.size());
  Tensor x = torch::empty({n, width});
  Tensor y = torch::empty({n});
  auto xa = x.accessor<float, 2>();
  auto ya = y.accessor<float, 1>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t f = 0; f < width; ++f) xa[i][f] = data.features[i][f];
    ya[i] = data.targets[i];
  }
  return {(x - model.feature_mean) / model.feature_std, (y - model.target_mean) / model.target_std};
}

}  // namespace

Result<TracInResult> tracin_regressor(const std::vector<TracInCheckpoint>& checkpoints,
                                      const TabularDataset& train, const TabularDataset& valid,
                                      const TracInOptions& options) {
  if (checkpoints.empty()) return invalid("no checkpoints");
  if (options.projection_dim > kMaxProjectionDim) {
    return invalid("projection_dim " + std::to_string(options.projection_dim) + ", at most " +
                   std::to_string(kMaxProjectionDim));
  }
  if (options.batch == 0 || options.batch > kMaxBatch) {
    return invalid("batch must be 1.." + std::to_string(kMaxBatch));
  }
  if (train.features.empty()) return invalid("training set is empty");
  if (valid.features.empty()) return invalid("validation set is empty");

  TracInResult result;
  result.influence.assign(train.features.size(), 0.0);
  const int64_t dim = options.projection_dim;
  const Projection projection(options.seed, dim);
  try {
    for (size_t k = 0; k < checkpoints.size(); ++k) {
      const std::string which = "checkpoint " + std::to_string(k);
      auto decoded = detail::decode_regressor(checkpoints[k].weights);
      if (!decoded.ok()) {
        return invalid(which + " does not load: " + decoded.error().message);
      }
      const detail::RegressorModel& model = *decoded;
      const double lr = checkpoints[k].learning_rate;
      if (!std::isfinite(lr)) return invalid(which + ": learning rate is not finite");
      const size_t width = model.feature_names.size();
      DD_TRY(check_rows(train, "training", width));
      DD_TRY(check_rows(valid, "validation", width));

      detail::Mlp mlp = model.to_mlp();
      int64_t params = 0;
      for (const Tensor& p : mlp->parameters()) params += p.numel();
      result.parameters = std::max(result.parameters, static_cast<size_t>(params));
      const Reducer reducer(projection, dim, params);

      // Reduced per-example gradients of rows [begin, begin + count) of (x, y): [count, out_dim].
      auto reduced = [&](const Tensor& x, const Tensor& y, int64_t begin,
                         int64_t count) -> Result<Tensor> {
        const Tensor xb = x.narrow(0, begin, count), yb = y.narrow(0, begin, count);
        DD_ASSIGN(std::vector<Tensor> grads, detail::per_example_gradients(*mlp, [&] {
                    return (mlp->forward(xb) - yb).pow(2);
                  }));
        Tensor acc = torch::zeros({count, reducer.out_dim()}, torch::kDouble);
        int64_t column = 0;
        for (const Tensor& g : grads) {
          const Tensor flat = g.reshape({count, -1});
          reducer.add(acc, flat, column);
          column += flat.size(1);
        }
        const size_t held = static_cast<size_t>(count * params + reducer.projection_floats() +
                                                (dim > 0 ? count * dim : 0));
        result.peak_gradient_floats = std::max(result.peak_gradient_floats, held);
        return acc;
      };

      // Σ over the validation set of P·∇ℓ(w, v).
      const auto [valid_x, valid_y] = standardised(valid, model);
      Tensor valid_sum = torch::zeros({reducer.out_dim()}, torch::kDouble);
      const int64_t n_valid = valid_x.size(0);
      for (int64_t b = 0; b < n_valid; b += options.batch) {
        const int64_t count = std::min<int64_t>(options.batch, n_valid - b);
        DD_ASSIGN(Tensor r, reduced(valid_x, valid_y, b, count));
        valid_sum += r.sum(0);
      }

      const auto [train_x, train_y] = standardised(train, model);
      const int64_t n_train = train_x.size(0);
      for (int64_t b = 0; b < n_train; b += options.batch) {
        const int64_t count = std::min<int64_t>(options.batch, n_train - b);
        DD_ASSIGN(Tensor r, reduced(train_x, train_y, b, count));
        const Tensor dots = torch::mv(r, valid_sum).contiguous();
        const double* d = dots.data_ptr<double>();
        for (int64_t i = 0; i < count; ++i) result.influence[b + i] += lr * d[i];
      }
      ++result.checkpoints;
    }
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("tracin: ") + e.what());
  }
  return result;
}

}  // namespace datadao::ml
