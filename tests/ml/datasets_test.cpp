#include "datadao/ml/datasets.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "datadao/testing/fixtures.hpp"
#include "datadao/proof/contribution.hpp"

namespace datadao::ml {
namespace {

using nlohmann::json;

// One refined record (the schema of include/datadao/proof/contribution.hpp), as a line.
std::string record(const std::string& source, const std::string& kind, const std::string& time,
                   json fields, const std::string& text = "") {
  json r = {{"source", source}, {"kind", kind}, {"id", "p_1"}, {"time", time}, {"fields", fields}};
  if (!text.empty()) r["text"] = text;
  return r.dump();
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Five days of one Oura user: 2023-03-01 .. 2023-03-05. Readiness is missing on 03-04.
ContributorRecords five_days(uint64_t contributor) {
  const double sleep[] = {70, 75, 80, 85, 90};
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i) {
    const std::string day = "2023-03-0" + std::to_string(i + 1);
    lines.push_back(record("oura", "sleep", day,
                           {{"score", sleep[i]},
                            {"total_sleep_duration", 25200 + 360 * i},
                            {"efficiency", 80 + i},
                            {"lowest_heart_rate", 50}}));
    lines.push_back(
        record("oura", "activity", day,
               {{"score", 60 + i}, {"steps", 8000 + 500 * i}, {"active_calories", 300 + 10 * i}}));
    if (i != 3) {
      lines.push_back(record("oura", "readiness", day,
                             {{"score", 70 + i}, {"contributors", {{"hrv_balance", 60}}}}));
    }
  }
  return {contributor, {join(lines)}};
}

TEST(MlDatasets, SleepFeaturesFollowTheDocumentedDefinitions) {
  auto data = sleep_examples({five_days(4)});
  ASSERT_TRUE(data.ok()) << data.error().to_string();
  ASSERT_EQ(data->feature_names,
            (std::vector<std::string>{"sleep_score_1", "sleep_score_2", "sleep_score_3",
                                      "total_sleep_h_1", "efficiency_1", "steps_k_1",
                                      "active_kcal_1", "activity_score_1", "readiness_score_1"}));
  // Nights 03-04 and 03-05 have three nights and a day of activity before them.
  ASSERT_EQ(data->features.size(), 2u);
  ASSERT_EQ(data->targets, (std::vector<float>{85, 90}));
  // Night of 03-04: the day before is 03-03 (index 2).
  EXPECT_EQ(data->features[0], (std::vector<float>{80, 75, 70, 7.2f, 82, 9.0f, 320, 62, 72}));
  // Night of 03-05: 03-04 had no readiness record, so readiness_score_1 is 0.
  EXPECT_EQ(data->features[1], (std::vector<float>{85, 80, 75, 7.3f, 83, 9.5f, 330, 63, 0}));
  // Baseline: tonight's score is last night's.
  EXPECT_EQ(data->baseline_predictions, (std::vector<float>{80, 85}));
}

TEST(MlDatasets, EveryExampleCarriesItsContributorIndex) {
  auto data = sleep_examples({five_days(4), five_days(9)});
  ASSERT_TRUE(data.ok()) << data.error().to_string();
  EXPECT_EQ(data->contributors, (std::vector<uint64_t>{4, 4, 9, 9}));
  ASSERT_EQ(data->contributors.size(), data->targets.size());
}

TEST(MlDatasets, NightAfterAMissingDayGivesNoExample) {
  ContributorRecords c = five_days(1);
  // Drop the activity of 03-04: night 03-05 loses its example, night 03-04 keeps its own.
  std::string& blob = c.refined_jsonl[0];
  const std::string gone = record("oura", "activity", "2023-03-04",
                                  {{"score", 63}, {"steps", 9500}, {"active_calories", 330}});
  const size_t at = blob.find(gone);
  ASSERT_NE(at, std::string::npos);
  blob.erase(at, gone.size() + 1);
  auto data = sleep_examples({c});
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->targets, (std::vector<float>{85}));
}

TEST(MlDatasets, ContributorSplitOverSeveralEntriesIsOneHistory) {
  ContributorRecords whole = five_days(9);
  // The same records as two contributions (two blobs in two entries).
  const std::string& blob = whole.refined_jsonl[0];
  const size_t half = blob.find("2023-03-03");
  const size_t cut = blob.rfind('\n', half) + 1;
  std::vector<ContributorRecords> parts = {{9, {blob.substr(0, cut)}}, {9, {blob.substr(cut)}}};
  auto split = sleep_examples(parts);
  auto joined = sleep_examples({whole});
  ASSERT_TRUE(split.ok() && joined.ok());
  EXPECT_EQ(split->features, joined->features);
  EXPECT_EQ(split->targets, joined->targets);
}

ContributorRecords listening(uint64_t contributor) {
  std::vector<std::string> lines = {
      // 03-03, the day before night 03-04: 10 + 5 min before 22:00, 3 min after; two tracks.
      record("spotify", "stream", "2023-03-03T08:00Z",
             {{"artist", "A"}, {"track", "One"}, {"ms_played", 600000}, {"skipped", false}}),
      record("spotify", "stream", "2023-03-03T21:59Z",
             {{"artist", "A"}, {"track", "One"}, {"ms_played", 300000}, {"skipped", true}}),
      record("spotify", "stream", "2023-03-03T22:30Z",
             {{"artist", "B"}, {"track", "Two"}, {"ms_played", 180000}, {"skipped", false}}),
      // 03-05: makes the history cover 03-04 (no listening that day).
      record("spotify", "stream", "2023-03-05T10:00Z",
             {{"artist", "B"}, {"track", "Two"}, {"ms_played", 60000}})};
  return {contributor, {join(lines)}};
}

TEST(MlDatasets, ListeningFeaturesDescribeTheDayBefore) {
  auto data = listening_sleep_examples({listening(2)}, {five_days(2)});
  ASSERT_TRUE(data.ok()) << data.error().to_string();
  ASSERT_EQ(data->feature_names.size(), 13u);
  EXPECT_EQ(data->feature_names[9], "minutes_played_1");
  EXPECT_EQ(data->feature_names[12], "skip_share_1");
  ASSERT_EQ(data->features.size(), 2u);
  const std::vector<float> day_before_0404(data->features[0].begin() + 9, data->features[0].end());
  EXPECT_EQ(day_before_0404, (std::vector<float>{18, 3, 2, 1.0f / 3}));
  // 03-04: inside the listening history, nothing played.
  const std::vector<float> day_before_0405(data->features[1].begin() + 9, data->features[1].end());
  EXPECT_EQ(day_before_0405, (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(data->targets, (std::vector<float>{85, 90}));
}

TEST(MlDatasets, CrossPoolExamplesOnlyForContributorsInBothPools) {
  // Spotify from contributors 1 and 2, Oura from 2 and 3: only 2 is in both.
  auto data = listening_sleep_examples({listening(1), listening(2)}, {five_days(2), five_days(3)});
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->features.size(), 2u);
  EXPECT_EQ(data->contributors, (std::vector<uint64_t>{2, 2}));
  auto none = listening_sleep_examples({listening(1)}, {five_days(3)});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->features.empty());
}

TEST(MlDatasets, NightsOutsideTheListeningHistoryGiveNoCrossPoolExample) {
  ContributorRecords late = {5,
                             {record("spotify", "stream", "2024-06-01T10:00Z",
                                     {{"artist", "A"}, {"track", "One"}, {"ms_played", 1000}})}};
  auto data = listening_sleep_examples({late}, {five_days(5)});
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->features.empty());
}

