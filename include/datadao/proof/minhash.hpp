// MinHash signatures: a fixed-size sketch of a shingle set whose per-slot agreement rate is an
// estimate of the Jaccard similarity of the sets. Two schemes, same signature size and estimator:
//
// kClassic: slot i is min over shingles x of (a_i * x + b_i) mod 2^64, with a_i odd: each slot
//   is a bijection of the 64-bit hash space applied to XXH3 hashes (already uniform), so each
//   slot behaves as an independent random permutation. Cost: shingles x num_perm multiply-mins.
// kOnePermutation (default): one-permutation hashing with optimal densification (Li, Owen &
//   Zhang 2012; Shrivastava 2017): the high bits of each shingle hash pick one of num_perm bins
//   and the bin keeps its minimum; an empty bin copies the value of the first non-empty bin on a
//   fixed pseudo-random probe sequence of its own. Cost: one pass over the shingles plus
//   num_perm, about 50 times cheaper than kClassic for a 300-byte post with 128 slots, with the
//   same estimator (fraction of equal slots) and comparable accuracy (tests check both).
//
// The parameters come from a fixed seed: every validator computes the same signatures for the same
// text, so indexes can be rebuilt and compared across nodes.
//
// A MinHasher is immutable after construction: const methods are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace datadao::proof {

inline constexpr uint64_t kMinHashSeed = 0x6461746164616f31ull;  // "datadao1"

enum class MinHashScheme { kOnePermutation, kClassic };

class MinHasher {
 public:
  // num_perm > 0, or std::invalid_argument (a programming error).
  explicit MinHasher(size_t num_perm = 128, uint64_t seed = kMinHashSeed,
                     MinHashScheme scheme = MinHashScheme::kOnePermutation);

  size_t num_perm() const { return a_.size(); }
  MinHashScheme scheme() const { return scheme_; }
  size_t memory_bytes() const {
    return sizeof(*this) + (a_.capacity() + b_.capacity()) * sizeof(uint64_t) +
           densify_.capacity() * sizeof(uint16_t);
  }

  // Signature of a shingle set (see shingles()). An empty set gives all slots UINT64_MAX.
  std::vector<uint64_t> signature(std::span<const uint64_t> shingle_hashes) const;
  // Same, into `out` (out.size() == num_perm()), without allocating.
  void signature_into(std::span<const uint64_t> shingle_hashes, std::span<uint64_t> out) const;

 private:
  MinHashScheme scheme_;
  std::vector<uint64_t> a_;
  std::vector<uint64_t> b_;
  // kOnePermutation: for bin i, probe j is densify_[i * num_perm + j] (a bin index).
  std::vector<uint16_t> densify_;
};

// Fraction of equal slots: an (for kClassic unbiased) estimate of the Jaccard similarity, standard
// deviation sqrt(J(1-J)/num_perm) (0.035 at J = 0.8 with 128 slots). Signatures must have equal
// sizes (std::invalid_argument otherwise); empty signatures give 0. Signatures of two empty sets
// are all UINT64_MAX and estimate 1: callers skip empty sets (the index does).
double estimate_jaccard(std::span<const uint64_t> sig_a, std::span<const uint64_t> sig_b);

}  // namespace datadao::proof
