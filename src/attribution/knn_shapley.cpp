// Exact KNN-Shapley: per validation point, squared distances to every training row, a stable
// order by (distance, row), and the recursion from the farthest row back (see the header).
//
// Speed at N = 140,000, M = 1,000: the training rows are copied once into blocks of kRowBlock
// rows stored column-major, so one block (a few KiB) stays in L1 while kValidChunk validation
// points are measured against it (independent accumulators, training data read once per chunk
// instead of once per point). The order is a bucket sort of (distance, row) packed into one
// integer (see sort_by_distance): about four rows per bucket, so it costs a few linear passes
// instead of N log N comparisons; the row is part of the integer, so ties go to the lower row,
// exactly as the contract says.
//
// Determinism: validation points are cut into chunks of kValidChunk (independent of the thread
// count); each chunk sums its points in order into its own vector, and the chunk vectors are
// added to the total in chunk order. So the values are bit-identical for every thread count.
#include "datadao/attribution/knn_shapley.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace datadao::attribution {
namespace {

constexpr size_t kRowBlock = 8;    // training rows per distance block
constexpr size_t kValidChunk = 8;  // validation points per unit of work and of summation
constexpr int kMaxThreads = 256;
constexpr size_t kMaxBruteForceRows = 16;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

Status check_points(const LabeledPoints& p, const char* what) {
  if (p.size() == 0) return invalid(std::string(what) + " set is empty");
  if (p.dim == 0) return invalid(std::string(what) + " set has dim 0");
  if (p.size() > std::numeric_limits<uint32_t>::max() || p.features.size() / p.dim != p.size() ||
      p.features.size() % p.dim != 0) {
    return invalid(std::string(what) + " set: " + std::to_string(p.features.size()) +
                   " feature values for " + std::to_string(p.size()) + " rows of dim " +
                   std::to_string(p.dim));
  }
  for (size_t i = 0; i < p.features.size(); ++i) {
    if (!std::isfinite(p.features[i])) {
      return invalid(std::string(what) + " set: row " + std::to_string(i / p.dim) + " feature " +
                     std::to_string(i % p.dim) + " is not finite");
    }
  }
  return Status::Ok();
}

Status check_inputs(const LabeledPoints& train, const LabeledPoints& valid, uint32_t k) {
  if (k == 0) return invalid("k must be >= 1");
  DD_TRY(check_points(train, "training"));
  DD_TRY(check_points(valid, "validation"));
  if (train.dim != valid.dim) {
    return invalid("training dim " + std::to_string(train.dim) + " != validation dim " +
                   std::to_string(valid.dim));
  }
  return Status::Ok();
}

// Squared Euclidean distance, summed over the coordinates in order (the same order as the block
// kernel below and as the Python reference).
double squared_distance(const double* a, const double* b, size_t dim) {
  double acc = 0.0;
  for (size_t j = 0; j < dim; ++j) {
    const double d = a[j] - b[j];
    acc += d * d;
  }
  return acc;
}

class Evaluator {
 public:
  Evaluator(const LabeledPoints& train, const LabeledPoints& valid, uint32_t k)
      : valid_(valid), k_(k), n_(train.size()), dim_(train.dim) {
    // Dense label ids; a validation label absent from training gets -1 (never matches).
    std::unordered_map<int64_t, int32_t> ids;
    train_label_.resize(n_);
    for (size_t i = 0; i < n_; ++i) {
      auto [it, fresh] = ids.try_emplace(train.labels[i], static_cast<int32_t>(ids.size()));
      train_label_[i] = it->second;
    }
    valid_label_.resize(valid.size());
    for (size_t v = 0; v < valid.size(); ++v) {
      auto it = ids.find(valid.labels[v]);
      valid_label_[v] = it == ids.end() ? -1 : it->second;
    }
    row_bits_ = std::bit_width(n_ - 1);
    bucket_bits_ = std::clamp(row_bits_ - 2, 1, 20);  // ~4 rows per bucket
    buckets_ = size_t{1} << bucket_bits_;
    blocks_ = (n_ + kRowBlock - 1) / kRowBlock;
    blocked_.assign(blocks_ * dim_ * kRowBlock, 0.0);
    for (size_t r = 0; r < n_; ++r) {
      const size_t b = r / kRowBlock, lane = r % kRowBlock;
      for (size_t j = 0; j < dim_; ++j) {
        blocked_[(b * dim_ + j) * kRowBlock + lane] = train.features[r * dim_ + j];
      }
    }
  }

