#include "datadao/ingest/fixtures.hpp"

#include <zip.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

namespace datadao::ingest {
namespace {

// splitmix64: deterministic on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }

 private:
  uint64_t s_;
};

constexpr const char* kSyllables[] = {"ka",  "lo",  "mi",  "ten", "rus", "ba", "vel", "dor",
                                      "si",  "pan", "gri", "zo",  "fen", "tu", "mar", "el",
                                      "qui", "nor", "ash", "by",  "cor", "da", "wen", "ist"};
constexpr const char* kCommon[] = {"the", "a",   "I",  "think", "this", "is",    "really", "and",
                                   "but", "not", "my", "with",  "for",  "today", "just",   "very"};

std::string word(Rng& rng) {
  if (rng.below(3) == 0) return kCommon[rng.below(std::size(kCommon))];
  std::string w;
  size_t n = 2 + rng.below(2);
  for (size_t i = 0; i < n; ++i) w += kSyllables[rng.below(std::size(kSyllables))];
  return w;
}

std::string sentence(Rng& rng, size_t min_words, size_t max_words) {
  size_t n = min_words + rng.below(max_words - min_words + 1);
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += word(rng);
  }
  return s;
}

std::string hex_id(Rng& rng, size_t len) {
  static const char* kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (size_t i = 0; i < len; ++i) s += kDigits[rng.below(36)];
  return s;
}

std::string digits(Rng& rng, size_t len) {
  std::string s(1, static_cast<char>('1' + rng.below(9)));
  while (s.size() < len) s += static_cast<char>('0' + rng.below(10));
  return s;
}

std::string format_time(int64_t t, const char* fmt) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

// Produces the free texts of one export, planting duplicates, copies and PII as asked.
class TextPlan {
 public:
  // Duplicates copy texts from [copy_from, ...) (Reddit posts prefix their title, so their
  // texts would not repeat exactly). PII goes in first so that copies of it are copies too.
  TextPlan(const FixtureOptions& o, Rng& rng, size_t total, size_t copy_from = 0) {
    for (size_t i = 0; i < total; ++i) texts_.push_back(sentence(rng, 8, 30));
    for (size_t i = 0; i < o.pii.size() && total > 0; ++i) {
      std::string& t = texts_[(copy_from + i) % total];
      size_t sp = t.find(' ');
      t.insert(sp == std::string::npos ? t.size() : sp, " " + o.pii[i] + " ");
    }
    // The last `planted` texts are replaced; copies only come from texts that stay original.
    size_t room = total > copy_from + 1 ? total - copy_from - 1 : 0;
    size_t planted = std::min(room, o.duplicates + o.near_duplicates + o.copied_texts.size());
    size_t originals = total - planted;
    size_t slot = originals;
    auto take = [&]() -> std::string* { return slot < total ? &texts_[slot++] : nullptr; };
    auto source = [&]() -> const std::string& {
      return texts_[copy_from + rng.below(originals - copy_from)];
    };
    for (size_t i = 0; i < o.duplicates; ++i) {
      if (std::string* t = take()) *t = source();
    }
    for (size_t i = 0; i < o.near_duplicates; ++i) {
      if (std::string* t = take()) {
        std::string base = source();
        size_t sp = base.rfind(' ');
        *t = (sp == std::string::npos ? base : base.substr(0, sp)) + " " + word(rng) + "x";
      }
    }
    for (const auto& c : o.copied_texts) {
      if (std::string* t = take()) *t = c;
    }
  }
  const std::string& at(size_t i) const { return texts_[i]; }

 private:
  std::vector<std::string> texts_;
};

