// Helpers shared by the contribution tests: fixture exports, a pool scrubber, evaluate().
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "datadao/testing/fixtures.hpp"
#include "datadao/proof/contribution.hpp"

namespace datadao::proof::testing {

using testkit::Fixture;
using testkit::FixtureOptions;
using ingest::Source;
using nlohmann::json;

inline constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z
inline constexpr Source kAllSources[] = {Source::kReddit, Source::kX, Source::kSpotify,
                                         Source::kOura};

inline crypto::SymmetricKey pool_key(uint8_t fill = 7) {
  crypto::SymmetricKey k;
  for (size_t i = 0; i < k.size(); ++i) k.data()[i] = static_cast<uint8_t>(fill + i);
  return k;
}

inline privacy::Scrubber scrubber_for(Source source) {
  privacy::ScrubOptions o;
  o.pseudonym_key = pool_key();
  o.handle_kind = std::string(ingest::source_name(source));
  return privacy::Scrubber(o);
}

inline Fixture make(Source source, FixtureOptions o) {
  Result<Fixture> fx = [&] {
    switch (source) {
      case Source::kReddit:
        return testkit::make_reddit_export(o);
      case Source::kX:
        return testkit::make_x_export(o);
      case Source::kSpotify:
        return testkit::make_spotify_export(o);
      case Source::kOura:
        return testkit::make_oura_export(o);
    }
    return testkit::make_oura_export(o);
  }();
  EXPECT_TRUE(fx.ok()) << fx.error().to_string();
  return std::move(fx).value();
}

inline FixtureOptions opts(uint64_t seed, std::string username, size_t records) {
  FixtureOptions o;
  o.seed = seed;
  o.username = std::move(username);
  o.records = records;
  return o;
}
inline FixtureOptions with_copied_texts(FixtureOptions o, std::vector<std::string> texts) {
  o.copied_texts = std::move(texts);
  return o;
}
inline FixtureOptions with_pii(FixtureOptions o, std::vector<std::string> pii) {
  o.pii = std::move(pii);
  return o;
}
inline FixtureOptions with_spotify_extended(FixtureOptions o, bool extended) {
  o.spotify_extended = extended;
  return o;
}

inline const PoolIndex& empty_pool() {
  static const PoolIndex pool;
  return pool;
}

inline EvaluateOptions options(bool accept_without_identity = false) {
  EvaluateOptions o;
  o.now_unix = kNow;
  o.accept_without_identity = accept_without_identity;
  return o;
}

inline Evaluation evaluate(Source source, std::string_view zip, std::string_view handle,
                           const PoolIndex& index, const EvaluateOptions& o = options()) {
  auto scrubber = scrubber_for(source);
  auto r = evaluate_contribution(source, zip, handle, o, index, scrubber);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return std::move(r).value();
}

inline uint64_t bucket_sum(const ContributionScore& s) {
  return s.empty + s.low_quality + s.exact_duplicates + s.near_duplicates + s.unique;
}

inline uint64_t lines(const std::string& jsonl) {
  return static_cast<uint64_t>(std::count(jsonl.begin(), jsonl.end(), '\n'));
}

}  // namespace datadao::proof::testing
