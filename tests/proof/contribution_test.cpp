#include "datadao/proof/contribution.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <regex>
#include <sstream>

#include "contribution_fixtures.hpp"
#include "datadao/proof/normalize.hpp"

namespace datadao::proof {
namespace {

using testkit::Fixture;
using testkit::FixtureOptions;
using ingest::Source;
using namespace testing;
using nlohmann::json;

TEST(ProofContribution, CleanExportsAreAuthenticAndOwnedUnderAnySpellingOfTheHandle) {
  const std::pair<Source, const char*> claims[] = {{Source::kReddit, "u/ZEPHYRINE_Q"},
                                                   {Source::kX, "@zephyrine_q"},
                                                   {Source::kSpotify, "Zephyrine_Q"}};
  for (const auto& [source, claim] : claims) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture fx = make(source, opts(3, "Zephyrine_Q", 15));
    PoolIndex index;
    Evaluation ev = evaluate(source, fx.zip, claim, index);
    EXPECT_TRUE(ev.score.authentic) << ev.score.authenticity_reason;
    EXPECT_EQ(ev.score.authenticity_reason, "ok");
    EXPECT_TRUE(ev.score.owned) << ev.score.ownership_reason;
    uint64_t total = 0;
    for (const auto& [kind, n] : fx.by_kind) total += n;
    EXPECT_EQ(ev.score.records_total, total);
    EXPECT_EQ(bucket_sum(ev.score), total);
    EXPECT_GT(ev.score.accepted, 0u);
    EXPECT_EQ(ev.score.accepted, ev.score.unique);
    EXPECT_EQ(ev.refined_records, ev.score.accepted);
    EXPECT_EQ(lines(ev.refined_jsonl), ev.score.accepted);
    EXPECT_EQ(ev.accepted_keys.size(), ev.score.accepted);
  }
}

TEST(ProofContribution, OuraCarriesNoIdentitySoIsOwnedOnlyByPoolPolicy) {
  Fixture fx = make(Source::kOura, opts(4, "", 10));
  PoolIndex index;
  Evaluation strict = evaluate(Source::kOura, fx.zip, "anyone", index);
  EXPECT_TRUE(strict.score.authentic) << strict.score.authenticity_reason;
  EXPECT_FALSE(strict.score.owned);
  EXPECT_NE(strict.score.ownership_reason.find("no account identity"), std::string::npos);
  EXPECT_EQ(strict.score.unique, 30u);
  EXPECT_EQ(strict.score.accepted, 0u);
  EXPECT_TRUE(strict.refined_jsonl.empty());

  Evaluation lenient = evaluate(Source::kOura, fx.zip, "anyone", index, options(true));
  EXPECT_FALSE(lenient.score.owned);
  EXPECT_EQ(lenient.score.accepted, 30u);
  EXPECT_EQ(lines(lenient.refined_jsonl), 30u);
}

TEST(ProofContribution, ClaimedHandleOfAnotherAccountIsNotOwnedAndEarnsNothing) {
  for (Source source : {Source::kReddit, Source::kX, Source::kSpotify}) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture fx = make(source, opts(5, "real_owner", 10));
    PoolIndex index;
    Evaluation ev = evaluate(source, fx.zip, "@someone_else", index);
    EXPECT_TRUE(ev.score.authentic);
    EXPECT_FALSE(ev.score.owned);
    EXPECT_EQ(ev.score.ownership_reason, "the export's account is not the claimed handle");
    EXPECT_EQ(ev.score.ownership_reason.find("real_owner"), std::string::npos);
    EXPECT_GT(ev.score.unique, 0u);
    EXPECT_EQ(ev.score.accepted, 0u);
    EXPECT_TRUE(ev.refined_jsonl.empty());
    EXPECT_TRUE(ev.accepted_keys.empty());
  }
}

TEST(ProofContribution, SecondContributionOfTheSameExportEarnsNothing) {
  for (Source source : kAllSources) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture fx = make(source, opts(6, "twice", 12));
    PoolIndex index;
    Evaluation first = evaluate(source, fx.zip, "twice", index, options(true));
    ASSERT_GT(first.score.accepted, 0u);
    ASSERT_TRUE(add_to_index(index, first).ok());
    EXPECT_EQ(index.next_record_id, 1 + first.score.accepted);
    Evaluation second = evaluate(source, fx.zip, "twice", index, options(true));
    EXPECT_TRUE(second.score.authentic);
    EXPECT_EQ(second.score.accepted, 0u);
    EXPECT_EQ(second.score.exact_duplicates, first.score.accepted);
    EXPECT_TRUE(second.refined_jsonl.empty());
  }
}

