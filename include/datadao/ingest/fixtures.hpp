// Synthetic exports in the platforms' exact formats, deterministic from a seed.
//
// Used by the ingest tests and by the demo (many synthetic users). The same options always give
// the same bytes. Texts are generated from a fixed vocabulary; options plant exact duplicates,
// near-duplicates (one word changed), texts copied from elsewhere (e.g. another user's posts) and
// PII strings, so downstream stages (uniqueness, scrubbing) can be checked against known answers.
// Nothing is written to disk: each export is returned as zip bytes.
//
// Thread-safety: the functions are pure; call them from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::ingest {

struct FixtureOptions {
  uint64_t seed = 1;
  std::string username;        // empty: derived from the seed ("user_3f2a9c")
  size_t records = 20;         // per kind (posts, comments, messages; tweets; streams; days)
  size_t duplicates = 0;       // texts repeating an earlier text of the same export exactly
  size_t near_duplicates = 0;  // texts repeating an earlier text with one word changed
  std::vector<std::string> copied_texts;  // planted verbatim (e.g. copied from another user)
  std::vector<std::string> pii;           // each planted into one text, round robin
  bool extra_columns = false;             // add unknown columns / fields the importers must ignore
  size_t tweets_per_part = 0;     // X: >0 splits tweets into tweets.js, tweets-part1.js, ...
  bool spotify_extended = false;  // Spotify: extended history instead of StreamingHistory_music
};

struct Fixture {
  std::string zip;                        // the export archive
  std::string account_identity;           // the username / handle it carries
  std::map<std::string, size_t> by_kind;  // records per kind the importer must yield
  std::vector<std::string> texts;         // every free text generated, in record order
};

Result<Fixture> make_reddit_export(const FixtureOptions& options);
Result<Fixture> make_x_export(const FixtureOptions& options);
Result<Fixture> make_spotify_export(const FixtureOptions& options);
Result<Fixture> make_oura_export(const FixtureOptions& options);

struct ZipFileSpec {
  std::string name;
  std::string data;
  bool store = false;  // true: no compression (stored), else deflate
};
// Builds a zip archive in memory with libzip; names are written as given (tests use this to
// build hostile archives: traversal names, bombs, many entries).
Result<std::string> make_zip(const std::vector<ZipFileSpec>& files);

// Quotes a CSV field per RFC 4180 when needed.
std::string csv_field(const std::string& value);

}  // namespace datadao::ingest
