#include "datadao/testing/fixtures.hpp"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "fixture_text.hpp"

namespace datadao::testkit {
namespace {

using text::Rng;

constexpr int64_t kDay = 86400;
// Recent mode (realistic_text or person_seed): records span the days before kFixtureRecentEnd.
constexpr int64_t kRecentSpanDays = 730;
constexpr int64_t kOuraLaunch = 1420070400;  // 2015-01-01, the validator's earliest Oura day

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
  TextPlan(const FixtureOptions& o, Rng& rng, std::vector<std::string> texts, size_t copy_from = 0)
      : texts_(std::move(texts)) {
    const size_t total = texts_.size();
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
        std::string changed = o.realistic_text ? text::plain_word(rng) : word(rng) + "x";
        *t = (sp == std::string::npos ? base : base.substr(0, sp)) + " " + changed;
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

// The default mode's texts: syllable sentences of 8 to 30 words.
std::vector<std::string> gibberish_texts(Rng& rng, size_t count) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < count; ++i) texts.push_back(sentence(rng, 8, 30));
  return texts;
}

// `count` sorted times in the `span_days` days before kFixtureRecentEnd.
std::vector<int64_t> recent_times(Rng& rng, size_t count, int64_t span_days) {
  std::vector<int64_t> times;
  const int64_t start = kFixtureRecentEnd - span_days * kDay;
  for (size_t i = 0; i < count; ++i) {
    times.push_back(start +
                    static_cast<int64_t>(rng.below(static_cast<uint64_t>(span_days * kDay))));
  }
  std::sort(times.begin(), times.end());
  return times;
}

// The person behind Oura and Spotify exports made with a person_seed (see fixtures.hpp): a few
// latent traits, and per day values that depend only on (person_seed, date), so two exports of
// the same person agree on every day they share.
struct Person {
  double mean_score;     // the sleep score the person returns to
  double late_share;     // share of evenings with late listening
  double steps_mean;     // typical daily steps
  double resting_hr;     // beats per minute
  uint64_t day_streams;  // typical daytime streams per day
  int64_t last_day;      // start (00:00 UTC) of the last day of the person's exports
};

Person person_for(uint64_t person_seed) {
  Rng r(person_seed ^ 0x506572736f6e0000ull);
  Person p{};
  p.mean_score = 66 + 18 * r.uniform();
  p.late_share = 0.1 + 0.35 * r.uniform();
  p.steps_mean = 5000 + 6000 * r.uniform();
  p.resting_hr = 48 + 14 * r.uniform();
  p.day_streams = 1 + r.below(6);
  p.last_day = kFixtureRecentEnd - kDay * static_cast<int64_t>(1 + r.below(21));
  return p;
}

// A day's own random stream (Oura noise, Spotify plays), keyed by the person and the date.
Rng day_rng(uint64_t person_seed, int64_t day, uint64_t purpose) {
  return Rng(person_seed ^ (static_cast<uint64_t>(day / kDay) * 0xD1B54A32D192ED03ull) ^ purpose);
}

struct PersonDay {
  int64_t day = 0;           // 00:00 UTC
  int64_t late_minutes = 0;  // listened from 22:00 to midnight this evening
  int64_t steps = 0;         // this day
  int64_t score = 0;         // sleep score of the night that ends this morning
  int64_t late_before = 0;   // late_minutes of the evening before
};

// The last `count` days of the person, oldest first. The score recursion starts 30 days before
// the first day so that the first day's score does not depend on `count` (0.5^30 ~ 1e-9).
Result<std::vector<PersonDay>> person_days(uint64_t person_seed, size_t count) {
  const Person p = person_for(person_seed);
  const int64_t first = p.last_day - static_cast<int64_t>(count) * kDay + kDay;
  if (count > 0 && first < kOuraLaunch) {
    return make_error(ErrorCode::kInvalidArgument,
                      "fixture: " + std::to_string(count) +
                          " days of a person do not fit after 2015-01-01 (Oura's first data)");
  }
  std::vector<PersonDay> days;
  double score = 0;
  int64_t late = 0, steps = 0;
  for (int64_t d = first - 30 * kDay; d <= p.last_day && count > 0; d += kDay) {
    Rng r = day_rng(person_seed, d, 0x536c656570000000ull);
    double noise = 3 * r.gauss();
    if (d == first - 30 * kDay) {
      score = p.mean_score + noise;
    } else {
      score = p.mean_score + 0.5 * (score - p.mean_score) -
              kFixtureLateMinutePenalty * static_cast<double>(late) +
              kFixtureStepsPer1000Bonus * (static_cast<double>(steps) - 8000) / 1000 + noise;
    }
    score = std::clamp(std::round(score), 0.0, 100.0);
    const int64_t late_before = late;
    late = r.uniform() < p.late_share ? 20 + static_cast<int64_t>(r.below(96)) : 0;
    steps = std::clamp<int64_t>(std::llround(p.steps_mean + 2500 * r.gauss()), 500, 30000);
    if (d >= first) {
      days.push_back({d, late, steps, static_cast<int64_t>(score), late_before});
    }
  }
  return days;
}

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
  // Realistic texts, their subreddits and dates come from a stream of their own, drawn first.
  struct Written {
    size_t sub = 0;
    std::string title;  // posts: title; messages: subject
    bool sent = true;
  };
  std::vector<Written> written(3 * n);
  std::vector<std::string> texts;
  std::vector<int64_t> times[3];
  if (o.realistic_text) {
    Rng text_rng(o.seed ^ 0x5265616c52656464ull);
    for (size_t i = 0; i < 3 * n; ++i) {
      Written& w = written[i];
      w.sub = text_rng.below(text::reddit_subreddit_count());
      if (i < n) {
        w.title = text::reddit_post_title(text_rng, w.sub);
        texts.push_back(text::reddit_post_body(text_rng, w.sub));
      } else if (i < 2 * n) {
        texts.push_back(text::reddit_comment(text_rng, w.sub));
      } else {
        w.sent = text_rng.below(4) != 0;  // received messages are someone else's words
        w.title = text::reddit_message_subject(text_rng, w.sub);
        texts.push_back(text::reddit_message(text_rng, w.sub, w.sent));
      }
    }
    for (auto& kind_times : times) kind_times = recent_times(text_rng, n, kRecentSpanDays);
  } else {
    texts = gibberish_texts(rng, 3 * n);
  }
  TextPlan plan(o, rng, std::move(texts), n);
  int64_t t = 1577836800 + static_cast<int64_t>(rng.below(86400 * 365));
  auto next_date = [&](size_t kind, size_t i) {
    if (o.realistic_text) {
      t = times[kind][i];
    } else {
      t += 60 + static_cast<int64_t>(rng.below(86400 * 3));
    }
    return format_time(t, "%Y-%m-%d %H:%M:%S UTC");
  };
  auto ip = [&]() {
    // One draw per statement, the last octet first: the order the fixtures' contents were
    // recorded in (by g++ from one expression whose operands are unsequenced).
    const uint64_t d = rng.below(256), c = rng.below(256), b = rng.below(256);
    const uint64_t a = rng.below(223) + 1;
    return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
           std::to_string(d);
  };
  const char* kSubs[] = {"cpp", "AskReddit", "running", "Cooking", "datascience", "books"};
  auto subreddit = [&](size_t i) {
    return o.realistic_text ? std::string(text::reddit_subreddit(written[i].sub))
                            : std::string(kSubs[rng.below(std::size(kSubs))]);
  };
  std::string extra_h = o.extra_columns ? ",score_hidden_2031" : "";
  std::string extra_v = o.extra_columns ? ",x" : "";
  auto with_extra = [&](std::string row) {
    if (!o.extra_columns) return row;
    row.resize(row.size() - 2);
    return row + extra_v + "\r\n";
  };