  size_t chunks() const { return (valid_.size() + kValidChunk - 1) / kValidChunk; }

  struct Workspace {
    std::vector<double> dist;  // kValidChunk × n
    std::vector<uint64_t> packed, order;
    std::vector<uint32_t> bucket_start, bucket_next;
    std::vector<double> partial;
  };

  // partial = Σ over the chunk's validation points, in order, of each row's value for it.
  void run_chunk(size_t chunk, Workspace& ws) const {
    const size_t v0 = chunk * kValidChunk;
    const size_t v1 = std::min(valid_.size(), v0 + kValidChunk);
    ws.dist.resize(kValidChunk * n_);
    ws.packed.resize(n_);
    ws.order.resize(n_);
    ws.bucket_start.resize(buckets_ + 1);
    ws.bucket_next.resize(buckets_ + 1);
    ws.partial.assign(n_, 0.0);
    distances(v0, v1, ws.dist.data());
    for (size_t v = v0; v < v1; ++v) {
      sort_by_distance(ws.dist.data() + (v - v0) * n_, ws);
      accumulate(ws.order.data(), valid_label_[v], ws.partial.data());
    }
  }

 private:
  void distances(size_t v0, size_t v1, double* out) const {
    // Eight lanes in four SSE2 vectors of two: the compiler keeps them in registers (an array
    // was stored and reloaded every coordinate). Each lane is the plain ordered sum: no FMA, no
    // reassociation, so every distance equals squared_distance() bit for bit.
    using V2 = double __attribute__((vector_size(16)));
    static_assert(kRowBlock == 8);
    const size_t n = n_, dim = dim_, blocks = blocks_;
    for (size_t b = 0; b < blocks; ++b) {
      const double* block = blocked_.data() + b * dim * kRowBlock;
      const size_t rows = std::min(kRowBlock, n - b * kRowBlock);
      for (size_t v = v0; v < v1; ++v) {
        const double* x = valid_.features.data() + v * dim;
        V2 a0 = {0, 0}, a1 = {0, 0}, a2 = {0, 0}, a3 = {0, 0};
        for (size_t j = 0; j < dim; ++j) {
          const V2 xj = {x[j], x[j]};
          V2 c[4];
          std::memcpy(c, block + j * kRowBlock, sizeof c);
          const V2 d0 = c[0] - xj, d1 = c[1] - xj, d2 = c[2] - xj, d3 = c[3] - xj;
          a0 += d0 * d0;
          a1 += d1 * d1;
          a2 += d2 * d2;
          a3 += d3 * d3;
        }
        const V2 lanes[4] = {a0, a1, a2, a3};
        double acc[kRowBlock];
        std::memcpy(acc, lanes, sizeof acc);
        double* dst = out + (v - v0) * n + b * kRowBlock;
        for (size_t lane = 0; lane < rows; ++lane) dst[lane] = acc[lane];
      }
    }
  }