std::string username_for(const FixtureOptions& o, Rng& rng) {
  return o.username.empty() ? "user_" + hex_id(rng, 6) : o.username;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) row += ',';
    row += csv_field(fields[i]);
  }
  return row + "\r\n";  // Reddit's exports use CRLF (Python csv default)
}

}  // namespace

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Result<std::string> make_zip(const std::vector<ZipFileSpec>& files) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (out == nullptr) return make_error(ErrorCode::kInternal, "zip: cannot create buffer");
  zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    zip_source_free(out);
    return make_error(ErrorCode::kInternal, std::string("zip: ") + zip_error_strerror(&err));
  }
  zip_source_keep(out);
  for (const auto& f : files) {
    zip_source_t* s = zip_source_buffer(za, f.data.data(), f.data.size(), 0);
    zip_int64_t idx = s ? zip_file_add(za, f.name.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (s) zip_source_free(s);
      std::string why = zip_strerror(za);
      zip_discard(za);
      zip_source_free(out);
      return make_error(ErrorCode::kInternal, "zip: cannot add '" + f.name + "': " + why);
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx),
                             f.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
  }
  if (zip_close(za) != 0) {
    std::string why = zip_strerror(za);
    zip_discard(za);
    zip_source_free(out);
    return make_error(ErrorCode::kInternal, "zip: cannot finish archive: " + why);
  }
  std::string bytes;
  zip_stat_t st;
  if (zip_source_open(out) != 0 || zip_source_stat(out, &st) != 0) {
    zip_source_free(out);
    return make_error(ErrorCode::kInternal, "zip: cannot read the built archive");
  }
  bytes.resize(st.size);
  zip_int64_t n = zip_source_read(out, bytes.data(), bytes.size());
  zip_source_close(out);
  zip_source_free(out);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
    return make_error(ErrorCode::kInternal, "zip: short read of the built archive");
  }
  return bytes;
}

Result<Fixture> make_reddit_export(const FixtureOptions& o) {
  Rng rng(o.seed ^ 0x5265646469740000ull);
  Fixture fx;
  fx.account_identity = username_for(o, rng);
  const size_t n = o.records;
  TextPlan plan(o, rng, 3 * n, n);
  int64_t t = 1577836800 + static_cast<int64_t>(rng.below(86400 * 365));
  auto next_date = [&]() {
    t += 60 + static_cast<int64_t>(rng.below(86400 * 3));
    return format_time(t, "%Y-%m-%d %H:%M:%S UTC");
  };
  auto ip = [&]() {
    return std::to_string(rng.below(223) + 1) + "." + std::to_string(rng.below(256)) + "." +
           std::to_string(rng.below(256)) + "." + std::to_string(rng.below(256));
  };
  const char* kSubs[] = {"cpp", "AskReddit", "running", "Cooking", "datascience", "books"};
  std::string extra_h = o.extra_columns ? ",score_hidden_2031" : "";
  std::string extra_v = o.extra_columns ? ",x" : "";
  auto with_extra = [&](std::string row) {
    if (!o.extra_columns) return row;
    row.resize(row.size() - 2);
    return row + extra_v + "\r\n";
  };

  std::string posts = "id,permalink,date,ip,subreddit,gildings,title,url,body" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    std::string id = hex_id(rng, 6), sub = kSubs[rng.below(std::size(kSubs))];
    std::string title = sentence(rng, 3, 9);
    std::string permalink = "https://www.reddit.com/r/" + sub + "/comments/" + id + "/";
    const std::string& body = plan.at(i);
    fx.texts.push_back(title + "\n\n" + body);
    posts +=
        with_extra(csv_row({id, permalink, next_date(), ip(), sub, "0", title, permalink, body}));
  }
  std::string comments =
      "id,permalink,date,ip,subreddit,gildings,link,parent,body,media" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    std::string id = hex_id(rng, 7), sub = kSubs[rng.below(std::size(kSubs))];
    std::string link = "https://www.reddit.com/r/" + sub + "/comments/" + hex_id(rng, 6) + "/";
    const std::string& body = plan.at(n + i);
    fx.texts.push_back(body);
    comments += with_extra(csv_row({id, link + "comment/" + id + "/", next_date(), ip(), sub, "0",
                                    link, "t1_" + hex_id(rng, 7), body, ""}));
  }
  std::string messages = "id,permalink,thread_id,date,ip,from,to,subject,body" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    std::string id = hex_id(rng, 6), other = "user_" + hex_id(rng, 6);
    bool sent = rng.below(2) == 0;
    const std::string& body = plan.at(2 * n + i);
    fx.texts.push_back(body);
    messages +=
        with_extra(csv_row({id, "https://www.reddit.com/message/messages/" + id, "", next_date(),
                            ip(), sent ? fx.account_identity : other,
                            sent ? other : fx.account_identity, sentence(rng, 1, 4), body}));
  }
  std::string stats = "statistic,value\r\naccount name," + fx.account_identity +
                      "\r\nexport time," + format_time(t + 86400, "%Y-%m-%d %H:%M:%S UTC") +
                      "\r\nis_deleted,False\r\n";
  fx.by_kind = {{"post", n}, {"comment", n}, {"message", n}};
  DD_ASSIGN(fx.zip, make_zip({{"statistics.csv", stats},
                              {"posts.csv", posts},
                              {"comments.csv", comments},
                              {"messages.csv", messages},
                              {"subscribed_subreddits.csv", "subreddit\r\ncpp\r\n"}}));
  return fx;
}