  std::string posts = "id,permalink,date,ip,subreddit,gildings,title,url,body" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    std::string id = hex_id(rng, 6), sub = subreddit(i);
    std::string title = o.realistic_text ? written[i].title : sentence(rng, 3, 9);
    std::string permalink = "https://www.reddit.com/r/" + sub + "/comments/" + id + "/";
    const std::string& body = plan.at(i);
    fx.texts.push_back(title + "\n\n" + body);
    posts += with_extra(
        csv_row({id, permalink, next_date(0, i), ip(), sub, "0", title, permalink, body}));
  }
  std::string comments =
      "id,permalink,date,ip,subreddit,gildings,link,parent,body,media" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    std::string id = hex_id(rng, 7), sub = subreddit(n + i);
    std::string link = "https://www.reddit.com/r/" + sub + "/comments/" + hex_id(rng, 6) + "/";
    const std::string& body = plan.at(n + i);
    fx.texts.push_back(body);
    comments += with_extra(csv_row({id, link + "comment/" + id + "/", next_date(1, i), ip(), sub,
                                    "0", link, "t1_" + hex_id(rng, 7), body, ""}));
  }
  std::string messages = "id,permalink,thread_id,date,ip,from,to,subject,body" + extra_h + "\r\n";
  for (size_t i = 0; i < n; ++i) {
    const Written& w = written[2 * n + i];
    std::string id = hex_id(rng, 6), other = "user_" + hex_id(rng, 6);
    bool sent = o.realistic_text ? w.sent : rng.below(2) == 0;
    const std::string& body = plan.at(2 * n + i);
    fx.texts.push_back(body);
    std::string date = next_date(2, i), from_ip = ip();
    std::string subject = o.realistic_text ? w.title : sentence(rng, 1, 4);
    messages += with_extra(csv_row({id, "https://www.reddit.com/message/messages/" + id, "", date,
                                    from_ip, sent ? fx.account_identity : other,
                                    sent ? other : fx.account_identity, subject, body}));
  }
  const int64_t export_time = o.realistic_text ? kFixtureRecentEnd : t + 86400;
  std::string stats = "statistic,value\r\naccount name," + fx.account_identity +
                      "\r\nexport time," + format_time(export_time, "%Y-%m-%d %H:%M:%S UTC") +
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
  std::vector<std::string> texts;
  std::vector<int64_t> times;
  if (o.realistic_text) {
    Rng text_rng(o.seed ^ 0x5265616c58000000ull);
    for (size_t i = 0; i < o.records; ++i) texts.push_back(text::tweet(text_rng));
    times = recent_times(text_rng, o.records, kRecentSpanDays);
  } else {
    texts = gibberish_texts(rng, o.records);
  }
  TextPlan plan(o, rng, std::move(texts));
  std::string account_id = digits(rng, 18);
  int64_t t = 1514764800 + static_cast<int64_t>(rng.below(86400 * 365));
  if (o.realistic_text) t = kFixtureRecentEnd - kRecentSpanDays * kDay;
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
      if (o.realistic_text) {
        t = times[i];
      } else {
        t += 60 + static_cast<int64_t>(rng.below(86400 * 2));
      }
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
  const bool realistic = o.realistic_text || o.person_seed != 0;
  // Recent modes decide every play's end time and duration first.
  struct Play {
    int64_t end;
    uint64_t ms;
  };
  std::vector<Play> plays;
  if (o.person_seed != 0) {
    const Person person = person_for(o.person_seed);
    DD_ASSIGN(auto days, person_days(o.person_seed, o.records));
    for (const PersonDay& d : days) {
      Rng r = day_rng(o.person_seed, d.day, 0x53706f7469667900ull);
      // Daytime: a session starting between 07:00 and 18:00, every play ending before 22:00.
      int64_t at = d.day + 7 * 3600 + static_cast<int64_t>(r.below(11 * 3600));
      for (uint64_t k = 0, n = r.below(2 * person.day_streams + 1); k < n; ++k) {
        uint64_t secs = 30 + r.below(270);
        at += static_cast<int64_t>(secs + 60 * r.below(90));
        if (at >= d.day + 22 * 3600 - 60) break;
        plays.push_back({at, secs * 1000});
      }
      // Late: late_minutes of plays in one session from 22:00 + offset, all ending before 24:00.
      int64_t left = d.late_minutes * 60;
      at = d.day + 22 * 3600 +
           60 * static_cast<int64_t>(
                    r.below(static_cast<uint64_t>(std::max<int64_t>(1, 118 - d.late_minutes))));
      while (left > 0) {
        int64_t secs = std::min<int64_t>(left, 150 + static_cast<int64_t>(r.below(130)));
        at += secs;
        left -= secs;
        plays.push_back({at, static_cast<uint64_t>(secs) * 1000});
      }
    }
  } else if (o.realistic_text) {
    Rng time_rng(o.seed ^ 0x5265616c53706f74ull);
    int64_t span = std::max<int64_t>(30, static_cast<int64_t>(o.records / 20) + 1);
    for (int64_t end : recent_times(time_rng, o.records, span)) {
      plays.push_back({end, 30000 + time_rng.below(270000)});
    }
  }
  const size_t count = realistic ? plays.size() : o.records;
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = 0; i < count; ++i) {
    if (realistic) {
      t = plays[i].end;
    } else {
      t += 120 + static_cast<int64_t>(rng.below(3600));
    }
    std::string artist =
        realistic ? text::artist_name(rng) : kArtists[rng.below(std::size(kArtists))];
    std::string track = realistic ? text::track_name(rng) : sentence(rng, 1, 4);
    uint64_t ms = realistic ? plays[i].ms : 1000 + rng.below(300000);
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
            {"master_metadata_album_album_name",
             realistic ? text::album_name(rng) : sentence(rng, 1, 3)},
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
  fx.by_kind = {{"stream", count}};
  DD_ASSIGN(fx.zip, make_zip({{"MyData/Userdata.json", user.dump(2)},
                              {history, items.dump(2)},
                              {"MyData/Identity.json", "{\"displayName\":\"x\"}"}}));
  return fx;
}