  // Fills ws.order with the rows in (distance, row) order, each as `(truncated key << row_bits_)
  // | row`. The key is the bit pattern of the squared distance minus the smallest one (+0.0 <= d
  // <= +inf: bit patterns order like the values), cut to its top 64 - row_bits_ bits; packed with
  // the row it sorts as one integer, and the row breaks ties. One bucket pass on the top bits
  // (about four rows per bucket, so buckets are tiny), then each bucket sorted; runs whose cut
  // keys are equal but whose full distances may differ are re-sorted on the full distance.
  void sort_by_distance(const double* dist, Workspace& ws) const {
    const size_t n = n_, buckets = buckets_;  // locals: stores through the arrays may alias *this
    uint64_t lo = ~uint64_t{0}, hi = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = std::bit_cast<uint64_t>(dist[i]);
      lo = std::min(lo, key);
      hi = std::max(hi, key);
    }
    const int width = std::bit_width(hi - lo);
    const int keep = 64 - row_bits_;
    const int cut = std::max(0, width - keep);
    const int used = std::min(width, keep) + row_bits_;
    const int bucket_shift = std::max(0, used - bucket_bits_);
    uint64_t* packed = ws.packed.data();
    uint32_t* start = ws.bucket_start.data();
    std::fill(ws.bucket_start.begin(), ws.bucket_start.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t p = ((std::bit_cast<uint64_t>(dist[i]) - lo) >> cut << row_bits_) | i;
      packed[i] = p;
      ++start[(p >> bucket_shift) + 1];
    }
    for (size_t b = 1; b <= buckets; ++b) start[b] += start[b - 1];
    uint32_t* next = ws.bucket_next.data();
    std::copy_n(start, buckets + 1, next);
    uint64_t* order = ws.order.data();
    for (size_t i = 0; i < n; ++i) order[next[packed[i] >> bucket_shift]++] = packed[i];
    for (size_t b = 0; b < buckets; ++b) {
      uint64_t* first = order + start[b];
      uint64_t* last = order + start[b + 1];
      if (last - first > 32) {
        std::sort(first, last);  // a crowded bucket (clustered distances): stay n log n
        continue;
      }
      for (uint64_t* p = first + 1; p < last; ++p) {  // insertion sort: buckets hold ~4 rows
        const uint64_t value = *p;
        uint64_t* q = p;
        for (; q > first && *(q - 1) > value; --q) *q = *(q - 1);
        *q = value;
      }
    }
    if (cut == 0) return;  // the whole key was kept: the order is exact
    const uint64_t row_mask = (uint64_t{1} << row_bits_) - 1;
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && (order[j] >> row_bits_) == (order[i] >> row_bits_)) ++j;
      if (j - i > 1) {
        std::sort(order + i, order + j, [&](uint64_t a, uint64_t b) {
          const double da = dist[a & row_mask], db = dist[b & row_mask];
          return da != db ? da < db : (a & row_mask) < (b & row_mask);
        });
      }
      i = j;
    }
  }

  // The recursion, farthest row first, adding each row's value for this point to `partial`.
  // The arithmetic is the contract's formula in its order: (Δ / K) · min(K, i) / i.
  void accumulate(const uint64_t* order, int32_t y, double* partial) const {
    const size_t n = n_;
    const uint64_t row_mask = (uint64_t{1} << row_bits_) - 1;
    const double k = static_cast<double>(k_);
    const int32_t* label = train_label_.data();
    size_t row = order[n - 1] & row_mask;
    bool next_match = label[row] == y;
    // The farthest row counts only in coalitions of at most K rows: 1/N for N >= K (the
    // paper's case), 1/K when K > N (the utility is then additive).
    double s = next_match ? 1.0 / static_cast<double>(std::max<size_t>(n, k_)) : 0.0;
    partial[row] += s;
    for (size_t r = n - 1; r-- > 0;) {
      row = order[r] & row_mask;
      const bool match = label[row] == y;
      if (match != next_match) {  // otherwise the step adds exactly 0.0
        const size_t rank = r + 1;
        const double delta = match ? 1.0 : -1.0;
        s = s +
            delta / k * static_cast<double>(std::min<size_t>(k_, rank)) / static_cast<double>(rank);
      }
      partial[row] += s;
      next_match = match;
    }
  }

  const LabeledPoints& valid_;
  uint32_t k_;
  size_t n_, dim_, blocks_ = 0;
  int row_bits_ = 0;     // bits that hold a row index (0 for one row)
  int bucket_bits_ = 0;  // about log2(n / 4)
  size_t buckets_ = 0;
  std::vector<int32_t> train_label_, valid_label_;
  std::vector<double> blocked_;  // blocks × dim × kRowBlock
};

}  // namespace

