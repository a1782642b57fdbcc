#include "datadao/testing/fixtures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <ctime>
#include <iostream>
#include <set>

#include "../proof/contribution_fixtures.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/ingest/zip_reader.hpp"
#include "datadao/testing/assertions.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

TEST(IngestFixtures, SameSeedGivesIdenticalBytes) {
  FixtureOptions o;
  o.seed = 99;
  for (auto make : {make_reddit_export, make_x_export, make_spotify_export, make_oura_export}) {
    auto a = make(o), b = make(o);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->zip, b->zip);
  }
}

TEST(IngestFixtures, DifferentSeedsGiveDifferentUsersAndTexts) {
  FixtureOptions a, b;
  a.seed = 1;
  b.seed = 2;
  auto fa = make_x_export(a), fb = make_x_export(b);
  ASSERT_TRUE(fa.ok() && fb.ok());
  EXPECT_NE(fa->account_identity, fb->account_identity);
  EXPECT_NE(fa->texts, fb->texts);
}

TEST(IngestFixtures, PlantsDuplicatesNearDuplicatesCopiesAndPiiInBothTextModes) {
  for (bool realistic_text : {false, true}) {
    SCOPED_TRACE(realistic_text ? "realistic" : "default");
    FixtureOptions o;
    o.records = 30;
    o.duplicates = 2;
    o.near_duplicates = 2;
    o.copied_texts = {"a copied post from someone else entirely"};
    o.pii = {"call me at 555-0100"};
    o.realistic_text = realistic_text;
    auto fx = make_x_export(o);
    ASSERT_TRUE(fx.ok());
    const auto& t = fx->texts;
    ASSERT_EQ(t.size(), 30u);
    // The last five texts are the planted ones, in order: 2 exact, 2 near, 1 copied.
    for (size_t i = 25; i < 27; ++i) {
      EXPECT_NE(std::find(t.begin(), t.begin() + 25, t[i]), t.begin() + 25) << i;
    }
    for (size_t i = 27; i < 29; ++i) {
      EXPECT_EQ(std::find(t.begin(), t.begin() + 25, t[i]), t.begin() + 25) << i;
    }
    EXPECT_EQ(t[29], "a copied post from someone else entirely");
    EXPECT_NE(t[0].find("call me at 555-0100"), std::string::npos);
    // The pool sees the planted copies for what they are.
    using namespace proof::testing;
    proof::Evaluation ev = evaluate(Source::kX, fx->zip, fx->account_identity, empty_pool());
    EXPECT_EQ(ev.score.exact_duplicates, 2u);
    EXPECT_GE(ev.score.near_duplicates, 2u);
  }
}

// FNV-1a over every entry's name and decompressed bytes, then the texts and the identity: the
// zip container's bytes depend on the zlib build, the contents must not change.
uint64_t content_hash(const Fixture& fx) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    h = (h ^ 0xff) * 0x100000001b3ull;  // separator
  };
  auto zip = ZipReader::open_buffer(fx.zip, "fixture", Limits{});
  EXPECT_TRUE(zip.ok());
  if (!zip.ok()) return 0;
  for (const auto& e : (*zip)->entries()) {
    auto data = (*zip)->read_all(e, 1 << 26);
    EXPECT_TRUE(data.ok());
    mix(e.name);
    mix(data.ok() ? *data : "");
  }
  for (const auto& t : fx.texts) mix(t);
  mix(fx.account_identity);
  return h;
}

TEST(IngestFixtures, DefaultOptionsKeepTheirContentsByteForByte) {
  FixtureOptions plain;
  plain.seed = 99;
  FixtureOptions planted;
  planted.seed = 5;
  planted.records = 30;
  planted.duplicates = 2;
  planted.near_duplicates = 2;
  planted.copied_texts = {"a copied post from someone else entirely"};
  planted.pii = {"call me at 555-0100", "jane.doe@example.org"};
  planted.extra_columns = true;
  planted.tweets_per_part = 7;
  planted.spotify_extended = true;
  // Computed on main before realistic_text and person_seed existed (fixtures.cpp of f06b361).
  const uint64_t expected[2][4] = {
      {0xde3f2af574ddd1acull, 0x289d7a975d706e11ull, 0xcc8774dcb9db1393ull, 0x12280572079a4784ull},
      {0x446cdd6eb051f764ull, 0x69a7431e51cf1022ull, 0x45d62f846b0855ecull, 0x3b4161749be8cad9ull}};
  const FixtureOptions* options[] = {&plain, &planted};
  for (size_t i = 0; i < 2; ++i) {
    size_t j = 0;
    for (auto make : {make_reddit_export, make_x_export, make_spotify_export, make_oura_export}) {
      auto fx = make(*options[i]);
      ASSERT_TRUE(fx.ok());
      EXPECT_EQ(content_hash(*fx), expected[i][j]) << "options " << i << ", source " << j;
      ++j;
    }
  }
}

