// NearDuplicateIndex: MinHash + LSH banding over record texts, to find earlier records whose
// text is a near copy (Jaccard of character 5-gram sets, see normalize.hpp) of a new one.
//
// Banding. The 128-slot signature is cut into b bands of r slots; two records become candidates
// when all r slots of at least one band agree, which happens with probability
//     P(J) = 1 - (1 - J^r)^b,
// an S-curve whose steepest point is near (1/b)^(1/r). For the near-duplicate target
// "recall >= 0.95 at J >= 0.8" with 128 slots:
//     b x r     P(0.3)   P(0.5)   P(0.7)   P(0.8)   threshold
//     16 x 8    0.001    0.061    0.613    0.947    0.71   <- misses the target at J = 0.8
//     32 x 4    0.229    0.873    1.000    1.000    0.42   <- many useless candidates, 32 tables
//     21 x 6    0.015    0.282    0.928    0.998    0.60   <- chosen (126 slots banded)
// 21 x 6 keeps candidates from unrelated texts rare (1.5% at J = 0.3) with 21 band tables.
// All 128 slots are used to verify candidates.
//
// Verification. A candidate is kept when its signature-estimated Jaccard is at least
// min_jaccard - 2 sigma, sigma = sqrt(t(1-t)/128) (0.035 at t = 0.8): the estimate is noisy, and
// a strict cut at t would drop a large share of the pairs whose true Jaccard is just above t.
// For classic MinHash a pair at J = 0.8 passes this cut with probability 0.972 and the banding
// with 0.998 (recall ~0.97); one-permutation signatures are less noisy on 300-byte posts.
// Measured (proof_bench, 1M posts, default scheme): recall 0.997 for planted copies at
// 0.80 <= J < 0.85 and 1.000 above; with a 0-sigma cut it drops to 0.80 in that bin, with
// 1 sigma to 0.97. The price: copies at 0.75 <= J < 0.8 are mostly matched too. Each Match
// carries the estimate so callers can apply their own cut.
//
// Memory per record (num_perm 128, 21 bands), all in flat arrays:
//     8 bytes record id + 256 bytes signature (16 bits per slot: the low 16 bits of a mix of the
//     64-bit minimum; a chance agreement adds 2^-16 to the estimate, which is corrected)
//     + 84 bytes chain links (one u32 per band) + 84..168 bytes bucket heads (u32 per band,
//     table size the power of two >= records)  =>  about 430-520 bytes per record
//     (measured: 436 bytes per record at 1M records after reserve(), 458 at 100k).
// memory_bytes() reports the exact figure.
//
// Thread-safety: const methods (query, size, memory_bytes) may run concurrently with each other;
// add() and reserve() need exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/proof/minhash.hpp"

namespace datadao::proof {

struct Match {
  uint64_t record_id = 0;
  double jaccard_estimate = 0;  // from the 128-slot signatures
};

struct NearDuplicateOptions {
  size_t num_perm = 128;
  MinHashScheme scheme = MinHashScheme::kOnePermutation;  // see minhash.hpp
  size_t bands = 21;
  size_t rows = 6;  // bands * rows <= num_perm
  // Candidates are kept when estimate >= min_jaccard - verify_sigmas * sigma(min_jaccard).
  double verify_sigmas = 2.0;
  // A query walks at most this many records per band bucket, so that thousands of copies of one
  // text (which all match each other) cannot make every query slow. Finding one copy suffices to
  // mark a record as a near-duplicate.
  size_t max_bucket_walk = 4096;
};

class NearDuplicateIndex {
 public:
  // Invalid options (zero sizes, bands * rows > num_perm) are a programming error:
  // std::invalid_argument.
  explicit NearDuplicateIndex(NearDuplicateOptions options = {});

  // Indexes `text` under `record_id`. Texts that normalise to nothing (empty, only punctuation or
  // white space) are not indexed and return Ok: they cannot be near copies. Fails on malformed
  // UTF-8 or oversized text (message names the record id). Record ids are the caller's; they
  // are not checked for uniqueness.
  Status add(uint64_t record_id, std::string_view text);

  // Earlier records whose text is a near copy of `text` at Jaccard >= min_jaccard (see
  // "Verification" above), best estimate first; at most one Match per indexed record.
  Result<std::vector<Match>> query(std::string_view text, double min_jaccard) const;

  // The same two steps from an already normalised text's shingle hashes, from shingles() or
  // shingle_hashes_into() (repeats and order do not matter). Used by assess(), which has them at
  // hand. An empty span is not indexed / matches nothing; add_shingles ignores records beyond
  // 2^32 - 2 (add() reports that as kLimitExceeded).
  void add_shingles(uint64_t record_id, std::span<const uint64_t> shingle_hashes);
  std::vector<Match> query_shingles(std::span<const uint64_t> shingle_hashes,
                                    double min_jaccard) const;

  // Pre-allocates for `records` records (avoids re-hashing and vector growth while adding).
  void reserve(size_t records);

  size_t size() const { return ids_.size(); }
  size_t memory_bytes() const;
  const NearDuplicateOptions& options() const { return options_; }

 private:
  void compact(std::span<const uint64_t> sig64, std::span<uint16_t> out) const;
  size_t bucket_of(const uint16_t* band_slots) const;
  void rehash(size_t table_bits);

  NearDuplicateOptions options_;
  MinHasher hasher_;
  size_t table_bits_ = 10;
  std::vector<uint64_t> ids_;
  std::vector<uint16_t> sigs_;   // size() * num_perm
  std::vector<uint32_t> heads_;  // bands * 2^table_bits_, kNone when empty
  std::vector<uint32_t> next_;   // size() * bands, record-major
};

}  // namespace datadao::proof
