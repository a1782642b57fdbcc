#include "datadao/ingest/csv_reader.hpp"

#include <gtest/gtest.h>

namespace datadao::ingest {
namespace {

std::vector<std::vector<std::string>> parse_all(std::string_view text, uint64_t max = 1 << 20) {
  StringSource src(text, "t.csv");
  CsvReader reader(src, "t.csv", max);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  for (;;) {
    auto got = reader.next(&row);
    EXPECT_TRUE(got.ok()) << got.error().to_string();
    if (!got.ok() || !*got) break;
    rows.push_back(row);
  }
  return rows;
}

Error parse_error(std::string_view text, uint64_t max = 1 << 20) {
  StringSource src(text, "t.csv");
  CsvReader reader(src, "t.csv", max);
  std::vector<std::string> row;
  for (;;) {
    auto got = reader.next(&row);
    if (!got.ok()) return got.error();
    if (!*got) return Error{ErrorCode::kInternal, "no error"};
  }
}

TEST(IngestCsv, QuotedFieldsKeepCommasQuotesAndNewlines) {
  auto rows = parse_all("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "x, y");
  EXPECT_EQ(rows[1][1], "say \"hi\"");
  EXPECT_EQ(rows[1][2], "line1\r\nline2\nline3");
}

TEST(IngestCsv, LfAndCrlfAndMissingFinalNewlineAndEmptyFields) {
  auto rows = parse_all("a,b\n1,\r\n,2");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "2"}));
}

TEST(IngestCsv, ByteOrderMarkIsSkipped) {
  auto rows = parse_all("\xEF\xBB\xBFid,body\n1,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "id");
}

TEST(IngestCsv, RecordLineCountsEmbeddedNewlines) {
  StringSource src("h\n\"a\nb\nc\"\nnext\n", "t.csv");
  CsvReader reader(src, "t.csv", 1 << 20);
  std::vector<std::string> row;
  ASSERT_TRUE(*reader.next(&row));
  ASSERT_TRUE(*reader.next(&row));
  EXPECT_EQ(reader.record_line(), 2u);
  ASSERT_TRUE(*reader.next(&row));
  EXPECT_EQ(row[0], "next");
  EXPECT_EQ(reader.record_line(), 5u);
}

TEST(IngestCsv, ReadsAcrossBufferBoundaries) {
  std::string big(200 * 1024, 'z');
  auto rows = parse_all("h\n\"" + big + "\"\nend\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], big);
}

// Hands out one byte per read, so every token straddles a buffer refill.
class OneByteSource final : public ByteSource {
 public:
  explicit OneByteSource(std::string_view data) : inner_(data, "t.csv") {}
  Result<size_t> read(char* out, size_t n) override { return inner_.read(out, n > 0 ? 1 : 0); }
  const std::string& name() const override { return inner_.name(); }

 private:
  StringSource inner_;
};

TEST(IngestCsv, OneByteReadsParseExactlyLikeWholeReads) {
  std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, \"\"y\"\"\",\"l1\r\nl2\",\r\n\"\"\"\",\"\",plain\rcr\n,,\nlast";
  auto whole = parse_all(text);
  OneByteSource src(text);
  CsvReader reader(src, "t.csv", 1 << 20);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  for (;;) {
    auto got = reader.next(&row);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    if (!*got) break;
    rows.push_back(row);
  }
  EXPECT_EQ(rows, whole);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, \"y\"", "l1\r\nl2", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"\"", "", "plain\rcr"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"last"}));
  EXPECT_EQ(reader.record_line(), 6u);
}

TEST(IngestCsv, UnterminatedQuoteIsAnErrorNamingTheLine) {
  Error e = parse_error("h\nok\n\"never closed\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message.find("t.csv line 3"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("unterminated"), std::string::npos) << e.message;
}

TEST(IngestCsv, TextAfterClosingQuoteIsRejected) {
  Error e = parse_error("\"a\"b,c\n");
  EXPECT_NE(e.message.find("after a closing quote"), std::string::npos) << e.message;
}

TEST(IngestCsv, OversizedRecordIsRejectedWithLimitError) {
  Error e = parse_error("h\n" + std::string(5000, 'a') + "\n", 1000);
  EXPECT_EQ(e.code, ErrorCode::kLimitExceeded);
  EXPECT_NE(e.message.find("t.csv line 2"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("max_record_bytes"), std::string::npos) << e.message;
}

TEST(IngestCsvTable, ColumnsAreFoundByNameAndUnknownOnesIgnored) {
  StringSource src("extra,body,id\nq,hello,7\n", "c.csv");
  CsvTable t(src, "c.csv", 1 << 20);
  ASSERT_TRUE(t.read_header({"id", "body"}).ok());
  ASSERT_TRUE(*t.next());
  EXPECT_EQ(t.get("id"), "7");
  EXPECT_EQ(t.get("body"), "hello");
  EXPECT_EQ(t.get("absent"), "");
  EXPECT_FALSE(*t.next());
}

TEST(IngestCsvTable, MissingRequiredColumnNamesFileAndColumn) {
  StringSource src("id,date\n1,2\n", "comments.csv");
  CsvTable t(src, "comments.csv", 1 << 20);
  Status s = t.read_header({"id", "body"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("comments.csv"), std::string::npos);
  EXPECT_NE(s.error().message.find("'body'"), std::string::npos) << s.error().message;
}

TEST(IngestCsvTable, InvalidUtf8NamesFileLineAndColumn) {
  StringSource src("id,body\n1,fine\n2,bad \xC3\x28 byte\n", "comments.csv");
  CsvTable t(src, "comments.csv", 1 << 20);
  ASSERT_TRUE(t.read_header({"id", "body"}).ok());
  ASSERT_TRUE(*t.next());
  auto r = t.next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "comments.csv line 3: column 'body': invalid UTF-8");
}

TEST(IngestCsvTable, RowWithWrongFieldCountIsRejected) {
  StringSource src("id,body\n1\n", "p.csv");
  CsvTable t(src, "p.csv", 1 << 20);
  ASSERT_TRUE(t.read_header({"id"}).ok());
  auto r = t.next();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("p.csv line 2: 1 fields, the header has 2"), std::string::npos)
      << r.error().message;
}

TEST(IngestCsvTable, EmptyRequiredValueNamesLineAndColumn) {
  StringSource src("id,date\n,2020\n", "posts.csv");
  CsvTable t(src, "posts.csv", 1 << 20);
  ASSERT_TRUE(t.read_header({"id"}).ok());
  ASSERT_TRUE(*t.next());
  auto v = t.get_required("id");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "posts.csv line 2: column 'id': empty");
}

}  // namespace
}  // namespace datadao::ingest
