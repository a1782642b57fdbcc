#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "datadao/ingest/csv_reader.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

Fixture reddit(FixtureOptions o = {}) {
  auto fx = make_reddit_export(o);
  EXPECT_TRUE(fx.ok()) << fx.error().to_string();
  return fx.ok() ? *fx : Fixture{};
}

TEST(IngestReddit, ImportsEveryRecordWithTheAccountIdentity) {
  FixtureOptions o;
  o.seed = 7;
  o.username = "synthetic_alice";
  o.records = 25;
  Fixture fx = reddit(o);
  auto res = import_all(Source::kReddit, fx.zip, "reddit.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->account_identity, "synthetic_alice");
  EXPECT_EQ(res->records.size(), 75u);
  EXPECT_EQ(res->summary.by_kind,
            (std::map<std::string, uint64_t>{{"comment", 25}, {"message", 25}, {"post", 25}}));
  std::vector<std::string> texts;
  std::set<std::string> ids;
  for (const auto& r : res->records) {
    EXPECT_EQ(r.source, Source::kReddit);
    EXPECT_FALSE(r.id.empty());
    EXPECT_TRUE(r.timestamp.ends_with(" UTC")) << r.timestamp;
    if (r.kind == RecordKind::kMessage) {
      ASSERT_NE(r.text_field("from"), nullptr);
      ASSERT_NE(r.text_field("to"), nullptr);
      EXPECT_EQ(r.author, *r.text_field("from"));  // the sender, which may be the other party
      EXPECT_TRUE(*r.text_field("from") == "synthetic_alice" ||
                  *r.text_field("to") == "synthetic_alice");
    } else {
      EXPECT_EQ(r.author, "synthetic_alice");
    }
    EXPECT_FALSE(r.fields.contains("ip"));  // never copied
    ids.insert(std::string(kind_name(r.kind)) + r.id);
    texts.push_back(r.text);
  }
  EXPECT_EQ(texts, fx.texts);  // bodies with commas/quotes/newlines round-trip exactly
  EXPECT_EQ(ids.size(), 75u);
  const Record& post = res->records.front();
  EXPECT_EQ(post.kind, RecordKind::kPost);
  EXPECT_TRUE(post.fields.contains("subreddit"));
  ASSERT_NE(post.text_field("permalink"), nullptr);
  EXPECT_TRUE(post.text_field("permalink")->starts_with("https://www.reddit.com/r/"));
}

TEST(IngestReddit, UnknownColumnsAndFilesAreTolerated) {
  FixtureOptions o;
  o.extra_columns = true;
  Fixture fx = reddit(o);
  auto res = import_all(Source::kReddit, fx.zip, "reddit.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->records.size(), 3 * o.records);
}

TEST(IngestReddit, PlantedPiiAndDuplicatesAppearInTheImportedText) {
  FixtureOptions o;
  o.duplicates = 3;
  o.pii = {"jane.doe@example.com", "+49 30 1234567"};
  Fixture fx = reddit(o);
  auto res = import_all(Source::kReddit, fx.zip, "reddit.zip");
  ASSERT_TRUE(res.ok());
  std::string all;
  std::map<std::string, int> seen;
  for (const auto& r : res->records) {
    all += r.text + "\n";
    ++seen[r.text];
  }
  EXPECT_NE(all.find("jane.doe@example.com"), std::string::npos);
  EXPECT_NE(all.find("+49 30 1234567"), std::string::npos);
  int repeats = 0;
  for (const auto& [t, n] : seen) repeats += n - 1;
  EXPECT_GE(repeats, 3);
}

TEST(IngestReddit, MissingRequiredColumnNamesFileAndColumn) {
  auto z =
      make_zip({{"posts.csv", "id,permalink,date,title\r\n1,p,2020-01-01 00:00:00 UTC,t\r\n"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kReddit, *z, "reddit.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "posts.csv line 1: missing required column 'body'");
}

TEST(IngestReddit, EmptyRequiredValueNamesFileLineAndField) {
  auto z = make_zip(
      {{"comments.csv", "id,date,body\r\nc1,2020-01-01 00:00:00 UTC,ok\r\nc2,,no date\r\n"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kReddit, *z, "reddit.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "comments.csv line 3: column 'date': empty");
}

TEST(IngestReddit, MalformedUtf8IsRejectedNamingTheColumn) {
  std::string csv = "id,permalink,date,ip,subreddit,gildings,link,parent,body,media\r\n";
  for (int i = 1; i < 811; ++i) csv += "c" + std::to_string(i) + ",p,d,i,s,0,l,p,fine,\r\n";
  csv += "bad,p,d,i,s,0,l,p,caf\xE9,\r\n";  // Latin-1 e-acute: line 812
  auto z = make_zip({{"comments.csv", csv}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kReddit, *z, "reddit.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "comments.csv line 812: column 'body': invalid UTF-8");
}

TEST(IngestReddit, OversizedRecordIsRejected) {
  std::string csv = "id,date,body\r\n1,d," + std::string(4096, 'a') + "\r\n";
  auto z = make_zip({{"comments.csv", csv}});
  ASSERT_TRUE(z.ok());
  Limits lim;
  lim.max_record_bytes = 1024;
  auto res = import_all(Source::kReddit, *z, "reddit.zip", lim);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(res.error().message.find("comments.csv line 2"), std::string::npos);
}

TEST(IngestReddit, ArchiveWithoutRedditFilesIsRejected) {
  auto z = make_zip({{"readme.txt", "hi"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kReddit, *z, "other.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("not a Reddit export"), std::string::npos);
}

TEST(IngestReddit, SinkErrorStopsTheImport) {
  Fixture fx = reddit();
  int calls = 0;
  Status s = import_buffer(
      Source::kReddit, fx.zip, "r.zip", Limits{},
      [&](const Record&) -> Status {
        if (++calls == 3) return make_error(ErrorCode::kInternal, "stop");
        return Status::Ok();
      },
      nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "stop");
  EXPECT_EQ(calls, 3);
}

TEST(IngestReddit, ImportingFromAFileWritesNothingToDisk) {
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("datadao_ingest_nowrite_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Fixture fx = reddit();
  fs::path zip = dir / "export.zip";
  { std::ofstream(zip, std::ios::binary) << fx.zip; }
  auto before = fs::last_write_time(zip);
  fs::path cwd = fs::current_path();
  fs::current_path(dir);
  ImportSummary summary;
  uint64_t n = 0;
  Status s = import_file(
      Source::kReddit, zip, Limits{},
      [&](const Record&) {
        ++n;
        return Status::Ok();
      },
      &summary);
  fs::current_path(cwd);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(n, 3 * FixtureOptions{}.records);
  EXPECT_EQ(summary.records, n);
  EXPECT_GT(summary.bytes_read, 0u);
  std::vector<fs::path> listing;
  for (const auto& e : fs::recursive_directory_iterator(dir)) listing.push_back(e.path());
  EXPECT_EQ(listing, std::vector<fs::path>{zip});
  EXPECT_EQ(fs::last_write_time(zip), before);
  EXPECT_EQ(fs::file_size(zip), fx.zip.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace datadao::ingest