TEST(ProofContribution, TextsCopiedFromAnotherUserAreDuplicates) {
  for (Source source : {Source::kReddit, Source::kX}) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture a = make(source, opts(7, "alice_a", 10));
    PoolIndex index;
    Evaluation ea = evaluate(source, a.zip, "alice_a", index);
    ASSERT_TRUE(add_to_index(index, ea).ok());
    // Copy texts that alice got accepted: the last three (a Reddit post text includes its title,
    // so copy comments, which follow the posts).
    std::vector<std::string> copied(a.texts.end() - 3, a.texts.end());
    if (source == Source::kReddit) copied.assign(a.texts.begin() + 10, a.texts.begin() + 13);
    Fixture b = make(source, with_copied_texts(opts(8, "bob_b", 10), copied));
    Evaluation eb = evaluate(source, b.zip, "bob_b", index);
    EXPECT_TRUE(eb.score.owned);
    // Reddit plants copies into messages; only those bob sent are his to contribute.
    auto imported = ingest::import_all(source, b.zip, "export.zip");
    ASSERT_TRUE(imported.ok());
    uint64_t own_copies = 0;
    for (const auto& r : imported->records) {
      bool copy = std::find(copied.begin(), copied.end(), r.text) != copied.end();
      own_copies += copy && r.author == "bob_b";
    }
    EXPECT_GT(own_copies, 0u);
    EXPECT_EQ(eb.score.exact_duplicates, own_copies);
    EXPECT_EQ(bucket_sum(eb.score), eb.score.records_total);
  }
}

// Texts sharing most of their character 5-grams with alice's (true Jaccard >= 0.85) are near
// duplicates, whether alice's text is in the pool or earlier in the same contribution.
TEST(ProofContribution, NearCopiesAreNearDuplicatesAcrossAndWithinContributions) {
  Fixture a = make(Source::kX, opts(9, "alice_a", 40));
  std::vector<std::string> near;
  for (const std::string& t : a.texts) {
    std::string changed = t + " indeed";
    auto na = normalize_text(t), nb = normalize_text(changed);
    if (exact_jaccard(shingles(*na), shingles(*nb)) >= 0.85) near.push_back(changed);
    if (near.size() == 3) break;
  }
  ASSERT_EQ(near.size(), 3u);
  PoolIndex index;
  Evaluation ea = evaluate(Source::kX, a.zip, "alice_a", index);
  ASSERT_TRUE(add_to_index(index, ea).ok());
  Fixture b = make(Source::kX, with_copied_texts(opts(10, "bob_b", 10), near));
  Evaluation eb = evaluate(Source::kX, b.zip, "bob_b", index);
  EXPECT_EQ(eb.score.near_duplicates, 3u);
  EXPECT_EQ(eb.score.exact_duplicates, 0u);

  // Within one contribution, nothing in the pool: a near copy and an exact copy ("!" is
  // punctuation, which normalisation drops) of earlier texts of the same export.
  const std::string long_text = a.texts[0] + " " + a.texts[1];
  const std::string other = a.texts[2] + " " + a.texts[3];
  Fixture c =
      make(Source::kX, with_copied_texts(opts(11, "carol_c", 10),
                                         {long_text, long_text + " indeed", other, other + "!"}));
  Evaluation ec = evaluate(Source::kX, c.zip, "carol_c", empty_pool());
  EXPECT_EQ(ec.score.near_duplicates, 1u);
  EXPECT_EQ(ec.score.exact_duplicates, 1u);
  EXPECT_EQ(ec.score.accepted, 8u);
}

TEST(ProofContribution, LowQualityTextsAreCountedWithTheirReason) {
  Fixture fx = make(Source::kX,
                    with_copied_texts(opts(12, "dora_d", 12),
                                      {"lol lol lol lol", "look https://a.example/x", "ok thanks",
                                       "[deleted]", "!!! ...", "buy buy buy buy now"}));
  Evaluation ev = evaluate(Source::kX, fx.zip, "dora_d", empty_pool());
  EXPECT_EQ(ev.score.empty, 1u);
  EXPECT_EQ(ev.score.low_quality, 5u);
  const std::map<std::string, uint64_t> expected = {
      {"deleted", 1}, {"mostly_urls", 1}, {"repetitive", 2}, {"too_short", 1}};
  EXPECT_EQ(ev.score.low_quality_reasons, expected);
  EXPECT_EQ(ev.score.accepted, 6u);
  EXPECT_EQ(ev.refined_jsonl.find("lol lol"), std::string::npos);
}