TEST(MlDatasets, MalformedLineIsCorruptionNamingTheContributor) {
  ContributorRecords bad = five_days(7);
  bad.refined_jsonl.push_back("{\"source\": \"oura\", \"kind\":");
  auto data = sleep_examples({five_days(1), bad});
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code, ErrorCode::kCorruption);
  EXPECT_NE(data.error().message.find("contributor 7"), std::string::npos) << data.error().message;
  EXPECT_NE(data.error().message.find("line 15"), std::string::npos) << data.error().message;

  auto texts = text_examples({{3, {"[1, 2]"}}});
  ASSERT_FALSE(texts.ok());
  EXPECT_EQ(texts.error().code, ErrorCode::kCorruption);
  EXPECT_NE(texts.error().message.find("contributor 3"), std::string::npos);

  auto cross = listening_sleep_examples({{2, {"not json"}}}, {five_days(2)});
  ASSERT_FALSE(cross.ok());
  EXPECT_NE(cross.error().message.find("contributor 2"), std::string::npos);
}

TEST(MlDatasets, RecordWithAnUnreadableDateIsCorruption) {
  auto data = sleep_examples({{6, {record("oura", "sleep", "yesterday", {{"score", 70}})}}});
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code, ErrorCode::kCorruption);
  EXPECT_NE(data.error().message.find("contributor 6"), std::string::npos);
}

TEST(MlDatasets, TextExamplesSkipRecordsWithoutText) {
  const std::string blob = join({
      record("reddit", "post", "2023-01-02T03:00Z", json::object(), "first post\n\nbody"),
      record("reddit", "comment", "2023-01-02T04:00Z", json::object()),  // no text
      record("x", "tweet", "2023-01-02T05:00Z", json::object(), "a tweet"),
      record("oura", "sleep", "2023-01-02", {{"score", 80}}),
      "",  // blank line
  });
  auto texts = text_examples(
      {{1, {blob}},
       {2, {record("x", "tweet", "2023-01-03T00:00Z", json::object(), "second user")}}});
  ASSERT_TRUE(texts.ok()) << texts.error().to_string();
  EXPECT_EQ(*texts, (std::vector<std::string>{"first post\n\nbody", "a tweet", "second user"}));
}

