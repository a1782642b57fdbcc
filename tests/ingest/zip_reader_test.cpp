#include "datadao/ingest/zip_reader.hpp"

#include <gtest/gtest.h>

#include "datadao/testing/fixtures.hpp"

namespace datadao::ingest {
namespace {

using namespace testkit;  // the synthetic exports

std::string zip_of(const std::vector<ZipFileSpec>& files) {
  auto z = make_zip(files);
  EXPECT_TRUE(z.ok()) << z.error().to_string();
  return z.ok() ? *z : std::string();
}

Result<std::string> read_entry(ZipReader& zip, const std::string& name) {
  const ZipEntry* e = zip.find(name);
  if (e == nullptr) return make_error(ErrorCode::kNotFound, name);
  DD_ASSIGN(auto stream, zip.open_entry(*e));
  std::string out;
  char buf[4096];
  for (;;) {
    DD_ASSIGN(size_t n, stream->read(buf, sizeof buf));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

TEST(IngestZip, ListsEntriesAndStreamsTheirBytes) {
  std::string big(300 * 1024, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  auto zip = ZipReader::open_buffer(zip_of({{"a.txt", "hello"}, {"dir/b.bin", big, true}}), "t.zip",
                                    Limits{});
  ASSERT_TRUE(zip.ok()) << zip.error().to_string();
  ASSERT_EQ((*zip)->entries().size(), 2u);
  EXPECT_EQ((*zip)->entries()[1].name, "dir/b.bin");
  EXPECT_EQ((*zip)->entries()[1].size, big.size());
  auto a = read_entry(**zip, "a.txt");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, "hello");
  auto b = read_entry(**zip, "dir/b.bin");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, big);
  EXPECT_EQ((*zip)->total_bytes_read(), 5 + big.size());
}

TEST(IngestZip, ZipBombOverTheCompressionRatioIsRejected) {
  // 8 MiB of zeros deflates ~1000:1.
  std::string zeros(8u << 20, '\0');
  std::string bytes = zip_of({{"comments.csv", zeros}});
  auto zip = ZipReader::open_buffer(bytes, "bomb.zip", Limits{});
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(zip.error().message.find("bomb.zip: entry 'comments.csv'"), std::string::npos)
      << zip.error().message;
  EXPECT_NE(zip.error().message.find("max_compression_ratio"), std::string::npos);
}

// Rewrites the uncompressed size claimed by the local and central headers (the lie a zip bomb
// tells to get past checks that trust the header).
void claim_uncompressed_size(std::string& zip, uint32_t size) {
  auto put32 = [&](size_t at) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  };
  for (size_t i = 0; i + 4 <= zip.size(); ++i) {
    if (zip.compare(i, 4, "PK\x03\x04") == 0) put32(i + 22);
    if (zip.compare(i, 4, "PK\x01\x02") == 0) put32(i + 24);
  }
}

TEST(IngestZip, LyingHeaderCannotHideABomb) {
  std::string bytes = zip_of({{"posts.csv", std::string(8u << 20, '\0')}});
  claim_uncompressed_size(bytes, 100000);  // header now claims a modest 12:1
  auto zip = ZipReader::open_buffer(bytes, "liar.zip", Limits{});
  ASSERT_TRUE(zip.ok()) << zip.error().to_string();
  EXPECT_EQ((*zip)->entries()[0].size, 100000u);
  auto r = read_entry(**zip, "posts.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("liar.zip: entry 'posts.csv'"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("max_compression_ratio"), std::string::npos);
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  // Stopped just past the grace, long before the 8 MiB the entry really holds.
  EXPECT_LT((*zip)->total_bytes_read(), 2u << 20);
}

TEST(IngestZip, TooManyEntriesIsRejected) {
  std::vector<ZipFileSpec> files;
  for (int i = 0; i < 12; ++i) files.push_back({"f" + std::to_string(i) + ".csv", "x"});
  Limits lim;
  lim.max_entries = 10;
  auto zip = ZipReader::open_buffer(zip_of(files), "many.zip", lim);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(zip.error().message.find("max_entries"), std::string::npos) << zip.error().message;
}

TEST(IngestZip, PathTraversalEntryNamesAreRejected) {
  for (std::string name : {"../evil.csv", "data/../../evil.csv", "/etc/passwd",
                           "data\\..\\evil.csv", "C:/evil.csv", ".."}) {
    auto zip = ZipReader::open_buffer(zip_of({{"ok.csv", "x"}, {name, "x"}}), "trav.zip", Limits{});
    ASSERT_FALSE(zip.ok()) << name;
    EXPECT_EQ(zip.error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_NE(zip.error().message.find("trav.zip: entry '" + name + "': unsafe path"),
              std::string::npos)
        << zip.error().message;
  }
}

TEST(IngestZip, DotsInsideNamesAreFine) {
  EXPECT_TRUE(check_entry_name("data/tweets-part1.js").ok());
  EXPECT_TRUE(check_entry_name("a..b/c...csv").ok());
  EXPECT_TRUE(check_entry_name("MyData/").ok());
}

TEST(IngestZip, EntryLargerThanTheEntryLimitIsRejected) {
  Limits lim;
  lim.max_entry_bytes = 1000;
  auto zip =
      ZipReader::open_buffer(zip_of({{"posts.csv", std::string(5000, 'a'), true}}), "big.zip", lim);
  ASSERT_FALSE(zip.ok());
  EXPECT_NE(zip.error().message.find("big.zip: entry 'posts.csv'"), std::string::npos);
  EXPECT_NE(zip.error().message.find("max_entry_bytes"), std::string::npos);
}

TEST(IngestZip, TotalDecompressedBytesAreCountedFromBytesRead) {
  Limits lim;
  lim.max_total_bytes = 10000;
  std::string bytes =
      zip_of({{"a", std::string(6000, 'a'), true}, {"b", std::string(6000, 'b'), true}});
  // The claimed total (12000) already exceeds the limit.
  auto zip = ZipReader::open_buffer(bytes, "t.zip", lim);
  ASSERT_FALSE(zip.ok());
  EXPECT_NE(zip.error().message.find("max_total_bytes"), std::string::npos);
  // Reading the same entry twice counts twice: the budget is on bytes actually read.
  lim.max_total_bytes = 10000;
  auto one = ZipReader::open_buffer(zip_of({{"a", std::string(6000, 'a'), true}}), "t.zip", lim);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(read_entry(**one, "a").ok());
  auto again = read_entry(**one, "a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(again.error().message.find("max_total_bytes"), std::string::npos);
}

TEST(IngestZip, GarbageIsNotAZip) {
  auto zip = ZipReader::open_buffer("this is not a zip archive at all", "junk.zip", Limits{});
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, ErrorCode::kCorruption);
  EXPECT_NE(zip.error().message.find("junk.zip"), std::string::npos);
}

TEST(IngestZip, TruncatedArchiveIsRejected) {
  auto fx = make_reddit_export(FixtureOptions{});
  ASSERT_TRUE(fx.ok());
  for (size_t cut : {fx->zip.size() / 2, fx->zip.size() - 10}) {
    auto zip =
        ZipReader::open_buffer(std::string_view(fx->zip).substr(0, cut), "cut.zip", Limits{});
    EXPECT_FALSE(zip.ok()) << cut;
  }
}

TEST(IngestZip, CorruptedCompressedDataFailsOnRead) {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "line " + std::to_string(i * 31) + "\n";
  std::string bytes = zip_of({{"a.csv", text}});
  // Flip bytes in the middle of the compressed stream (after the 30+5 byte local header).
  for (size_t i = 60; i < 80; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  auto zip = ZipReader::open_buffer(bytes, "flip.zip", Limits{});
  ASSERT_TRUE(zip.ok()) << zip.error().to_string();
  auto r = read_entry(**zip, "a.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("flip.zip: entry 'a.csv'"), std::string::npos)
      << r.error().message;
}

TEST(IngestZip, MissingFileIsNotFound) {
  auto zip = ZipReader::open("/nonexistent/dir/export.zip", Limits{});
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, ErrorCode::kNotFound);
  EXPECT_NE(zip.error().message.find("export.zip"), std::string::npos);
}

}  // namespace
}  // namespace datadao::ingest