TEST(ProofContribution, RedditMessagesReceivedFromOthersAreNotTheContributors) {
  Fixture fx = make(Source::kReddit, opts(13, "erin_e", 20));
  auto imported = ingest::import_all(Source::kReddit, fx.zip, "export.zip");
  ASSERT_TRUE(imported.ok());
  uint64_t received = 0;
  for (const auto& r : imported->records) received += r.kind == ingest::RecordKind::kMessage && r.author != "erin_e";
  ASSERT_GT(received, 0u);
  ASSERT_LT(received, 20u);
  Evaluation ev = evaluate(Source::kReddit, fx.zip, "erin_e", empty_pool());
  EXPECT_EQ(ev.score.low_quality_reasons["received_message"], received);
  EXPECT_EQ(ev.score.accepted, 60u - received);
}

std::string spotify_extended_zip(const json& items) {
  auto zip = testkit::make_zip({{"MyData/Userdata.json", R"({"username":"fay_f"})"},
                               {"Streaming_History_Audio_2022_0.json", items.dump()}});
  EXPECT_TRUE(zip.ok());
  return *zip;
}

TEST(ProofContribution, SpotifyAndOuraQualityRules) {
  auto stream = [](int minute, uint64_t ms, const char* track) {
    json it = {{"ts", "2022-03-04T10:" + std::to_string(10 + minute) + ":00Z"},
               {"ms_played", ms},
               {"master_metadata_album_artist_name", "Velmira"}};
    if (track) it["master_metadata_track_name"] = track;
    return it;
  };
  json items = {stream(1, 180000, "Glass"), stream(2, 0, "Glass"), stream(3, 86400000, "Glass"),
                stream(4, 1000, nullptr), stream(5, 1000, "  ")};
  Evaluation sp = evaluate(Source::kSpotify, spotify_extended_zip(items), "fay_f", empty_pool());
  ASSERT_TRUE(sp.score.authentic) << sp.score.authenticity_reason;
  const std::map<std::string, uint64_t> sp_expected = {
      {"implausible_duration", 1}, {"no_track", 2}, {"not_played", 1}};
  EXPECT_EQ(sp.score.low_quality_reasons, sp_expected);
  EXPECT_EQ(sp.score.accepted, 1u);

  json sleep =
      json::array({{{"day", "2023-01-01"}, {"score", 80}, {"total_sleep_duration", 25000}},
                   {{"day", "2023-01-02"}, {"score", 150}},
                   {{"day", "2023-01-03"}, {"total_sleep_duration", -5}},
                   {{"day", "2023-01-04"}, {"lowest_heart_rate", 3}},
                   {{"day", "2023-01-05"}, {"score", "high"}},  // strings are dropped: no values
                   {{"day", "2023-01-06"}, {"note", "text only"}}});
  json activity = json::array({{{"day", "2023-01-01"}, {"steps", 9000}, {"total_calories", 2100}},
                               {{"day", "2023-01-02"}, {"steps", 900000}}});
  json readiness = json::array({{{"day", "2023-01-01"}, {"contributors", {{"hrv_balance", 101}}}}});
  auto zip = testkit::make_zip(
      {{"oura.json",
        json{{"sleep", sleep}, {"activity", activity}, {"readiness", readiness}}.dump()}});
  ASSERT_TRUE(zip.ok());
  Evaluation oura = evaluate(Source::kOura, *zip, "", empty_pool(), options(true));
  ASSERT_TRUE(oura.score.authentic) << oura.score.authenticity_reason;
  const std::map<std::string, uint64_t> oura_expected = {{"implausible_value", 5},
                                                         {"no_values", 2}};
  EXPECT_EQ(oura.score.low_quality_reasons, oura_expected);
  EXPECT_EQ(oura.score.accepted, 2u);
}