Result<Fixture> make_x_export(const FixtureOptions& o) {
  Rng rng(o.seed ^ 0x5800000000000000ull);
  Fixture fx;
  fx.account_identity = username_for(o, rng);
  TextPlan plan(o, rng, o.records);
  std::string account_id = digits(rng, 18);
  int64_t t = 1514764800 + static_cast<int64_t>(rng.below(86400 * 365));
  nlohmann::json account = {{"account",
                             {{"email", fx.account_identity + "@example.org"},
                              {"createdVia", "web"},
                              {"username", fx.account_identity},
                              {"accountId", account_id},
                              {"createdAt", format_time(t - 86400 * 30, "%Y-%m-%dT%H:%M:%S.000Z")},
                              {"accountDisplayName", "Synthetic " + fx.account_identity}}}};
  std::vector<ZipFileSpec> files;
  files.push_back({"data/manifest.js",
                   "window.__THAR_CONFIG = {\n  \"userInfo\" : {\n    "
                   "\"accountId\" : \"" +
                       account_id + "\"\n  }\n}"});
  files.push_back({"data/account.js",
                   "window.YTD.account.part0 = " + nlohmann::json::array({account}).dump(2)});
  size_t per_part = o.tweets_per_part ? o.tweets_per_part : std::max<size_t>(o.records, 1);
  size_t part = 0;
  for (size_t start = 0; start < o.records || (start == 0 && part == 0); start += per_part) {
    nlohmann::json items = nlohmann::json::array();
    for (size_t i = start; i < std::min(o.records, start + per_part); ++i) {
      t += 60 + static_cast<int64_t>(rng.below(86400 * 2));
      std::string id = digits(rng, 19);
      const std::string& text = plan.at(i);
      fx.texts.push_back(text);
      nlohmann::json tweet = {
          {"edit_info", {{"initial", {{"editTweetIds", {id}}, {"editsRemaining", "5"}}}}},
          {"retweeted", false},
          {"source", "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>"},
          {"entities", {{"hashtags", nlohmann::json::array()}, {"urls", nlohmann::json::array()}}},
          {"display_text_range", {"0", std::to_string(text.size())}},
          {"favorite_count", std::to_string(rng.below(50))},
          {"id_str", id},
          {"truncated", false},
          {"retweet_count", std::to_string(rng.below(10))},
          {"id", id},
          {"created_at", format_time(t, "%a %b %d %H:%M:%S +0000 %Y")},
          {"favorited", false},
          {"full_text", text},
          {"lang", "en"}};
      if (o.extra_columns) tweet["future_field_2031"] = {{"nested", true}};
      items.push_back({{"tweet", tweet}});
    }
    std::string name =
        part == 0 ? "data/tweets.js" : "data/tweets-part" + std::to_string(part) + ".js";
    files.push_back(
        {name, "window.YTD.tweets.part" + std::to_string(part) + " = " + items.dump(2)});
    ++part;
    if (o.records == 0) break;
  }
  fx.by_kind = {{"tweet", o.records}};
  DD_ASSIGN(fx.zip, make_zip(files));
  return fx;
}