Result<std::vector<double>> knn_shapley(const LabeledPoints& train, const LabeledPoints& valid,
                                        const KnnShapleyOptions& options) {
  DD_TRY(check_inputs(train, valid, options.k));
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return invalid("threads must be in [1, " + std::to_string(kMaxThreads) + "], got " +
                   std::to_string(options.threads));
  }
  const Evaluator eval(train, valid, options.k);
  const size_t chunks = eval.chunks();
  std::vector<double> total(train.size(), 0.0);

  const size_t threads = std::min<size_t>(static_cast<size_t>(options.threads), chunks);
  if (threads <= 1) {
    Evaluator::Workspace ws;
    for (size_t c = 0; c < chunks; ++c) {
      eval.run_chunk(c, ws);
      for (size_t i = 0; i < total.size(); ++i) total[i] += ws.partial[i];
    }
  } else {
    // Chunks are handed out in increasing order; a finished chunk waits for its turn to be
    // added, so the sum is in chunk order whatever thread computed what.
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::condition_variable turn;
    size_t merged = 0;
    auto worker = [&] {
      Evaluator::Workspace ws;
      for (size_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) {
        eval.run_chunk(c, ws);
        std::unique_lock lock(mu);
        turn.wait(lock, [&] { return merged == c; });
        for (size_t i = 0; i < total.size(); ++i) total[i] += ws.partial[i];
        ++merged;
        turn.notify_all();
      }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  const double m = static_cast<double>(valid.size());
  for (double& v : total) v /= m;
  return total;
}

Result<std::vector<double>> knn_shapley_brute_force(const LabeledPoints& train,
                                                    const LabeledPoints& valid, uint32_t k) {
  DD_TRY(check_inputs(train, valid, k));
  const size_t n = train.size();
  if (n > kMaxBruteForceRows) {
    return invalid("brute force takes at most " + std::to_string(kMaxBruteForceRows) +
                   " training rows, got " + std::to_string(n));
  }
  const size_t subsets = size_t{1} << n;
  // Mean utility over the validation points of every coalition (Shapley values are linear in
  // the utility, so averaging first gives the same values).
  std::vector<double> utility(subsets, 0.0);
  std::vector<double> dist(n);
  std::vector<size_t> members;
  for (size_t v = 0; v < valid.size(); ++v) {
    const double* x = valid.features.data() + v * valid.dim;
    for (size_t i = 0; i < n; ++i) {
      dist[i] = squared_distance(train.features.data() + i * train.dim, x, train.dim);
    }
    for (size_t mask = 1; mask < subsets; ++mask) {
      members.clear();
      for (size_t i = 0; i < n; ++i) {
        if (mask >> i & 1) members.push_back(i);
      }
      std::sort(members.begin(), members.end(),
                [&](size_t a, size_t b) { return dist[a] != dist[b] ? dist[a] < dist[b] : a < b; });
      const size_t top = std::min<size_t>(k, members.size());
      size_t hits = 0;
      for (size_t j = 0; j < top; ++j) hits += train.labels[members[j]] == valid.labels[v];
      utility[mask] += static_cast<double>(hits) / static_cast<double>(k);
    }
  }
  for (double& u : utility) u /= static_cast<double>(valid.size());

  // Shapley weight of a coalition of size s not containing i: s!(n−s−1)!/n! = 1/(n·C(n−1, s)).
  std::vector<double> weight(n);
  double binom = 1.0;  // C(n−1, s)
  for (size_t s = 0; s < n; ++s) {
    weight[s] = 1.0 / (static_cast<double>(n) * binom);
    binom = binom * static_cast<double>(n - 1 - s) / static_cast<double>(s + 1);
  }
  std::vector<double> values(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const size_t bit = size_t{1} << i;
    for (size_t mask = 0; mask < subsets; ++mask) {
      if (mask & bit) continue;
      values[i] += weight[std::popcount(mask)] * (utility[mask | bit] - utility[mask]);
    }
  }
  return values;
}

}  // namespace datadao::attribution
