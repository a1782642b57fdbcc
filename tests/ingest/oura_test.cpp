#include <gtest/gtest.h>

#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

TEST(IngestOura, ImportsDailySleepReadinessAndActivity) {
  FixtureOptions o;
  o.records = 14;
  o.extra_columns = true;
  auto fx = make_oura_export(o);
  ASSERT_TRUE(fx.ok());
  auto res = import_all(Source::kOura, fx->zip, "oura.zip");
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->summary.by_kind,
            (std::map<std::string, uint64_t>{{"activity", 14}, {"readiness", 14}, {"sleep", 14}}));
  for (const auto& r : res->records) {
    EXPECT_EQ(r.source, Source::kOura);
    EXPECT_EQ(r.timestamp.size(), 10u) << r.timestamp;  // "2023-04-05"
    EXPECT_FALSE(r.id.empty());
    EXPECT_TRUE(r.integer_field("score").has_value());
    if (r.kind == RecordKind::kSleep) {
      EXPECT_GE(r.integer_field("total_sleep_duration").value_or(0), 18000);
      EXPECT_LE(r.integer_field("efficiency").value_or(101), 100);
    }
  }
}

TEST(IngestOura, MissingDayNamesFileIndexAndField) {
  auto z = make_zip({{"oura.json",
                      "{\"sleep\":[{\"day\":\"2023-01-01\",\"score\":80},"
                      "{\"score\":70}]}"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kOura, *z, "oura.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "oura.json: sleep[1]: missing required field 'day'");
}

TEST(IngestOura, DocumentLargerThanTheLimitIsRejected) {
  auto fx = make_oura_export(FixtureOptions{});
  ASSERT_TRUE(fx.ok());
  Limits lim;
  lim.max_json_document_bytes = 1000;
  auto res = import_all(Source::kOura, fx->zip, "oura.zip", lim);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(res.error().message.find("max_json_document_bytes"), std::string::npos);
}

TEST(IngestOura, ArchiveWithoutOuraDataIsRejected) {
  auto z = make_zip({{"other.json", "{\"hello\":1}"}});
  ASSERT_TRUE(z.ok());
  auto res = import_all(Source::kOura, *z, "oura.zip");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("not an Oura export"), std::string::npos);
}

}  // namespace
}  // namespace datadao::ingest
