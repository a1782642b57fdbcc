#include <gtest/gtest.h>

#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

TEST(IngestSpotify, ImportsAccountDataStreamingHistory) {
  FixtureOptions o;
  o.username = "synthetic_carol";
  o.records = 40;
  auto fx = make_spotify_export(o);
  ASSERT_TRUE(fx.ok());
  auto res = import_all(Source::kSpotify, fx->zip, "my_spotify_data.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->account_identity, "synthetic_carol");
  ASSERT_EQ(res->records.size(), 40u);
  for (const auto& r : res->records) {
    EXPECT_EQ(r.source, Source::kSpotify);
    EXPECT_EQ(r.kind, RecordKind::kStream);
    EXPECT_EQ(r.author, "synthetic_carol");
    EXPECT_EQ(r.timestamp.size(), 16u) << r.timestamp;  // "2023-01-02 03:04"
    EXPECT_GE(r.integer_field("ms_played").value_or(-1), 0);
    ASSERT_NE(r.text_field("artist"), nullptr);
    ASSERT_NE(r.text_field("track"), nullptr);
    EXPECT_EQ(r.id, r.timestamp + "|" + *r.text_field("artist") + " - " + *r.text_field("track"));
  }
}

TEST(IngestSpotify, ImportsExtendedStreamingHistoryWithoutNetworkDetails) {
  FixtureOptions o;
  o.username = "synthetic_carol";
  o.spotify_extended = true;
  o.extra_columns = true;
  auto fx = make_spotify_export(o);
  ASSERT_TRUE(fx.ok());
  auto res = import_all(Source::kSpotify, fx->zip, "my_spotify_data.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  ASSERT_EQ(res->records.size(), o.records);
  for (const auto& r : res->records) {
    EXPECT_EQ(r.author, "synthetic_carol");
    EXPECT_TRUE(r.timestamp.ends_with("Z"));
    ASSERT_NE(r.text_field("track_uri"), nullptr);
    EXPECT_TRUE(r.text_field("track_uri")->starts_with("spotify:track:"));
    EXPECT_TRUE(r.id.ends_with(*r.text_field("track_uri")));
    EXPECT_FALSE(r.fields.contains("ip_addr_decrypted"));
    EXPECT_FALSE(r.fields.contains("future_field_2031"));
  }
}

TEST(IngestSpotify, MissingRequiredFieldNamesFileLineAndField) {
  std::string history =
      "[\n  {\"endTime\": \"2023-01-01 10:00\", \"artistName\": \"A\", \"trackName\": \"T\","
      " \"msPlayed\": 1000},\n  {\"endTime\": \"2023-01-01 10:05\", \"artistName\": \"A\","
      " \"msPlayed\": 1000}\n]";
  auto z = make_zip({{"MyData/StreamingHistory_music_0.json", history}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kSpotify, *z, "s.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message,
            "MyData/StreamingHistory_music_0.json line 3 (item 1): missing required field "
            "'trackName'");
}

TEST(IngestSpotify, NonIntegerPlayTimeIsRejected) {
  auto z = make_zip({{"StreamingHistory0.json",
                      "[{\"endTime\":\"e\",\"artistName\":\"A\",\"trackName\":\"T\","
                      "\"msPlayed\":\"lots\"}]"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kSpotify, *z, "s.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("field 'msPlayed': not a non-negative integer"),
            std::string::npos);
}

TEST(IngestSpotify, ArchiveWithoutHistoryIsRejected) {
  auto z = make_zip({{"MyData/Userdata.json", "{\"username\":\"u\"}"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kSpotify, *z, "s.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("not a Spotify export"), std::string::npos);
}

}  // namespace
}  // namespace datadao::ingest
