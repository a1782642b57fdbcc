// Broken and inconsistent archives are not authentic, earn nothing, and say why without quoting
// the records.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "contribution_fixtures.hpp"

namespace datadao::proof {
namespace {

using ingest::Source;
using namespace testing;
using nlohmann::json;

constexpr const char* kSecretBody = "only the author should ever read this sentence";

struct RedditRow {
  std::string id = "abc123";
  std::string date = "2021-05-06 07:08:09 UTC";
  std::string sub = "cpp";
  std::string permalink;  // empty: consistent default
  std::string body = kSecretBody;
};

std::string reddit_zip(const std::vector<RedditRow>& posts, bool with_comments = true) {
  std::string csv = "id,permalink,date,ip,subreddit,gildings,title,url,body\r\n";
  for (const RedditRow& r : posts) {
    std::string link = r.permalink.empty()
                           ? "https://www.reddit.com/r/" + r.sub + "/comments/" + r.id + "/slug/"
                           : r.permalink;
    csv += r.id + "," + link + "," + r.date + ",10.1.2.3," + r.sub + ",0,A title here,," +
           testkit::csv_field(r.body) + "\r\n";
  }
  std::vector<testkit::ZipFileSpec> files = {
      {"statistics.csv", "statistic,value\r\naccount name,ivy_i\r\n"}, {"posts.csv", csv}};
  if (with_comments) {
    files.push_back(
        {"comments.csv", "id,permalink,date,ip,subreddit,gildings,link,parent,body,media\r\n"});
  }
  auto zip = testkit::make_zip(files);
  EXPECT_TRUE(zip.ok());
  return *zip;
}

void expect_inauthentic(Source source, const std::string& zip, std::string_view reason_part) {
  Evaluation ev = evaluate(source, zip, "ivy_i", empty_pool(), options(true));
  EXPECT_FALSE(ev.score.authentic) << reason_part;
  EXPECT_NE(ev.score.authenticity_reason.find(reason_part), std::string::npos)
      << ev.score.authenticity_reason;
  EXPECT_EQ(ev.score.authenticity_reason.find("only the author"), std::string::npos);
  EXPECT_EQ(ev.score.authenticity_reason.find("abc123"), std::string::npos);
  EXPECT_FALSE(ev.score.owned);
  EXPECT_EQ(ev.score.accepted, 0u);
  EXPECT_EQ(ev.score.unique, 0u);
  EXPECT_TRUE(ev.refined_jsonl.empty());
}

TEST(ProofAuthenticity, ConsistentHandMadeRedditExportIsAuthentic) {
  RedditRow second;
  second.id = "def456";
  second.body = "a different post about compilers, linkers and build systems entirely";
  Evaluation ev =
      evaluate(Source::kReddit, reddit_zip({RedditRow{}, second}), "ivy_i", empty_pool());
  EXPECT_TRUE(ev.score.authentic) << ev.score.authenticity_reason;
  EXPECT_TRUE(ev.score.owned);
  EXPECT_EQ(ev.score.accepted, 2u);
}

TEST(ProofAuthenticity, RedditWithoutCommentsFileIsIncomplete) {
  expect_inauthentic(Source::kReddit, reddit_zip({RedditRow{}}, false), "no comments.csv");
}

TEST(ProofAuthenticity, RedditDuplicateIdIsInconsistent) {
  expect_inauthentic(Source::kReddit, reddit_zip({RedditRow{}, RedditRow{}}),
                     "post 2: id repeated");
}

TEST(ProofAuthenticity, RedditDatesMustParseAndBePlausible) {
  RedditRow bad;
  bad.date = "yesterday";
  expect_inauthentic(Source::kReddit, reddit_zip({bad}), "post 1: timestamp does not parse");
  bad.date = "2021-02-30 07:08:09 UTC";
  expect_inauthentic(Source::kReddit, reddit_zip({bad}), "timestamp does not parse");
  bad.date = "2004-01-01 00:00:00 UTC";
  expect_inauthentic(Source::kReddit, reddit_zip({bad}), "before the platform existed");
  bad.date = "2026-01-03 00:00:00 UTC";  // kNow is 2026-01-01
  expect_inauthentic(Source::kReddit, reddit_zip({bad}), "timestamp in the future");
}

TEST(ProofAuthenticity, RedditPermalinkMustMatchSubredditAndId) {
  RedditRow other_post;
  other_post.permalink = "https://www.reddit.com/r/cpp/comments/zzz999/slug/";
  expect_inauthentic(Source::kReddit, reddit_zip({other_post}), "permalink does not match");
  RedditRow other_sub;
  other_sub.permalink = "https://www.reddit.com/r/rust/comments/abc123/slug/";
  expect_inauthentic(Source::kReddit, reddit_zip({other_sub}), "permalink does not match");
}

TEST(ProofAuthenticity, ImporterErrorsBecomeTheReason) {
  expect_inauthentic(Source::kReddit, "this is not a zip archive", "export.zip");
  auto no_account = testkit::make_zip({{"data/tweets.js", "window.YTD.tweets.part0 = []"}});
  expect_inauthentic(Source::kX, *no_account, "no data/account.js");
  auto missing_column =
      testkit::make_zip({{"posts.csv", "id,date,title\r\nabc123,2021-05-06 07:08:09 UTC,hello\r\n"},
                        {"comments.csv", "id,date,body\r\n"}});
  expect_inauthentic(Source::kReddit, *missing_column, "missing required column 'body'");
}

TEST(ProofAuthenticity, MalformedJsonReasonDoesNotQuoteTheInput) {
  auto zip =
      testkit::make_zip({{"oura.json", std::string(R"({"sleep":[{"day":"2023-01-01","note":")") +
                                          kSecretBody + "\n\"}]}"}});
  expect_inauthentic(Source::kOura, *zip, "oura.json");
}

std::string x_zip(const json& tweets) {
  json account = json::array({{{"account", {{"username", "ivy_i"}}}}});
  auto zip = testkit::make_zip({{"data/account.js", "window.YTD.account.part0 = " + account.dump()},
                               {"data/tweets.js", "window.YTD.tweets.part0 = " + tweets.dump()}});
  EXPECT_TRUE(zip.ok());
  return *zip;
}

json tweet(const std::string& id, const std::string& created_at) {
  return {{"tweet", {{"id_str", id}, {"created_at", created_at}, {"full_text", kSecretBody}}}};
}

TEST(ProofAuthenticity, XTweetsNeedUniqueDecimalIdsAndParsableDates) {
  const std::string ok_date = "Wed Oct 10 20:19:24 +0000 2018";
  Evaluation ok =
      evaluate(Source::kX, x_zip(json::array({tweet("1", ok_date), tweet("2", ok_date)})), "ivy_i",
               empty_pool());
  EXPECT_TRUE(ok.score.authentic) << ok.score.authenticity_reason;
  expect_inauthentic(Source::kX, x_zip(json::array({tweet("1", ok_date), tweet("1", ok_date)})),
                     "tweet 2: id repeated");
  expect_inauthentic(Source::kX, x_zip(json::array({tweet("12a", ok_date)})),
                     "not a decimal number");
  expect_inauthentic(Source::kX, x_zip(json::array({tweet("1", "2018-10-10")})),
                     "timestamp does not parse");
  expect_inauthentic(Source::kX, x_zip(json::array({tweet("1", "Wed Oct 10 20:19:24 +0000 2001")})),
                     "before the platform existed");
}

TEST(ProofAuthenticity, SpotifyTimestampsMustParse) {
  auto zip = testkit::make_zip({{"MyData/StreamingHistory_music_0.json",
                                R"([{"endTime":"03/04/2022 10:11","artistName":"Velmira",)"
                                R"("trackName":"Glass","msPlayed":1000}])"}});
  expect_inauthentic(Source::kSpotify, *zip, "stream 1: timestamp does not parse");
  auto negative = testkit::make_zip({{"MyData/StreamingHistory_music_0.json",
                                     R"([{"endTime":"2022-03-04 10:11","artistName":"Velmira",)"
                                     R"("trackName":"Glass","msPlayed":-5}])"}});
  expect_inauthentic(Source::kSpotify, *negative, "non-negative integer");
}

TEST(ProofAuthenticity, OuraDaysMustParseAndBeUniquePerKind) {
  auto doc = [](const json& sleep, const json& activity) {
    auto zip =
        testkit::make_zip({{"oura.json", json{{"sleep", sleep}, {"activity", activity}}.dump()}});
    EXPECT_TRUE(zip.ok());
    return *zip;
  };
  json day1 = {{"day", "2023-01-01"}, {"score", 80}};
  // One day in two kinds is normal; twice in one kind is not.
  Evaluation ok = evaluate(Source::kOura, doc(json::array({day1}), json::array({day1})), "",
                           empty_pool(), options(true));
  EXPECT_TRUE(ok.score.authentic) << ok.score.authenticity_reason;
  EXPECT_EQ(ok.score.accepted, 2u) << ok.score.authenticity_reason;
  expect_inauthentic(Source::kOura, doc(json::array({day1, day1}), json::array()),
                     "sleep 2: day repeated");
  expect_inauthentic(Source::kOura, doc(json::array({{{"day", "2023-13-01"}}}), json::array()),
                     "timestamp does not parse");
}

}  // namespace
}  // namespace datadao::proof