TEST(MlDatasets, LabeledTextsGiveContributorAndSubredditOrLanguage) {
  const std::string blob = join({
      record("reddit", "post", "2023-01-02T03:00Z", {{"subreddit", "cooking"}}, "pasta tonight"),
      record("reddit", "comment", "2023-01-02T04:00Z", {{"subreddit", "running"}}),  // no text
      record("reddit", "message", "2023-01-02T04:30Z", json::object(), "hi there"),
      record("x", "tweet", "2023-01-02T05:00Z", {{"lang", "fr"}, {"subreddit", "no"}}, "bonjour"),
      record("oura", "sleep", "2023-01-02", {{"score", 80}}),
  });
  const std::vector<ContributorRecords> input = {
      {7, {blob}},
      {3, {record("x", "tweet", "2023-01-03T00:00Z", {{"lang", "en"}}, "second user")}},
      {7, {record("reddit", "post", "2023-01-04T00:00Z", {{"subreddit", 12}}, "bad label")}}};
  auto labeled = labeled_text_examples(input);
  ASSERT_TRUE(labeled.ok()) << labeled.error().to_string();
  EXPECT_EQ(labeled->texts, (std::vector<std::string>{"pasta tonight", "hi there", "bonjour",
                                                      "second user", "bad label"}));
  EXPECT_EQ(labeled->contributors, (std::vector<uint64_t>{7, 7, 7, 3, 7}));
  // A reddit record without a (string) subreddit is labelled "".
  EXPECT_EQ(labeled->labels, (std::vector<std::string>{"cooking", "", "fr", "en", ""}));
  // The same texts, in the same order, as text_examples.
  auto texts = text_examples(input);
  ASSERT_TRUE(texts.ok());
  EXPECT_EQ(*texts, labeled->texts);

  auto bad = labeled_text_examples({{5, {"{\"source\": \"x\""}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
  EXPECT_NE(bad.error().message.find("contributor 5"), std::string::npos);
}

// Refined records as a pool validator makes them from a fixture export.
std::string refined_fixture(ingest::Source source, uint64_t seed, size_t records) {
  testkit::FixtureOptions o;
  o.seed = seed;
  o.records = records;
  o.username = "user_" + std::to_string(seed);
  auto fx = source == ingest::Source::kOura     ? testkit::make_oura_export(o)
            : source == ingest::Source::kReddit ? testkit::make_reddit_export(o)
                                                : testkit::make_spotify_export(o);
  EXPECT_TRUE(fx.ok());
  crypto::SymmetricKey key;
  for (size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<uint8_t>(i);
  privacy::ScrubOptions so;
  so.pseudonym_key = key;
  so.handle_kind = std::string(ingest::source_name(source));
  proof::EvaluateOptions eo;
  eo.now_unix = 1767225600;  // 2026-01-01
  eo.accept_without_identity = true;
  proof::PoolIndex index;
  auto ev =
      proof::evaluate_contribution(source, fx->zip, o.username, eo, index, privacy::Scrubber(so));
  EXPECT_TRUE(ev.ok());
  EXPECT_GT(ev->score.accepted, 0u) << ev->score.authenticity_reason;
  return ev->refined_jsonl;
}

TEST(MlDatasets, RefinedFixtureOuraExportGivesOneExamplePerNightAfterTheThird) {
  const std::string blob = refined_fixture(ingest::Source::kOura, 11, 10);
  auto data = sleep_examples({{0, {blob}}, {1, {refined_fixture(ingest::Source::kOura, 12, 6)}}});
  ASSERT_TRUE(data.ok()) << data.error().to_string();
  EXPECT_EQ(data->features.size(), 7u + 3u);
  for (size_t i = 0; i < data->features.size(); ++i) {
    EXPECT_GE(data->targets[i], 0);
    EXPECT_LE(data->targets[i], 100);
    EXPECT_GT(data->features[i][3], 1) << "total_sleep_h_1 in hours";
    EXPECT_GT(data->features[i][8], 0) << "the fixture has readiness every day";
  }
}

TEST(MlDatasets, RefinedFixtureRedditExportGivesItsTexts) {
  const std::vector<ContributorRecords> input = {
      {0, {refined_fixture(ingest::Source::kReddit, 5, 8)}}};
  auto texts = text_examples(input);
  ASSERT_TRUE(texts.ok()) << texts.error().to_string();
  EXPECT_GT(texts->size(), 8u);  // posts, comments and the account's own messages
  auto labeled = labeled_text_examples(input);
  ASSERT_TRUE(labeled.ok()) << labeled.error().to_string();
  EXPECT_EQ(labeled->texts, *texts);
  // Posts and comments carry their subreddit through refinement.
  const size_t with_label = std::count_if(labeled->labels.begin(), labeled->labels.end(),
                                          [](const std::string& l) { return !l.empty(); });
  EXPECT_GE(with_label, 8u);
}

}  // namespace
}  // namespace datadao::ml