namespace {

// One day of an Oura export: the values of its sleep, readiness and activity records.
struct OuraDay {
  std::string sleep_id, readiness_id, activity_id;
  uint64_t sleep_score, total_sleep_duration, efficiency, lowest_heart_rate;
  double average_heart_rate;
  uint64_t readiness_score, hrv_balance, resting_heart_rate;
  double temperature_deviation;
  uint64_t activity_score, steps, active_calories, total_calories;
};

// The groups are drawn last to first, one per statement (see ip() in make_reddit_export).
std::string oura_id(Rng& rng) {
  const std::string e = hex_id(rng, 12), d = hex_id(rng, 4), c = hex_id(rng, 4);
  return hex_id(rng, 8) + "-" + c + "-" + d + "-" + e;
}

// The default mode: independent noise, drawn in the order the default bytes depend on.
OuraDay noise_day(Rng& rng) {
  OuraDay v;
  v.sleep_id = oura_id(rng);
  v.sleep_score = 55 + rng.below(45);
  v.total_sleep_duration = 18000 + rng.below(14400);
  v.efficiency = 70 + rng.below(29);
  v.average_heart_rate = 48.0 + static_cast<double>(rng.below(200)) / 10;
  v.lowest_heart_rate = 40 + rng.below(15);
  v.readiness_id = oura_id(rng);
  v.readiness_score = 50 + rng.below(50);
  v.temperature_deviation = static_cast<double>(rng.below(100)) / 100 - 0.5;
  v.hrv_balance = 50 + rng.below(50);
  v.resting_heart_rate = 50 + rng.below(50);
  v.activity_id = oura_id(rng);
  v.activity_score = 40 + rng.below(60);
  v.steps = 2000 + rng.below(15000);
  v.active_calories = 100 + rng.below(900);
  v.total_calories = 1800 + rng.below(1500);
  return v;
}

uint64_t clamp_round(double v, double lo, double hi) {
  return static_cast<uint64_t>(std::clamp(std::round(v), lo, hi));
}

// person_seed mode: the sleep score and steps of the person's day, the rest consistent with them.
OuraDay person_day(Rng& ids, const Person& p, const PersonDay& d, uint64_t person_seed) {
  Rng r = day_rng(person_seed, d.day, 0x4f75726144617900ull);
  const double score = static_cast<double>(d.score);
  const double late = static_cast<double>(d.late_before);
  OuraDay v;
  v.sleep_id = oura_id(ids);
  v.readiness_id = oura_id(ids);
  v.activity_id = oura_id(ids);
  v.sleep_score = static_cast<uint64_t>(d.score);
  v.total_sleep_duration =
      clamp_round(25200 + 240 * (score - 75) - 30 * late + 1200 * r.gauss(), 10800, 39600);
  v.efficiency = clamp_round(86 + 0.3 * (score - 75) + 3 * r.gauss(), 55, 99);
  v.average_heart_rate = std::round((p.resting_hr + 6 + 0.03 * late + r.gauss()) * 10) / 10;
  v.lowest_heart_rate = clamp_round(p.resting_hr + 1.5 * r.gauss(), 35, 90);
  v.readiness_score = clamp_round(0.6 * score + 0.4 * p.mean_score + 4 * r.gauss(), 0, 100);
  v.temperature_deviation = std::round(20 * r.gauss()) / 100;
  v.hrv_balance = clamp_round(0.5 * score + 35 + 6 * r.gauss(), 0, 100);
  v.resting_heart_rate = clamp_round(130 - p.resting_hr + 4 * r.gauss(), 0, 100);
  const double steps = static_cast<double>(d.steps);
  v.steps = static_cast<uint64_t>(d.steps);
  v.activity_score = clamp_round(45 + steps / 300 + 4 * r.gauss(), 0, 100);
  v.active_calories = clamp_round(steps * 0.045 + 60 * r.gauss(), 30, 3000);
  v.total_calories = v.active_calories + clamp_round(1650 + 150 * r.gauss(), 1200, 2400);
  return v;
}

}  // namespace

