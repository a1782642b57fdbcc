// Refinement: a record in the pool's PII-free schema (contribution.hpp, "Refined schema").
#include <string>

#include "contribution_internal.hpp"

namespace datadao::proof::internal {
namespace {

using ingest::Source;
using nlohmann::json;

std::string text_of(const ingest::Record& r, std::string_view key) {
  const std::string* v = r.text_field(key);
  return v ? *v : std::string();
}

// Reddit "fullnames" carry a type prefix ("t1_" comment, "t3_" post): strip it so a reply's
// reply_to equals the pseudonymised id of its parent.
std::string_view reddit_bare_id(std::string_view id) {
  if (id.size() > 3 && id[0] == 't' && id[1] >= '0' && id[1] <= '9' && id[2] == '_') {
    return id.substr(3);
  }
  return id;
}

// Integers exported as numbers or decimal strings ("12"); nullopt otherwise.
std::optional<int64_t> integer_of(const ingest::Record& r, std::string_view key) {
  if (auto v = r.integer_field(key)) return v;
  const std::string* text = r.text_field(key);
  if (text == nullptr) return std::nullopt;
  const std::string& s = *text;
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

void refine_reddit(const ingest::Record& r, const privacy::Scrubber& s, json& out, json& f) {
  out["text"] = s.scrub(r.text);
  std::string sub = text_of(r, "subreddit");
  if (sub.size() > 2 && (sub[0] == 'u' || sub[0] == 'U') && sub[1] == '_') {
    f["subreddit"] = s.pseudonymise("reddit", sub.substr(2));  // a user's profile: a person
  } else if (!sub.empty()) {
    f["subreddit"] = sub;
  }
  if (auto g = integer_of(r, "gildings")) f["gildings"] = *g;
  if (std::string p = text_of(r, "parent"); !p.empty()) {
    f["reply_to"] = s.pseudonymise("reddit_id", reddit_bare_id(p));
  }
  if (std::string t = text_of(r, "thread_id"); !t.empty()) {
    f["thread"] = s.pseudonymise("reddit_thread", t);
  }
  if (std::string to = text_of(r, "to"); !to.empty()) {
    f["to"] = s.pseudonymise("reddit", to);
  }
  if (std::string subject = text_of(r, "subject"); !subject.empty()) {
    f["subject"] = s.scrub(subject);
  }
}

void refine_x(const ingest::Record& r, const privacy::Scrubber& s, json& out, json& f) {
  out["text"] = s.scrub(r.text);
  if (std::string lang = text_of(r, "lang"); !lang.empty() && lang.size() <= 8) {
    f["lang"] = lang;
  }
  for (const char* key : {"favorite_count", "retweet_count"}) {
    if (auto v = integer_of(r, key)) f[key] = *v;
  }
  if (std::string id = text_of(r, "in_reply_to_status_id_str"); !id.empty()) {
    f["reply_to"] = s.pseudonymise("x_id", id);
  }
  if (std::string who = text_of(r, "in_reply_to_screen_name"); !who.empty()) {
    f["reply_to_user"] = s.pseudonymise("x", who);
  }
}

void refine_spotify(const ingest::Record& r, json& f) {
  // Catalogue names are public metadata, kept verbatim (scrubbing would turn artists' names
  // into [NAME]).
  for (const char* key :
       {"artist", "track", "album", "episode", "show", "track_uri", "reason_start", "reason_end"}) {
    if (std::string v = text_of(r, key); !v.empty()) f[key] = v;
  }
  if (auto ms = r.integer_field("ms_played"); ms && *ms >= 0) {
    f["ms_played"] = static_cast<uint64_t>(*ms);
  }
  for (const char* flag : {"shuffle", "skipped", "offline"}) {
    if (auto v = r.bool_field(flag)) f[flag] = *v;
  }
}

void refine_oura(const ingest::Record& r, json& f) {
  // Numbers only: strings (the "timestamp" with its UTC offset, free-form notes) may locate or
  // name the person; nested objects keep their numeric members ("contributors").
  auto is_number = [](const auto& v) {
    return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
  };
  for (const auto& [key, value] : r.fields) {
    if (is_number(value)) {
      f[key] = ingest::to_json(value);
    } else if (const auto* group = std::get_if<ingest::FieldGroup>(&value)) {
      json sub = json::object();
      for (const auto& [k, v] : *group) {
        if (is_number(v)) sub[k] = std::holds_alternative<int64_t>(v) ? json(std::get<int64_t>(v))
                                                                      : json(std::get<double>(v));
      }
      if (!sub.empty()) f[key] = std::move(sub);
    }
  }
}

}  // namespace

bool is_text_source(std::string_view source_name) {
  return source_name == "reddit" || source_name == "x";
}

json refine(Source source, const ingest::Record& r, int64_t unix_time,
            const privacy::Scrubber& scrubber) {
  const std::string src(ingest::source_name(source));
  json out = json::object();
  json f = json::object();
  out["source"] = src;
  out["kind"] = ingest::kind_name(r.kind);
  std::string_view id = source == Source::kReddit ? reddit_bare_id(r.id) : std::string_view(r.id);
  out["id"] = scrubber.pseudonymise(src + "_id", id);
  out["time"] = refined_time(source, unix_time);
  if (!r.author.empty()) out["author"] = scrubber.pseudonymise(src, r.author);
  switch (source) {
    case Source::kReddit:
      refine_reddit(r, scrubber, out, f);
      break;
    case Source::kX:
      refine_x(r, scrubber, out, f);
      break;
    case Source::kSpotify:
      refine_spotify(r, f);
      break;
    case Source::kOura:
      refine_oura(r, f);
      break;
  }
  out["fields"] = std::move(f);
  return out;
}

}  // namespace datadao::proof::internal
