#include <gtest/gtest.h>

#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

Fixture x_export(FixtureOptions o = {}) {
  auto fx = make_x_export(o);
  EXPECT_TRUE(fx.ok()) << fx.error().to_string();
  return fx.ok() ? *fx : Fixture{};
}

std::string account_js(const std::string& username) {
  return "window.YTD.account.part0 = [\n  {\n    \"account\" : {\n      \"username\" : \"" +
         username + "\",\n      \"accountId\" : \"42\"\n    }\n  }\n]";
}

TEST(IngestX, ImportsTweetsWithTheAccountHandle) {
  FixtureOptions o;
  o.seed = 11;
  o.username = "synthetic_bob";
  o.records = 30;
  Fixture fx = x_export(o);
  auto res = import_all(Source::kX, fx.zip, "twitter.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->account_identity, "synthetic_bob");
  ASSERT_EQ(res->records.size(), 30u);
  std::vector<std::string> texts;
  for (const auto& r : res->records) {
    EXPECT_EQ(r.source, Source::kX);
    EXPECT_EQ(r.kind, RecordKind::kTweet);
    EXPECT_EQ(r.author, "synthetic_bob");
    EXPECT_EQ(r.id.size(), 19u);
    EXPECT_TRUE(r.timestamp.ends_with(" +0000 2018") || r.timestamp.ends_with(" +0000 2019"))
        << r.timestamp;
    ASSERT_NE(r.text_field("lang"), nullptr);
    EXPECT_EQ(*r.text_field("lang"), "en");
    texts.push_back(r.text);
  }
  EXPECT_EQ(texts, fx.texts);
}

TEST(IngestX, ReadsAllTweetPartsInOrder) {
  FixtureOptions o;
  o.records = 25;
  o.tweets_per_part = 10;  // tweets.js, tweets-part1.js, tweets-part2.js
  Fixture fx = x_export(o);
  auto res = import_all(Source::kX, fx.zip, "twitter.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->records.size(), 25u);
  EXPECT_EQ(res->summary.files,
            (std::vector<std::string>{"data/account.js", "data/tweets.js", "data/tweets-part1.js",
                                      "data/tweets-part2.js"}));
  std::vector<std::string> texts;
  for (const auto& r : res->records) texts.push_back(r.text);
  EXPECT_EQ(texts, fx.texts);
}

TEST(IngestX, UnknownFieldsAreTolerated) {
  FixtureOptions o;
  o.extra_columns = true;
  Fixture fx = x_export(o);
  auto res = import_all(Source::kX, fx.zip, "twitter.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->records.size(), o.records);
}

TEST(IngestX, MissingRequiredFieldNamesFileLineAndField) {
  std::string tweets =
      "window.YTD.tweets.part0 = [\n"
      "  { \"tweet\" : { \"id_str\" : \"1\", \"created_at\" : \"Wed Oct 10 20:19:24 +0000 2018\","
      " \"full_text\" : \"ok\" } },\n"
      "  { \"tweet\" : { \"id_str\" : \"2\", \"full_text\" : \"no date\" } }\n]";
  auto z = make_zip({{"data/account.js", account_js("h")}, {"data/tweets.js", tweets}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kX, *z, "twitter.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message,
            "data/tweets.js line 3 (item 1): missing required field 'created_at'");
}

TEST(IngestX, MissingAccountFileIsRejected) {
  auto z = make_zip({{"data/tweets.js", "window.YTD.tweets.part0 = []"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kX, *z, "twitter.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("no data/account.js"), std::string::npos);
}

TEST(IngestX, WrongAssignmentPrefixIsRejected) {
  auto z =
      make_zip({{"data/account.js", account_js("h")}, {"data/tweets.js", "alert(1); var x = [ ]"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kX, *z, "twitter.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("data/tweets.js line 1: unexpected text before the JSON"),
            std::string::npos)
      << res.error().message;
}

TEST(IngestX, TruncatedTweetsFileIsRejected) {
  auto z = make_zip({{"data/account.js", account_js("h")},
                     {"data/tweets.js", "window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\""}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kX, *z, "twitter.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("truncated"), std::string::npos) << res.error().message;
}

TEST(IngestX, MalformedUtf8InATweetIsRejected) {
  std::string tweets =
      "window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\" : \"1\", "
      "\"created_at\" : \"c\", \"full_text\" : \"bad \xFF byte\" } } ]";
  auto z = make_zip({{"data/account.js", account_js("h")}, {"data/tweets.js", tweets}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kX, *z, "twitter.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "data/tweets.js line 1 (item 0): invalid UTF-8");
}

TEST(IngestX, OversizedTweetIsRejected) {
  std::string tweets =
      "window.YTD.tweets.part0 = [ { \"tweet\" : { \"id_str\" : \"1\", "
      "\"created_at\" : \"c\", \"full_text\" : \"" +
      std::string(5000, 'a') + "\" } } ]";
  auto z = make_zip({{"data/account.js", account_js("h")}, {"data/tweets.js", tweets}});
  ASSERT_TRUE(z.ok());
  Limits lim;
  lim.max_record_bytes = 1024;
  auto res = import_all(Source::kX, *z, "twitter.zip", lim);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(res.error().message.find("max_record_bytes"), std::string::npos);
}

}  // namespace
}  // namespace datadao::ingest