// --- realistic_text ----------------------------------------------------------------------------

FixtureOptions realistic(uint64_t seed, size_t records) {
  FixtureOptions o;
  o.seed = seed;
  o.records = records;
  o.realistic_text = true;
  return o;
}

size_t word_count(const std::string& text) {
  size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// 50 users' realistic exports go through the validator's evaluation into one pool, as in the
// demo: what share of the records does the pool accept, and how many are near-duplicates?
struct PoolRun {
  uint64_t total = 0, accepted = 0, near = 0, exact = 0, low_quality = 0;
};
PoolRun contribute_users(Source source, size_t users, size_t records) {
  using namespace proof::testing;
  PoolRun run;
  proof::PoolIndex pool;
  const privacy::Scrubber scrubber = scrubber_for(source);  // one per pool, as a validator has
  for (size_t u = 1; u <= users; ++u) {
    FixtureOptions o = realistic(1000 + u, records);
    Fixture fx = make(source, o);
    for (const auto& text : fx.texts) {
      EXPECT_GE(word_count(text), 3u) << text;
      EXPECT_EQ(text.find("[deleted]"), std::string::npos) << text;
    }
    auto evaluated = proof::evaluate_contribution(source, fx.zip, fx.account_identity, options(),
                                                  pool, scrubber);
    if (!evaluated.ok()) {
      ADD_FAILURE() << evaluated.error().to_string();
      continue;
    }
    const proof::Evaluation& ev = *evaluated;
    EXPECT_TRUE(ev.score.authentic) << ev.score.authenticity_reason;
    EXPECT_TRUE(ev.score.owned) << ev.score.ownership_reason;
    EXPECT_TRUE(proof::add_to_index(pool, ev).ok());
    run.total += ev.score.records_total;
    run.accepted += ev.score.accepted;
    run.near += ev.score.near_duplicates;
    run.exact += ev.score.exact_duplicates;
    run.low_quality += ev.score.low_quality;
  }
  std::cout << "[ figures  ] " << ingest::source_name(source) << ": " << users << " users x "
            << records << " records per kind: " << run.accepted << "/" << run.total << " accepted, "
            << run.near << " near-duplicates, " << run.exact << " exact duplicates, "
            << run.low_quality << " low quality\n";
  return run;
}

TEST(IngestFixtures, RealisticRedditOfFiftyUsersIsMostlyAcceptedByOnePool) {
  PoolRun run = contribute_users(Source::kReddit, 50, 20);
  ASSERT_EQ(run.total, 50u * 60u);
  EXPECT_GE(static_cast<double>(run.accepted), 0.8 * static_cast<double>(run.total));
  // Near and exact duplicates, within one export and across users, stay rare.
  EXPECT_LE(static_cast<double>(run.near + run.exact), 0.05 * static_cast<double>(run.total));
}

TEST(IngestFixtures, RealisticTweetsOfFiftyUsersAreMostlyAcceptedByOnePool) {
  PoolRun run = contribute_users(Source::kX, 50, 40);
  ASSERT_EQ(run.total, 50u * 40u);
  EXPECT_GE(static_cast<double>(run.accepted), 0.8 * static_cast<double>(run.total));
  EXPECT_LE(static_cast<double>(run.near + run.exact), 0.05 * static_cast<double>(run.total));
}

TEST(IngestFixtures, RealisticTextsReadLikeTheirSubreddit) {
  auto fx = make_reddit_export(realistic(7, 40));
  ASSERT_TRUE(fx.ok());
  auto imported = import_all(Source::kReddit, fx->zip, "reddit.zip");
  ASSERT_TRUE(imported.ok()) << imported.error().to_string();
  std::set<std::string> subreddits;
  size_t questions = 0;
  for (const Record& r : imported->records) {
    if (r.kind != RecordKind::kPost) continue;
    const std::string subreddit = r.text_field("subreddit") ? *r.text_field("subreddit") : "";
    subreddits.insert(subreddit);
    if (subreddit == "AskReddit" && r.text.find('?') != std::string::npos) {
      ++questions;
    }
  }
  EXPECT_GE(subreddits.size(), 5u);
  EXPECT_GT(questions, 0u);  // AskReddit titles ask something
  // Real words, not syllable soup: nearly every text has a common English word.
  size_t english = 0;
  for (const auto& text : fx->texts) {
    for (const char* w : {" the ", " a ", " I ", " my ", " to ", " it ", " for ", " you", " is "}) {
      if (text.find(w) != std::string::npos) {
        ++english;
        break;
      }
    }
  }
  EXPECT_GE(english, fx->texts.size() * 95 / 100);
}

TEST(IngestFixtures, RealisticExportsOfThousandsOfRecordsStayInThePast) {
  // The default mode's Reddit clock drifts about 1.5 days per record (posts, comments and messages
  // share it): 2,000 records per kind would end decades after 2026.
  using namespace proof::testing;
  for (Source source : {Source::kReddit, Source::kX, Source::kSpotify, Source::kOura}) {
    SCOPED_TRACE(std::string(source_name(source)));
    Fixture fx = make(source, realistic(11, 2000));
    auto imported = import_all(source, fx.zip, "export.zip");
    ASSERT_TRUE(imported.ok()) << imported.error().to_string();
    std::string latest;
    for (const Record& r : imported->records) latest = std::max(latest, r.timestamp);
    proof::Evaluation ev =
        evaluate(source, fx.zip, fx.account_identity, empty_pool(), options(true));
    EXPECT_TRUE(ev.score.authentic) << ev.score.authenticity_reason << " (latest " << latest << ")";
  }
}

// --- person_seed ---------------------------------------------------------------------------------

FixtureOptions person(uint64_t person_seed, uint64_t seed, size_t days) {
  FixtureOptions o;
  o.seed = seed;
  o.records = days;
  o.person_seed = person_seed;
  return o;
}

// A numeric field (whole or real) as a double; NaN (and a test failure) if it is neither.
double number(const Record& r, const std::string& field) {
  auto it = r.fields.find(field);
  if (it != r.fields.end()) {
    if (const int64_t* v = std::get_if<int64_t>(&it->second)) return double(*v);
    if (const double* v = std::get_if<double>(&it->second)) return *v;
  }
  ADD_FAILURE() << "field " << field << " is not a number";
  return std::nan("");
}

// day -> value of one Oura kind's field.
std::map<std::string, double> oura_series(const Fixture& fx, const std::string& kind,
                                          const std::string& field) {
  auto imported = import_all(Source::kOura, fx.zip, "oura.zip");
  EXPECT_TRUE(imported.ok());
  std::map<std::string, double> out;
  if (!imported.ok()) return out;
  for (const Record& r : imported->records) {
    if (kind_name(r.kind) == kind) out[r.timestamp] = number(r, field);
  }
  return out;
}

// day -> minutes played by streams ending from 22:00 to midnight, and the set of days streamed.
std::map<std::string, double> late_minutes(const Fixture& fx, std::set<std::string>* days) {
  auto imported = import_all(Source::kSpotify, fx.zip, "spotify.zip");
  EXPECT_TRUE(imported.ok());
  std::map<std::string, double> out;
  if (!imported.ok()) return out;
  for (const Record& r : imported->records) {
    std::string day = r.timestamp.substr(0, 10);  // "2025-11-02 23:41"
    if (days) days->insert(day);
    int hour = std::stoi(r.timestamp.substr(11, 2));
    if (hour >= 22) out[day] += number(r, "ms_played") / 60000.0;
  }
  return out;
}

std::string previous_day(const std::string& day) {
  std::tm tm{};
  strptime(day.c_str(), "%Y-%m-%d", &tm);
  std::time_t t = timegm(&tm) - 86400;
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

// Mean squared residual of the least-squares fit of y on the columns of x (normal equations).
double least_squares_mse(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  const size_t k = x.front().size();
  std::vector<std::vector<double>> a(k, std::vector<double>(k + 1, 0.0));
  for (size_t r = 0; r < x.size(); ++r) {
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = 0; j < k; ++j) a[i][j] += x[r][i] * x[r][j];
      a[i][k] += x[r][i] * y[r];
    }
  }
  for (size_t c = 0; c < k; ++c) {  // Gauss-Jordan with partial pivoting
    size_t p = c;
    for (size_t r = c + 1; r < k; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    }
    std::swap(a[c], a[p]);
    for (size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      double f = a[r][c] / a[c][c];
      for (size_t j = c; j <= k; ++j) a[r][j] -= f * a[c][j];
    }
  }
  double sse = 0;
  for (size_t r = 0; r < x.size(); ++r) {
    double fit = 0;
    for (size_t i = 0; i < k; ++i) fit += x[r][i] * a[i][k] / a[i][i];
    sse += (y[r] - fit) * (y[r] - fit);
  }
  return sse / static_cast<double>(x.size());
}

