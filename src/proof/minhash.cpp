#include "datadao/proof/minhash.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace datadao::proof {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

MinHasher::MinHasher(size_t num_perm, uint64_t seed) {
  if (num_perm == 0) throw std::invalid_argument("MinHasher: num_perm must be > 0");
  a_.resize(num_perm);
  b_.resize(num_perm);
  uint64_t state = seed;
  for (size_t i = 0; i < num_perm; ++i) {
    a_[i] = splitmix64(state) | 1;  // odd: x -> a*x + b is a bijection mod 2^64
    b_[i] = splitmix64(state);
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
  std::fill(o, o + n, std::numeric_limits<uint64_t>::max());
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