Result<Fixture> make_spotify_export(const FixtureOptions& o) {
  Rng rng(o.seed ^ 0x5370000000000000ull);
  Fixture fx;
  fx.account_identity = username_for(o, rng);
  const char* kArtists[] = {"Velmira", "The Kastor Lines", "Dorn Ash", "Quiet Fenwick",
                            "Marisol Tu"};
  int64_t t = 1640995200 + static_cast<int64_t>(rng.below(86400 * 365));
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = 0; i < o.records; ++i) {
    t += 120 + static_cast<int64_t>(rng.below(3600));
    std::string artist = kArtists[rng.below(std::size(kArtists))];
    std::string track = sentence(rng, 1, 4);
    uint64_t ms = 1000 + rng.below(300000);
    nlohmann::json it;
    if (o.spotify_extended) {
      it = {{"ts", format_time(t, "%Y-%m-%dT%H:%M:%SZ")},
            {"username", fx.account_identity},
            {"platform", "Android OS 12 API 31 (Google, Pixel 6)"},
            {"ms_played", ms},
            {"conn_country", "DE"},
            {"ip_addr_decrypted", "10.0.0." + std::to_string(rng.below(250) + 1)},
            {"user_agent_decrypted", "unknown"},
            {"master_metadata_track_name", track},
            {"master_metadata_album_artist_name", artist},
            {"master_metadata_album_album_name", sentence(rng, 1, 3)},
            {"spotify_track_uri", "spotify:track:" + hex_id(rng, 22)},
            {"episode_name", nullptr},
            {"episode_show_name", nullptr},
            {"spotify_episode_uri", nullptr},
            {"reason_start", "trackdone"},
            {"reason_end", "trackdone"},
            {"shuffle", rng.below(2) == 0},
            {"skipped", false},
            {"offline", false},
            {"offline_timestamp", 0},
            {"incognito_mode", false}};
    } else {
      it = {{"endTime", format_time(t, "%Y-%m-%d %H:%M")},
            {"artistName", artist},
            {"trackName", track},
            {"msPlayed", ms}};
    }
    if (o.extra_columns) it["future_field_2031"] = "x";
    items.push_back(it);
  }
  nlohmann::json user = {{"username", fx.account_identity},
                         {"email", fx.account_identity + "@example.org"},
                         {"country", "DE"},
                         {"creationTime", "2016-05-01"}};
  std::string history =
      o.spotify_extended ? "Spotify Extended Streaming History/Streaming_History_Audio_2022_0.json"
                         : "MyData/StreamingHistory_music_0.json";
  fx.by_kind = {{"stream", o.records}};
  DD_ASSIGN(fx.zip, make_zip({{"MyData/Userdata.json", user.dump(2)},
                              {history, items.dump(2)},
                              {"MyData/Identity.json", "{\"displayName\":\"x\"}"}}));
  return fx;
}

Result<Fixture> make_oura_export(const FixtureOptions& o) {
  Rng rng(o.seed ^ 0x4F75726100000000ull);
  Fixture fx;
  int64_t day = 1672531200 + static_cast<int64_t>(rng.below(365)) * 86400;
  nlohmann::json sleep = nlohmann::json::array(), readiness = nlohmann::json::array(),
                 activity = nlohmann::json::array();
  for (size_t i = 0; i < o.records; ++i, day += 86400) {
    std::string d = format_time(day, "%Y-%m-%d");
    auto id = [&] {
      return hex_id(rng, 8) + "-" + hex_id(rng, 4) + "-" + hex_id(rng, 4) + "-" + hex_id(rng, 12);
    };
    nlohmann::json s = {{"id", id()},
                        {"day", d},
                        {"score", 55 + rng.below(45)},
                        {"total_sleep_duration", 18000 + rng.below(14400)},
                        {"efficiency", 70 + rng.below(29)},
                        {"average_heart_rate", 48.0 + static_cast<double>(rng.below(200)) / 10},
                        {"lowest_heart_rate", 40 + rng.below(15)},
                        {"timestamp", d + "T00:00:00+00:00"}};
    nlohmann::json r = {
        {"id", id()},
        {"day", d},
        {"score", 50 + rng.below(50)},
        {"temperature_deviation", static_cast<double>(rng.below(100)) / 100 - 0.5},
        {"contributors",
         {{"hrv_balance", 50 + rng.below(50)}, {"resting_heart_rate", 50 + rng.below(50)}}},
        {"timestamp", d + "T00:00:00+00:00"}};
    nlohmann::json a = {{"id", id()},
                        {"day", d},
                        {"score", 40 + rng.below(60)},
                        {"steps", 2000 + rng.below(15000)},
                        {"active_calories", 100 + rng.below(900)},
                        {"total_calories", 1800 + rng.below(1500)},
                        {"timestamp", d + "T04:00:00+00:00"}};
    if (o.extra_columns) s["future_field_2031"] = 1;
    sleep.push_back(s);
    readiness.push_back(r);
    activity.push_back(a);
  }
  nlohmann::json doc = {{"sleep", sleep}, {"readiness", readiness}, {"activity", activity}};
  fx.by_kind = {{"sleep", o.records}, {"readiness", o.records}, {"activity", o.records}};
  DD_ASSIGN(fx.zip, make_zip({{"oura_data.json", doc.dump(2)}}));
  return fx;
}

}  // namespace datadao::ingest
