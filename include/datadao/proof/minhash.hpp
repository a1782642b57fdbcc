// MinHash signatures: a fixed-size sketch of a shingle set whose per-slot agreement rate is an
// unbiased estimate of the Jaccard similarity of the sets.
//
// Slot i of the signature is min over shingles x of (a_i * x + b_i) mod 2^64, with a_i odd:
// each slot is a bijection of the 64-bit hash space applied to XXH3 hashes (already uniform), so
// each slot behaves as an independent random permutation. The (a_i, b_i) come from a fixed seed:
// every validator computes the same signatures for the same text, so indexes can be rebuilt and
// compared across nodes.
//
// A MinHasher is immutable after construction: const methods are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace datadao::proof {

inline constexpr uint64_t kMinHashSeed = 0x6461746164616f31ull;  // "datadao1"

class MinHasher {
 public:
  // num_perm > 0, or std::invalid_argument (a programming error).
  explicit MinHasher(size_t num_perm = 128, uint64_t seed = kMinHashSeed);

  size_t num_perm() const { return a_.size(); }

  // Signature of a shingle set (see shingles()). An empty set gives all slots UINT64_MAX.
  std::vector<uint64_t> signature(std::span<const uint64_t> shingle_hashes) const;
  // Same, into `out` (out.size() == num_perm()), without allocating.
  void signature_into(std::span<const uint64_t> shingle_hashes, std::span<uint64_t> out) const;

 private:
  std::vector<uint64_t> a_;
  std::vector<uint64_t> b_;
};

// Fraction of equal slots: an unbiased estimate of the Jaccard similarity, standard deviation
// sqrt(J(1-J)/num_perm) (0.035 at J = 0.8 with 128 slots). Signatures must have equal sizes
// (std::invalid_argument otherwise); empty signatures give 0.
double estimate_jaccard(std::span<const uint64_t> sig_a, std::span<const uint64_t> sig_b);

}  // namespace datadao::proof
