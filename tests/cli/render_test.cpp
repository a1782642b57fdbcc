// The text halves of `tx show` and the import summary, and the JSON error line of --json.
#include "render.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "datadao/ingest/record.hpp"

namespace datadao::cli {
namespace {

using nlohmann::json;

TEST(RenderTx, ShowsHeaderBlockAndDecodedPayloadFields) {
  json tx = {{"id", "ab12"},      {"type", "Transfer"}, {"sender", "cd34"}, {"nonce", 3},
             {"height", 12},      {"index", 1},         {"chain_id", "c"},  {"version", 1},
             {"payload", {{"to", "ef56"}, {"amount", 250}, {"memo", {{"k", "v"}}}}}};
  const std::string text = render_tx(tx);
  EXPECT_NE(text.find("transaction ab12\n"), std::string::npos) << text;
  EXPECT_NE(text.find("type: Transfer\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sender: cd34 (nonce 3)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("block: 12, index 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    amount: 250\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    to: ef56\n"), std::string::npos) << text;  // strings unquoted
  EXPECT_NE(text.find("      k: v\n"), std::string::npos) << text;   // nested objects indent
  EXPECT_EQ(text.find('{'), std::string::npos) << "no JSON in the text form:\n" << text;
}

TEST(RenderTx, UndecodablePayloadShowsHexAndTheReason) {
  json tx = {{"id", "ab"}, {"type", "Transfer"}, {"payload_hex", "0001"},
             {"payload_error", "invalid argument: short payload"}};
  const std::string text = render_tx(tx);
  EXPECT_NE(text.find("payload (undecoded): 0001"), std::string::npos) << text;
  EXPECT_NE(text.find("payload error: invalid argument: short payload"), std::string::npos)
      << text;
}

TEST(RenderImportSummary, NamesEverySkippedEntryWithItsReason) {
  ingest::ImportSummary s;
  s.source = "reddit";
  s.account_identity = "alice";
  s.records = 3;
  s.by_kind = {{"comment", 2}, {"post", 1}};
  s.files = {"posts.csv", "comments.csv"};
  s.skipped = {{"comment_headers.csv", "not read by the reddit importer"}};
  s.bytes_read = 1234;
  const std::string text = render_import_summary(s);
  EXPECT_NE(text.find("imported 3 records from a reddit export of account 'alice' (2 comment, "
                      "1 post)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("read 2 entries (1234 bytes)\n  posts.csv\n  comments.csv\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("skipped 1 entry:\n  comment_headers.csv: not read by the reddit importer"),
            std::string::npos)
      << text;
}

TEST(RenderImportSummary, SaysWhenNothingWasSkipped) {
  ingest::ImportSummary s;
  s.source = "x";
  s.records = 1;
  s.files = {"data/tweets.js"};
  EXPECT_NE(render_import_summary(s).find("skipped nothing\n"), std::string::npos);
}

TEST(ErrorJsonLine, IsOneLineOfTheApiErrorShapeWithTheHint) {
  const std::string line = error_json_line("not found", "pool 9 does not exist", "try pool list");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  json j = json::parse(line);
  EXPECT_EQ(j["error"]["code"], "not found");
  EXPECT_EQ(j["error"]["message"], "pool 9 does not exist");
  EXPECT_EQ(j["error"]["hint"], "try pool list");
  EXPECT_FALSE(json::parse(error_json_line("usage", "m", ""))["error"].contains("hint"));
}

}  // namespace
}  // namespace datadao::cli