TEST(IngestFixtures, SleepScoreFollowsLastNightStepsAndLateListening) {
  // 60 people x 60 days, read back through the importers as a model would see them.
  std::vector<std::vector<double>> sleep_only, joined;
  std::vector<double> y;
  double last_night_sse = 0, mean = 0;
  for (uint64_t p = 1; p <= 60; ++p) {
    auto oura = make_oura_export(person(p, 500 + p, 60));
    auto spotify = make_spotify_export(person(p, 900 + p, 60));
    ASSERT_TRUE(oura.ok() && spotify.ok());
    auto score = oura_series(*oura, "sleep", "score");
    auto steps = oura_series(*oura, "activity", "steps");
    auto late = late_minutes(*spotify, nullptr);
    for (const auto& [day, s] : score) {
      std::string before = previous_day(day);
      if (!score.count(before)) continue;
      double s0 = score[before], st = (steps[before] - 8000) / 1000,
             l = late.count(before) ? late[before] : 0.0;
      sleep_only.push_back({1.0, s0, st});
      joined.push_back({1.0, s0, st, l});
      y.push_back(s);
      last_night_sse += (s - s0) * (s - s0);
      mean += s;
    }
  }
  ASSERT_EQ(y.size(), 60u * 59u);
  mean /= static_cast<double>(y.size());
  double var = 0;
  for (double v : y) var += (v - mean) * (v - mean);
  var /= static_cast<double>(y.size());
  const double last_night = last_night_sse / static_cast<double>(y.size());
  const double fit_sleep = least_squares_mse(sleep_only, y);
  const double fit_joined = least_squares_mse(joined, y);
  std::cout << "[ figures  ] next-night sleep score, " << y.size() << " nights: variance " << var
            << "; MSE tonight=last night " << last_night << "; fit on last night + steps "
            << fit_sleep << " (R2 " << 1 - fit_sleep / var << "); + late listening (Spotify) "
            << fit_joined << " (R2 " << 1 - fit_joined / var << ")\n";
  EXPECT_LT(fit_sleep, 0.8 * last_night);
  EXPECT_LT(fit_joined, 0.8 * fit_sleep);
}

