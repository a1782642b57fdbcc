// proof_bench: near-duplicate detection (MinHash + LSH) over many synthetic posts vs a
// brute-force exact-Jaccard scan.
//
//   proof_bench [--records N] [--sample S] [--queries Q] [--classic 1] [--sigmas Z]
//
// Records are 50-word posts drawn from a 20k-word generated vocabulary; every 100th record is a
// planted near copy of a random earlier record with 1-4 of its 50 words replaced (about 1%).
// Planted copies whose exact Jaccard (character 5-gram sets) with their original is >= 0.8 are
// the ones recall is measured on: a copy is found when a query with its text at min_jaccard 0.8
// returns its original.
//
// Project: NearDuplicateIndex::add over all N records (normalise, shingle, sign, band), then
// query for every planted copy and for Q fresh unrelated texts.
// Anchor: exact Jaccard of each query's shingle set against every one of S stored shingle sets
// (a linear scan, the exact answer); per-query time is scaled by N / S to the index size.
// The add loop also generates each text; that generation is timed alone in a second pass and
// subtracted for the first add figure (both figures are printed). Times are wall clock on a
// possibly shared machine: compare figures from one run.
// Memory: memory_bytes() of the index and the process VmRSS / VmHWM from /proc/self/status.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "datadao/proof/near_duplicate_index.hpp"
#include "datadao/proof/normalize.hpp"

using datadao::proof::exact_jaccard;
using datadao::proof::NearDuplicateIndex;
using datadao::proof::normalize_text;
using datadao::proof::shingles;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string proc_status(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      auto p = line.find_first_not_of(" \t", std::strlen(key));
      return p == std::string::npos ? line : line.substr(p);
    }
  }
  return "?";
}

// Record i's words are a pure function of i, so nothing has to be kept in memory.
class Corpus {
 public:
  static constexpr size_t kWords = 50;
  Corpus() {
    std::mt19937_64 rng(2026);
    std::uniform_int_distribution<int> len(2, 9), letter(0, 25);
    for (int i = 0; i < 20000; ++i) {
      std::string w;
      for (int k = len(rng); k > 0; --k) w.push_back(static_cast<char>('a' + letter(rng)));
      vocab_.push_back(w);
    }
  }
  static bool planted(uint64_t i) { return i % 100 == 99; }
  static uint64_t original_of(uint64_t i) { return (i * 0x9E3779B97F4A7C15ull >> 11) % i; }

  std::vector<uint32_t> base_words(uint64_t i) const {
    std::mt19937_64 rng(i * 0xD1B54A32D192ED03ull + 1);
    std::vector<uint32_t> w(kWords);
    for (auto& x : w) x = static_cast<uint32_t>(rng() % vocab_.size());
    return w;
  }
  std::vector<uint32_t> words(uint64_t i) const {
    if (!planted(i)) return base_words(i);
    auto w = words(original_of(i));
    std::mt19937_64 rng(i);
    const size_t edits = 1 + rng() % 4;
    for (size_t e = 0; e < edits; ++e)
      w[rng() % kWords] = static_cast<uint32_t>(rng() % vocab_.size());
    return w;
  }
  std::string text(const std::vector<uint32_t>& w) const {
    std::string s;
    for (uint32_t x : w) {
      if (!s.empty()) s.push_back(' ');
      s += vocab_[x];
    }
    return s;
  }
  std::string text(uint64_t i) const { return text(words(i)); }
  // An unrelated text (never in the corpus).
  std::string fresh(uint64_t q) const { return text(base_words(~q)); }

 private:
  std::vector<std::string> vocab_;
};

std::vector<uint64_t> shingles_of(const std::string& text) {
  return shingles(*normalize_text(text));
}

}  // namespace

