#include "datadao/proof/near_duplicate_index.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "datadao/proof/normalize.hpp"

namespace datadao::proof {
namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr size_t kMinTableBits = 10;
// The index addresses records with u32 (kNone reserved).
constexpr size_t kMaxRecords = kNone - 1;

uint16_t fold16(uint64_t min) {
  // The minimum of many uniform values has leading zeros: mix before keeping 16 bits.
  return static_cast<uint16_t>((min * 0x9E3779B97F4A7C15ull) >> 48);
}

}  // namespace

NearDuplicateIndex::NearDuplicateIndex(NearDuplicateOptions options)
    : options_(options),
      hasher_(options.num_perm == 0 ? 1 : options.num_perm, kMinHashSeed, options.scheme) {
  if (options_.num_perm == 0 || options_.bands == 0 || options_.rows == 0 ||
      options_.bands * options_.rows > options_.num_perm || options_.max_bucket_walk == 0) {
    throw std::invalid_argument("NearDuplicateIndex: need 0 < bands * rows <= num_perm");
  }
  rehash(kMinTableBits);
}

void NearDuplicateIndex::compact(std::span<const uint64_t> sig64, std::span<uint16_t> out) const {
  for (size_t i = 0; i < sig64.size(); ++i) out[i] = fold16(sig64[i]);
}

size_t NearDuplicateIndex::bucket_of(const uint16_t* band_slots) const {
  const uint64_t h = XXH3_64bits(band_slots, options_.rows * sizeof(uint16_t));
  return static_cast<size_t>(h >> (64 - table_bits_));
}

void NearDuplicateIndex::rehash(size_t table_bits) {
  table_bits_ = table_bits;
  const size_t table = size_t{1} << table_bits_;
  const size_t bands = options_.bands;
  heads_.assign(bands * table, kNone);
  const size_t n = ids_.size();
  for (size_t rec = 0; rec < n; ++rec) {
    const uint16_t* sig = sigs_.data() + rec * options_.num_perm;
    for (size_t band = 0; band < bands; ++band) {
      uint32_t& head = heads_[band * table + bucket_of(sig + band * options_.rows)];
      next_[rec * bands + band] = head;
      head = static_cast<uint32_t>(rec);
    }
  }
}

void NearDuplicateIndex::reserve(size_t records) {
  ids_.reserve(records);
  sigs_.reserve(records * options_.num_perm);
  next_.reserve(records * options_.bands);
  size_t bits = table_bits_;
  while ((size_t{1} << bits) < records) ++bits;
  if (bits != table_bits_) rehash(bits);
}

Status NearDuplicateIndex::add(uint64_t record_id, std::string_view text) {
  auto normalised = normalize_text(text);
  if (!normalised.ok()) {
    return normalised.error().with_context("record " + std::to_string(record_id));
  }
  std::vector<uint64_t> sh;
  shingle_hashes_into(*normalised, sh);
  if (sh.empty()) return Status::Ok();
  if (ids_.size() >= kMaxRecords) {
    return make_error(ErrorCode::kLimitExceeded,
                      "record " + std::to_string(record_id) + ": near-duplicate index is full");
  }
  add_shingles(record_id, sh);
  return Status::Ok();
}

void NearDuplicateIndex::add_shingles(uint64_t record_id,
                                      std::span<const uint64_t> shingle_hashes) {
  if (shingle_hashes.empty() || ids_.size() >= kMaxRecords) return;
  const size_t p = options_.num_perm;
  const size_t bands = options_.bands;
  std::vector<uint64_t> sig64(p);
  hasher_.signature_into(shingle_hashes, sig64);
  const size_t rec = ids_.size();
  ids_.push_back(record_id);
  sigs_.resize(sigs_.size() + p);
  uint16_t* sig = sigs_.data() + rec * p;
  compact(sig64, std::span<uint16_t>(sig, p));
  next_.resize(next_.size() + bands, kNone);
  if (ids_.size() > (size_t{1} << table_bits_)) {
    rehash(table_bits_ + 1);  // links the new record too
    return;
  }
  const size_t table = size_t{1} << table_bits_;
  for (size_t band = 0; band < bands; ++band) {
    uint32_t& head = heads_[band * table + bucket_of(sig + band * options_.rows)];
    next_[rec * bands + band] = head;
    head = static_cast<uint32_t>(rec);
  }
}

Result<std::vector<Match>> NearDuplicateIndex::query(std::string_view text,
                                                     double min_jaccard) const {
  auto normalised = normalize_text(text);
  if (!normalised.ok()) return normalised.error().with_context("query");
  std::vector<uint64_t> sh;
  shingle_hashes_into(*normalised, sh);
  return query_shingles(sh, min_jaccard);
}

std::vector<Match> NearDuplicateIndex::query_shingles(std::span<const uint64_t> shingle_hashes,
                                                      double min_jaccard) const {
  std::vector<Match> matches;
  if (shingle_hashes.empty() || ids_.empty()) return matches;
  const size_t p = options_.num_perm;
  const size_t bands = options_.bands;
  const size_t rows = options_.rows;
  const size_t table = size_t{1} << table_bits_;
  std::vector<uint64_t> sig64(p);
  hasher_.signature_into(shingle_hashes, sig64);
  std::vector<uint16_t> q(p);
  compact(sig64, q);

  std::vector<uint32_t> candidates;
  for (size_t band = 0; band < bands; ++band) {
    const uint16_t* qb = q.data() + band * rows;
    uint32_t rec = heads_[band * table + bucket_of(qb)];
    for (size_t walked = 0; rec != kNone && walked < options_.max_bucket_walk; ++walked) {
      if (std::memcmp(sigs_.data() + rec * p + band * rows, qb, rows * sizeof(uint16_t)) == 0) {
        candidates.push_back(rec);
      }
      rec = next_[rec * bands + band];
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  const double t = std::clamp(min_jaccard, 0.0, 1.0);
  const double cut = t - options_.verify_sigmas * std::sqrt(t * (1 - t) / static_cast<double>(p));
  constexpr double kChance = 1.0 / 65536;  // two different minima agree in 16 bits by chance
  for (uint32_t rec : candidates) {
    const uint16_t* s = sigs_.data() + static_cast<size_t>(rec) * p;
    size_t equal = 0;
    for (size_t i = 0; i < p; ++i) equal += s[i] == q[i];
    const double frac = static_cast<double>(equal) / static_cast<double>(p);
    const double est = std::max(0.0, (frac - kChance) / (1 - kChance));
    if (est >= cut) matches.push_back(Match{ids_[rec], std::min(est, 1.0)});
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.jaccard_estimate != b.jaccard_estimate ? a.jaccard_estimate > b.jaccard_estimate
                                                    : a.record_id < b.record_id;
  });
  return matches;
}

size_t NearDuplicateIndex::memory_bytes() const {
  return sizeof(*this) + ids_.capacity() * sizeof(uint64_t) + sigs_.capacity() * sizeof(uint16_t) +
         heads_.capacity() * sizeof(uint32_t) + next_.capacity() * sizeof(uint32_t) +
         2 * options_.num_perm * sizeof(uint64_t);
}

}  // namespace datadao::proof