// The privacy promise: nothing planted as PII, no username, no export id or link survives into
// the refined records of any source.
TEST(ProofContribution, RefinedRecordsCarryNoPiiUsernameIdsOrLinks) {
  const std::vector<std::string> pii = {"jane.doe@example.org", "(555) 123-4567",
                                        "4111 1111 1111 1111",  "DE89 3704 0044 0532 0130 00",
                                        "203.0.113.77",         "my name is Jessica Alvarez",
                                        "+44 20 7946 0958",     "@jdoe_77"};
  for (Source source : kAllSources) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    for (bool extended : {false, true}) {
      if (extended && source != Source::kSpotify) continue;
      Fixture fx = make(
          source, with_spotify_extended(with_pii(opts(14, "Quillon_Vask", 16), pii), extended));
      Evaluation ev = evaluate(source, fx.zip, "quillon_vask", empty_pool(), options(true));
      ASSERT_GT(ev.score.accepted, 0u);
      const std::string& out = ev.refined_jsonl;
      std::string lower = out;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      EXPECT_EQ(lower.find("quillon"), std::string::npos) << out;
      for (const std::string& p : pii) EXPECT_EQ(out.find(p), std::string::npos) << p;
      for (const char* p : {"Jessica", "Alvarez", "jdoe_77", "7946", "example.org", "reddit.com",
                            "10.0.0.", "T00:00:00+00:00", "http"}) {
        EXPECT_EQ(out.find(p), std::string::npos) << p;
      }
      auto imported = ingest::import_all(source, fx.zip, "export.zip");
      ASSERT_TRUE(imported.ok());
      for (const auto& r : imported->records) {
        if (source == Source::kSpotify) break;  // its ids are the timestamp and track uri
        if (r.id.size() >= 6) {
          EXPECT_EQ(out.find(r.id), std::string::npos) << r.id;
        }
      }
      // Every line is a refined record of this source with a pseudonymous id.
      size_t pos = 0;
      while (pos < out.size()) {
        size_t end = out.find('\n', pos);
        json rec = json::parse(out.substr(pos, end - pos));
        pos = end + 1;
        EXPECT_EQ(rec["source"], ingest::source_name(source));
        EXPECT_EQ(rec["id"].get<std::string>().rfind("user_", 0), 0u);
        EXPECT_EQ(rec.value("author", std::string("user_")).rfind("user_", 0), 0u);
      }
    }
  }
}

TEST(ProofContribution, TimestampsAreCoarsenedPerSource) {
  const std::pair<Source, std::string> cases[] = {
      {Source::kReddit, R"("time":"20\d\d-\d\d-\d\dT\d\d:00Z")"},
      {Source::kX, R"("time":"20\d\d-\d\d-\d\dT\d\d:00Z")"},
      {Source::kSpotify, R"("time":"20\d\d-\d\d-\d\dT\d\d:\d\dZ")"},
      {Source::kOura, R"("time":"20\d\d-\d\d-\d\d")"}};
  for (const auto& [source, pattern] : cases) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture fx = make(source, opts(15, "gus_g", 5));
    Evaluation ev = evaluate(source, fx.zip, "gus_g", empty_pool(), options(true));
    ASSERT_GT(ev.score.accepted, 0u);
    std::string first_line = ev.refined_jsonl.substr(0, ev.refined_jsonl.find('\n'));
    EXPECT_TRUE(std::regex_search(first_line, std::regex(pattern))) << first_line;
  }
}

TEST(ProofContribution, IndexRebuiltFromRefinedBlobsGivesTheLiveVerdicts) {
  for (Source source : kAllSources) {
    SCOPED_TRACE(std::string(ingest::source_name(source)));
    Fixture a = make(source, opts(16, "alice_a", 15));
    Fixture b = make(source, opts(17, "bob_b", 15));
    PoolIndex live;
    std::vector<std::string> blobs;
    for (const Fixture* fx : {&a, &b}) {
      Evaluation ev = evaluate(source, fx->zip, fx->account_identity, live, options(true));
      ASSERT_GT(ev.score.accepted, 0u);
      ASSERT_TRUE(add_to_index(live, ev).ok());
      blobs.push_back(ev.refined_jsonl);
    }
    PoolIndex rebuilt;
    for (const std::string& blob : blobs) ASSERT_TRUE(add_refined_to_index(rebuilt, blob).ok());
    EXPECT_EQ(rebuilt.next_record_id, live.next_record_id);
    EXPECT_EQ(rebuilt.exact.size(), live.exact.size());
    EXPECT_EQ(rebuilt.near.size(), live.near.size());

    // A third export repeating alice's texts exactly and near, plus bob's whole export.
    std::vector<std::string> copies;
    for (size_t i = 15; i < 20 && i < a.texts.size(); ++i) {
      copies.push_back(a.texts[i]);
      copies.push_back(a.texts[i] + " indeed so");
    }
    Fixture c = make(source, with_copied_texts(opts(18, "carol_c", 15), copies));
    for (const Fixture* fx : {&a, &b, &c}) {
      Evaluation on_live = evaluate(source, fx->zip, fx->account_identity, live, options(true));
      Evaluation on_rebuilt =
          evaluate(source, fx->zip, fx->account_identity, rebuilt, options(true));
      EXPECT_EQ(on_live.score.exact_duplicates, on_rebuilt.score.exact_duplicates);
      EXPECT_EQ(on_live.score.near_duplicates, on_rebuilt.score.near_duplicates);
      EXPECT_EQ(on_live.score.accepted, on_rebuilt.score.accepted);
      EXPECT_EQ(on_live.refined_jsonl, on_rebuilt.refined_jsonl);
      if (fx != &c) {
        EXPECT_EQ(on_rebuilt.score.accepted, 0u);
      }
    }
    if (source == Source::kReddit || source == Source::kX) {
      Evaluation ec = evaluate(source, c.zip, "carol_c", rebuilt);
      EXPECT_GE(ec.score.exact_duplicates + ec.score.near_duplicates, copies.size() / 2);
    }
  }
}