int main(int argc, char** argv) {
  size_t records = 1000000, sample = 10000, queries = 10000;
  bool classic = false;
  double sigmas = datadao::proof::NearDuplicateOptions{}.verify_sigmas;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const size_t v = std::strtoull(argv[i + 1], nullptr, 10);
    if (a == "--records") {
      records = v;
    } else if (a == "--sample") {
      sample = v;
    } else if (a == "--queries") {
      queries = v;
    } else if (a == "--sigmas") {
      sigmas = std::strtod(argv[i + 1], nullptr);
    } else if (a == "--classic") {
      classic = v != 0;
    } else {
      std::fprintf(stderr,
                   "usage: proof_bench [--records N] [--sample S] [--queries Q] [--classic 1] "
                   "[--sigmas Z]\n");
      return 2;
    }
  }
  if (records < 200 || sample == 0 || queries == 0) {
    std::fprintf(stderr, "proof_bench: need --records >= 200 and positive --sample, --queries\n");
    return 2;
  }
  sample = std::min(sample, records);
  Corpus corpus;

  // ---- Project: build the index -------------------------------------------------------
  datadao::proof::NearDuplicateOptions options;
  options.verify_sigmas = sigmas;
  if (classic) options.scheme = datadao::proof::MinHashScheme::kClassic;
  NearDuplicateIndex index(options);
  index.reserve(records);
  auto t0 = std::chrono::steady_clock::now();
  size_t text_bytes = 0;
  for (uint64_t i = 0; i < records; ++i) {
    const std::string t = corpus.text(i);
    text_bytes += t.size();
    if (!index.add(i, t).ok()) {
      std::fprintf(stderr, "add %llu failed\n", static_cast<unsigned long long>(i));
      return 1;
    }
  }
  const double add_s = seconds_since(t0);
  // Text generation is part of that loop; time it alone to subtract.
  t0 = std::chrono::steady_clock::now();
  size_t sink = 0;
  for (uint64_t i = 0; i < records; ++i) sink += corpus.text(i).size();
  const double gen_s = seconds_since(t0);

  // ---- Project: query planted copies (recall) and fresh texts (false positives) -------
  size_t planted = 0, eligible = 0, found = 0, below = 0, below_matched = 0;
  // Recall by exact-Jaccard bin: [0.8, 0.85), [0.85, 0.9), [0.9, 1].
  size_t bin_eligible[3] = {0, 0, 0}, bin_found[3] = {0, 0, 0};
  double query_s = 0;
  size_t query_count = 0;
  for (uint64_t i = 99; i < records; i += 100) {
    const std::string copy = corpus.text(i);
    const uint64_t orig = Corpus::original_of(i);
    ++planted;
    const double j = exact_jaccard(shingles_of(copy), shingles_of(corpus.text(orig)));
    auto tq = std::chrono::steady_clock::now();
    auto m = index.query(copy, 0.8);
    query_s += seconds_since(tq);
    ++query_count;
    if (j < 0.8) {
      // Below the threshold: matched anyway because of the 2-sigma verification slack?
      ++below;
      for (const auto& x : *m) below_matched += x.record_id == orig;
      continue;
    }
    ++eligible;
    const size_t bin = j < 0.85 ? 0 : j < 0.9 ? 1 : 2;
    ++bin_eligible[bin];
    for (const auto& x : *m) {
      found += x.record_id == orig;
      bin_found[bin] += x.record_id == orig;
    }
  }
  size_t fresh_matched = 0;
  for (uint64_t q = 0; q < queries; ++q) {
    const std::string t = corpus.fresh(q);
    auto tq = std::chrono::steady_clock::now();
    auto m = index.query(t, 0.8);
    query_s += seconds_since(tq);
    ++query_count;
    fresh_matched += !m->empty();
  }
  const size_t memory = index.memory_bytes();
  const std::string rss = proc_status("VmRSS:"), hwm = proc_status("VmHWM:");

  // ---- Anchor: brute-force exact Jaccard scan over a sample -----------------------------
  std::vector<std::vector<uint64_t>> stored;
  stored.reserve(sample);
  for (uint64_t i = 0; i < sample; ++i) stored.push_back(shingles_of(corpus.text(i)));
  const size_t bf_queries = std::min<size_t>(200, queries);
  size_t bf_hits = 0;
  t0 = std::chrono::steady_clock::now();
  for (uint64_t q = 0; q < bf_queries; ++q) {
    const auto qs = shingles_of(corpus.fresh(q));
    for (const auto& s : stored) bf_hits += exact_jaccard(qs, s) >= 0.8;
  }
  const double bf_per_query = seconds_since(t0) / static_cast<double>(bf_queries);
  const double bf_scaled =
      bf_per_query * static_cast<double>(records) / static_cast<double>(sample);
  const double lsh_per_query = query_s / static_cast<double>(query_count);

  const double n = static_cast<double>(records);
  std::printf(
      "proof_bench: %zu records (%.1f MB of text, 50 words each), %zu planted near copies, "
      "%s MinHash, %zu x %zu bands, verify cut min_jaccard - %.2f sigma\n",
      records, static_cast<double>(text_bytes) / 1e6, planted,
      classic ? "classic" : "one-permutation", options.bands, options.rows, sigmas);
  std::printf("%-52s %14s\n", "measure", "value");
  std::printf("%-52s %14.0f\n", "add: records/s (normalise+shingle+sign+band)",
              n / std::max(1e-9, add_s - gen_s));
  std::printf("%-52s %14.0f\n", "add: records/s incl. text generation", n / add_s);
  std::printf("%-52s %14.0f\n", "query: records/s (index of N)", 1.0 / lsh_per_query);
  std::printf("%-52s %14.1f\n", "index memory_bytes (MB)", static_cast<double>(memory) / 1e6);
  std::printf("%-52s %14.1f\n", "index bytes per record", static_cast<double>(memory) / n);
  std::printf("%-52s %14s\n", "process VmRSS after build+queries", rss.c_str());
  std::printf("%-52s %14s\n", "process VmHWM (peak)", hwm.c_str());
  std::printf("%-52s %14zu\n", "planted copies with exact J >= 0.8", eligible);
  std::printf("%-52s %14.4f\n", "recall of planted copies at J >= 0.8",
              eligible ? static_cast<double>(found) / static_cast<double>(eligible) : 0.0);
  const char* bin_names[3] = {"  recall at 0.80 <= J < 0.85", "  recall at 0.85 <= J < 0.90",
                              "  recall at J >= 0.90"};
  for (int b = 0; b < 3; ++b) {
    std::printf("%-52s %7.4f (%zu)\n", bin_names[b],
                bin_eligible[b] ? static_cast<double>(bin_found[b]) / bin_eligible[b] : 0.0,
                bin_eligible[b]);
  }
  std::printf("%-52s %10zu/%zu\n", "planted copies at J < 0.8 matched anyway", below_matched,
              below);
  std::printf("%-52s %10zu/%zu\n", "unrelated queries with any match (false pos.)", fresh_matched,
              queries);
  std::printf("%-52s %14.1f\n", "anchor: brute-force us/query over sample", bf_per_query * 1e6);
  std::printf("%-52s %14zu\n", "anchor: sample size S", sample);
  std::printf("%-52s %14.1f\n", "anchor: brute-force us/query scaled to N", bf_scaled * 1e6);
  std::printf("%-52s %14.1f\n", "project: LSH us/query over N", lsh_per_query * 1e6);
  std::printf("%-52s %14.1f\n", "ratio: brute force (scaled) / LSH query",
              bf_scaled / lsh_per_query);
  if (sink == 0 || bf_hits > bf_queries * sample) std::printf("\n");
  return 0;
}
