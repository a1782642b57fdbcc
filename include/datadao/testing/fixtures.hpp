// Synthetic exports in the platforms' exact formats, deterministic from a seed.
//
// Used by the ingest tests and by the demo (many synthetic users). The same options always give
// the same bytes. Texts are generated from a fixed vocabulary; options plant exact duplicates,
// near-duplicates (one word changed), texts copied from elsewhere (e.g. another user's posts) and
// PII strings, so downstream stages (uniqueness, scrubbing) can be checked against known answers.
// Nothing is written to disk: each export is returned as zip bytes.
//
// Default mode (every option below off) keeps the bytes of the first version: syllable
// gibberish, dates drifting from a fixed start (about a day per record, so large exports reach
// the future). Two options, both off by default, give data a model can learn from:
//
// realistic_text: Reddit posts, comments and messages, and tweets, read like the platforms':
//   per-subreddit templates with slot fillers (AskReddit, running, cpp, Cooking, books,
//   datascience, personalfinance, gardening), several sentences each, so texts of one export and
//   across seeds are rarely near-duplicates; a quarter of Reddit messages are received (someone
//   else's words, which the pools reject). Spotify gets track, album and artist names. Every
//   source's records lie in the 730 days before kFixtureRecentEnd (Oura: the `records` days
//   ending the day before), whatever the number of records.
//
// person_seed (non-zero): the person behind Oura and Spotify exports. Both exports of one
//   person_seed cover the same `records` days, ending 1 to 21 days (a trait of the person) before
//   kFixtureRecentEnd; for Spotify `records` is then the number of DAYS and by_kind["stream"]
//   the number of plays. Per day d, from (person_seed, d) only:
//     late_minutes(d)  minutes played by streams ending in [22:00, 24:00) UTC on day d (0 on most
//                      evenings, else 20..115; daytime plays all end before 22:00);
//     steps(d)         the Oura activity record's steps of day d;
//     score(d)         the Oura sleep score of day d (the night that ends that morning):
//       clamp(round(m + 0.5 (score(d-1) - m) - kFixtureLateMinutePenalty * late_minutes(d-1)
//                   + kFixtureStepsPer1000Bonus * (steps(d-1) - 8000) / 1000 + 3 N(0,1)), 0, 100)
//     with m the person's mean score (66..84). The other Oura values follow the score (durations,
//     efficiency, readiness) with noise; all lie in the quality rules' plausible ranges.
//   So last night's score and yesterday's steps predict tonight's, and joining the same person's
//   Spotify plays (late listening) predicts it better. Texts stay as realistic_text says.
//
// Thread-safety: the functions are pure; call them from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::testkit {

// Recent-mode records (realistic_text or person_seed) lie before this instant:
// 2026-01-01T00:00:00Z, so they are in the past for any validator clock after it.
inline constexpr int64_t kFixtureRecentEnd = 1767225600;
// The person_seed sleep structure (see above): points per late minute and per 1,000 steps.
inline constexpr double kFixtureLateMinutePenalty = 0.08;
inline constexpr double kFixtureStepsPer1000Bonus = 1.0;

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
  bool realistic_text = false;    // Reddit/X/Spotify texts that read like the platforms' (above)
  uint64_t person_seed = 0;       // Oura/Spotify: non-zero links exports of one person (above)
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

}  // namespace datadao::testkit
