// The normalised record every importer yields, one schema for all sources.
//
//   source     the platform (Source)
//   kind       reddit: post | comment | message; x: tweet; oura: sleep | readiness | activity;
//              spotify: stream (RecordKind)
//   id         the export's own id (reddit id, tweet id_str, oura id or day); for Spotify, which
//              has none, "<timestamp>|<track uri or artist - track>" (stable across re-exports)
//   timestamp  exactly as written in the export (reddit "2023-01-02 03:04:05 UTC", X
//              "Wed Oct 10 20:19:24 +0000 2018", Spotify "2023-01-02 03:04" or ISO-8601, Oura day)
//   author     the export's account identity (reddit username, X handle, Spotify username); for
//              Reddit messages the sender ("from"); empty when the export does not say
//   text       free text: Reddit post title + "\n\n" + body (title alone if no body); comment
//              and message body (the subject is in fields); tweet full_text; empty for Oura
//              and Spotify
//   fields     source-specific structured values by name (see each importer in importers.hpp):
//              text, whole numbers, real numbers and booleans as the export typed them, and
//              one level of named groups of those (Oura's "contributors"). Arrays, nulls and
//              deeper nesting are not kept.
//
// Plain value types; const access from several threads is safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "datadao/common/result.hpp"

namespace datadao::ingest {

enum class Source { kReddit, kX, kOura, kSpotify };

// "reddit" | "x" (or "twitter") | "oura" | "spotify".
Result<Source> parse_source(std::string_view name);
std::string_view source_name(Source source);

enum class RecordKind { kPost, kComment, kMessage, kTweet, kSleep, kReadiness, kActivity, kStream };
// "post", "comment", ... as in the schema above.
std::string_view kind_name(RecordKind kind);

// A structured value as the export typed it.
using Scalar = std::variant<std::string, int64_t, double, bool>;
// A named group of scalars (one level: Oura's {"contributors": {"deep_sleep": 80, ...}}).
using FieldGroup = std::map<std::string, Scalar, std::less<>>;
using FieldValue = std::variant<std::string, int64_t, double, bool, FieldGroup>;
using Fields = std::map<std::string, FieldValue, std::less<>>;

struct Record {
  Source source = Source::kReddit;
  RecordKind kind = RecordKind::kPost;
  std::string id;
  std::string timestamp;
  std::string author;
  std::string text;
  Fields fields;

  // The field's text, or nullptr if it is absent or not text.
  const std::string* text_field(std::string_view name) const;
  // The field's whole number, if it is one.
  std::optional<int64_t> integer_field(std::string_view name) const;
  // The field's boolean, if it is one.
  std::optional<bool> bool_field(std::string_view name) const;
};

// {"source":..,"kind":..,"id":..,"timestamp":..,"author":..,"text":..,"fields":{..}}
nlohmann::json to_json(const Record& record);
// A scalar or group as JSON (integers as integers, reals as reals).
nlohmann::json to_json(const FieldValue& value);

// Called once per record, in export order; a non-ok Status stops the import and is returned.
using RecordSink = std::function<Status(const Record&)>;

// One archive entry the importer did not read, and why ("not part of a Reddit export").
struct SkippedEntry {
  std::string name;
  std::string reason;
};

struct ImportSummary {
  std::string source;
  std::string account_identity;  // username/handle from the export; may be empty
  uint64_t records = 0;
  std::map<std::string, uint64_t> by_kind;  // kind name -> count
  std::vector<std::string> files;           // entries parsed, in order
  std::vector<SkippedEntry> skipped;        // file entries present but not read, archive order
  uint64_t bytes_read = 0;                  // decompressed bytes read from the archive
};

nlohmann::json to_json(const ImportSummary& summary);

// The whole import in memory: convenient for tests and small exports.
struct ImportResult {
  std::string account_identity;
  std::vector<Record> records;
  ImportSummary summary;
};

}  // namespace datadao::ingest