TEST(IngestFixtures, PersonSeedLinksSpotifyAndOuraDays) {
  auto oura = make_oura_export(person(42, 1, 30));
  auto spotify = make_spotify_export(person(42, 2, 30));
  auto stranger = make_spotify_export(person(43, 2, 30));
  ASSERT_TRUE(oura.ok() && spotify.ok() && stranger.ok());
  auto score = oura_series(*oura, "sleep", "score");
  ASSERT_EQ(score.size(), 30u);
  std::set<std::string> streamed, stranger_streamed;
  auto late = late_minutes(*spotify, &streamed);
  auto stranger_late = late_minutes(*stranger, &stranger_streamed);
  for (const auto& day : streamed) EXPECT_TRUE(score.count(day)) << day;
  EXPECT_GE(streamed.size(), 20u);
  EXPECT_GT(late.size(), 0u);  // some evenings after 22:00
  EXPECT_EQ(spotify->by_kind.at("stream"), [&] {
    auto imported = import_all(Source::kSpotify, spotify->zip, "s.zip");
    return imported.ok() ? imported->records.size() : 0;
  }());
  EXPECT_NE(late, stranger_late);  // another person, other evenings
  // A longer export of the same person agrees on every day both cover.
  auto longer = oura_series(*make_oura_export(person(42, 9, 45)), "sleep", "score");
  for (const auto& [day, s] : score) EXPECT_EQ(longer.at(day), s) << day;
  auto longer_late = late_minutes(*make_spotify_export(person(42, 5, 45)), nullptr);
  for (const auto& [day, minutes] : late) EXPECT_EQ(longer_late[day], minutes) << day;
}

TEST(IngestFixtures, PersonExportsPassThePoolsChecks) {
  using namespace proof::testing;
  for (Source source : {Source::kOura, Source::kSpotify}) {
    SCOPED_TRACE(std::string(source_name(source)));
    Fixture fx = make(source, person(7, 3, 60));
    proof::Evaluation ev =
        evaluate(source, fx.zip, fx.account_identity, empty_pool(), options(true));
    EXPECT_TRUE(ev.score.authentic) << ev.score.authenticity_reason;
    EXPECT_EQ(ev.score.low_quality, 0u);
    EXPECT_EQ(ev.score.accepted, ev.score.records_total);
  }
}

TEST(IngestFixtures, PersonDaysThatReachBeforeOurasFirstDataAreRefused) {
  EXPECT_ERROR_CODE(make_oura_export(person(1, 1, 5000)), ErrorCode::kInvalidArgument);
}

TEST(IngestFixtures, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace datadao::ingest