Result<Fixture> make_oura_export(const FixtureOptions& o) {
  Rng rng(o.seed ^ 0x4F75726100000000ull);
  Fixture fx;
  int64_t day = 1672531200 + static_cast<int64_t>(rng.below(365)) * 86400;
  std::vector<PersonDay> person;
  if (o.person_seed != 0) {
    DD_ASSIGN(person, person_days(o.person_seed, o.records));
    if (!person.empty()) day = person.front().day;
  } else if (o.realistic_text) {
    day = kFixtureRecentEnd - static_cast<int64_t>(o.records) * kDay;
    if (o.records > 0 && day < kOuraLaunch) {
      return make_error(ErrorCode::kInvalidArgument,
                        "oura fixture: " + std::to_string(o.records) +
                            " days do not fit after 2015-01-01 (Oura's first data)");
    }
  }
  const Person traits = person_for(o.person_seed);
  nlohmann::json sleep = nlohmann::json::array(), readiness = nlohmann::json::array(),
                 activity = nlohmann::json::array();
  for (size_t i = 0; i < o.records; ++i, day += 86400) {
    std::string d = format_time(day, "%Y-%m-%d");
    const OuraDay v =
        o.person_seed != 0 ? person_day(rng, traits, person[i], o.person_seed) : noise_day(rng);
    nlohmann::json s = {{"id", v.sleep_id},
                        {"day", d},
                        {"score", v.sleep_score},
                        {"total_sleep_duration", v.total_sleep_duration},
                        {"efficiency", v.efficiency},
                        {"average_heart_rate", v.average_heart_rate},
                        {"lowest_heart_rate", v.lowest_heart_rate},
                        {"timestamp", d + "T00:00:00+00:00"}};
    nlohmann::json r = {
        {"id", v.readiness_id},
        {"day", d},
        {"score", v.readiness_score},
        {"temperature_deviation", v.temperature_deviation},
        {"contributors",
         {{"hrv_balance", v.hrv_balance}, {"resting_heart_rate", v.resting_heart_rate}}},
        {"timestamp", d + "T00:00:00+00:00"}};
    nlohmann::json a = {{"id", v.activity_id},
                        {"day", d},
                        {"score", v.activity_score},
                        {"steps", v.steps},
                        {"active_calories", v.active_calories},
                        {"total_calories", v.total_calories},
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

}  // namespace datadao::testkit