TEST(ProofContribution, MalformedRefinedBlobIsRejectedNamingTheLine) {
  PoolIndex index;
  Status st =
      add_refined_to_index(index, "{\"source\":\"x\",\"text\":\"hello there world\"}\nnot json\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("refined line 2"), std::string::npos) << st.error().message;
  EXPECT_EQ(index.exact.size(), 1u);
  Status missing = add_refined_to_index(index, "{\"source\":\"reddit\"}");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("'text'"), std::string::npos);
}

// How many records MinHash over canonical rows would call near duplicates of earlier ones.
size_t minhash_hits(const std::string& refined_jsonl) {
  NearDuplicateIndex near;
  size_t hits = 0, n = 0;
  std::istringstream in(refined_jsonl);
  for (std::string line; std::getline(in, line);) {
    std::string canonical = structured_canonical(json::parse(line));
    auto matches = near.query(canonical, 0.8);
    EXPECT_TRUE(matches.ok());
    hits += matches.ok() && !matches->empty();
    EXPECT_TRUE(near.add(++n, canonical).ok());
  }
  return hits;
}

// The claim behind exact-only matching for structured records: MinHash over canonical rows
// rejects genuine, distinct records (consecutive Oura days with close values; the same song
// played in full on another day), while exact matching keeps them all.
TEST(ProofContribution, MinHashOnStructuredRowsWouldRejectGenuineRecords) {
  Fixture fx = make(Source::kOura, opts(19, "", 60));
  Evaluation oura = evaluate(Source::kOura, fx.zip, "", empty_pool(), options(true));
  ASSERT_EQ(oura.score.accepted, 180u);
  size_t oura_hits = minhash_hits(oura.refined_jsonl);
  std::cout << "oura: MinHash would reject " << oura_hits << " of 180 genuine days\n";
  EXPECT_GT(oura_hits, 0u);

  json items = json::array();
  for (int day = 1; day <= 5; ++day) {
    items.push_back({{"ts", "2022-03-0" + std::to_string(day) + "T10:11:00Z"},
                     {"ms_played", 180000},
                     {"master_metadata_track_name", "Glass"},
                     {"master_metadata_album_artist_name", "Velmira"}});
  }
  Evaluation spotify =
      evaluate(Source::kSpotify, spotify_extended_zip(items), "fay_f", empty_pool());
  ASSERT_EQ(spotify.score.accepted, 5u);
  EXPECT_EQ(minhash_hits(spotify.refined_jsonl), 4u);
}

TEST(ProofContribution, HandleTagIsKeyedAndIgnoresHandleSpelling) {
  Hash32 t = handle_tag(pool_key(), Source::kX, "@Zephyrine_Q");
  EXPECT_EQ(t, handle_tag(pool_key(), Source::kX, "zephyrine_q"));
  EXPECT_NE(t, handle_tag(pool_key(), Source::kX, "zephyrine_r"));
  EXPECT_NE(t, handle_tag(pool_key(), Source::kReddit, "zephyrine_q"));
  EXPECT_NE(t, handle_tag(pool_key(9), Source::kX, "zephyrine_q"));
  EXPECT_NE(t, crypto::blake2b256(crypto::as_bytes(std::string_view("zephyrine_q"))));
}

TEST(ProofContribution, SameAccountNormalisesButNeedsAnIdentity) {
  EXPECT_TRUE(same_account("Zephyrine_Q", "u/zephyrine_q"));
  EXPECT_TRUE(same_account("zephyrine_q", "@ZEPHYRINE_Q "));
  EXPECT_FALSE(same_account("zephyrine_q", "zephyrine"));
  EXPECT_FALSE(same_account("", ""));
}

TEST(ProofContribution, MissingClockIsAnError) {
  Fixture fx = make(Source::kX, opts(20, "", 3));
  EvaluateOptions o;  // now_unix unset
  auto r =
      evaluate_contribution(Source::kX, fx.zip, "x", o, empty_pool(), scrubber_for(Source::kX));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::proof
