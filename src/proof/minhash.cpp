#include "datadao/proof/minhash.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace datadao::proof {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

MinHasher::MinHasher(size_t num_perm, uint64_t seed, MinHashScheme scheme) : scheme_(scheme) {
  if (num_perm == 0) throw std::invalid_argument("MinHasher: num_perm must be > 0");
  if (scheme == MinHashScheme::kOnePermutation && num_perm > 4096) {
    throw std::invalid_argument("MinHasher: one-permutation hashing supports num_perm <= 4096");
  }
  a_.resize(num_perm);
  b_.resize(num_perm);
  uint64_t state = seed;
  for (size_t i = 0; i < num_perm; ++i) {
    a_[i] = splitmix64(state) | 1;  // odd: x -> a*x + b is a bijection mod 2^64
    b_[i] = splitmix64(state);
  }
  if (scheme == MinHashScheme::kOnePermutation) {
    // Each bin's probe order: a pseudo-random permutation of all bins (Fisher-Yates), so
    // densification always ends within num_perm probes when any bin is filled.
    densify_.resize(num_perm * num_perm);
    for (size_t i = 0; i < num_perm; ++i) {
      uint16_t* order = densify_.data() + i * num_perm;
      for (size_t j = 0; j < num_perm; ++j) order[j] = static_cast<uint16_t>(j);
      for (size_t j = num_perm - 1; j > 0; --j) {
        std::swap(order[j], order[splitmix64(state) % (j + 1)]);
      }
    }
  }
}

std::vector<uint64_t> MinHasher::signature(std::span<const uint64_t> shingle_hashes) const {
  std::vector<uint64_t> out(a_.size());
  signature_into(shingle_hashes, out);
  return out;
}

void MinHasher::signature_into(std::span<const uint64_t> shingle_hashes,
                               std::span<uint64_t> out) const {
  if (out.size() != a_.size()) throw std::invalid_argument("signature_into: wrong output size");
  const size_t n = a_.size();
  uint64_t* o = out.data();
  const uint64_t* a = a_.data();
  const uint64_t* b = b_.data();
  constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  std::fill(o, o + n, kEmpty);
  if (scheme_ == MinHashScheme::kOnePermutation) {
    if (shingle_hashes.empty()) return;
    // A seeded bijection of the shingle hash; its high bits choose the bin.
    for (uint64_t x : shingle_hashes) {
      const uint64_t h = (x ^ b[0]) * a[0];
      const size_t bin = static_cast<size_t>((static_cast<unsigned __int128>(h) * n) >> 64);
      o[bin] = h < o[bin] ? h : o[bin];
    }
    // Densify from the filled bins only (a copy must not feed a later copy).
    std::vector<uint8_t> filled(n);
    for (size_t i = 0; i < n; ++i) filled[i] = o[i] != kEmpty;
    for (size_t i = 0; i < n; ++i) {
      if (filled[i]) continue;
      const uint16_t* order = densify_.data() + i * n;
      for (size_t j = 0; j < n; ++j) {
        if (filled[order[j]]) {
          o[i] = o[order[j]];
          break;
        }
      }
    }
    return;
  }
  // Shingle-outer, slot-inner: the inner loop is a straight min over arrays (vectorisable).
  for (uint64_t x : shingle_hashes) {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t h = a[i] * x + b[i];
      o[i] = h < o[i] ? h : o[i];
    }
  }
}

double estimate_jaccard(std::span<const uint64_t> sig_a, std::span<const uint64_t> sig_b) {
  if (sig_a.size() != sig_b.size()) {
    throw std::invalid_argument("estimate_jaccard: signatures of different sizes");
  }
  if (sig_a.empty()) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < sig_a.size(); ++i) equal += sig_a[i] == sig_b[i];
  return static_cast<double>(equal) / static_cast<double>(sig_a.size());
}

}  // namespace datadao::proof
