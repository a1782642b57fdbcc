// The normalised record every importer yields, one schema for all sources.
//
//   source     "reddit" | "x" | "oura" | "spotify"
//   kind       reddit: "post" | "comment" | "message"; x: "tweet";
//              oura: "sleep" | "readiness" | "activity"; spotify: "stream"
//   id         the export's own id (reddit id, tweet id_str, oura id or day); for Spotify, which
//              has none, "<timestamp>|<track uri or artist - track>" (stable across re-exports)
//   timestamp  exactly as written in the export (reddit "2023-01-02 03:04:05 UTC", X
//              "Wed Oct 10 20:19:24 +0000 2018", Spotify "2023-01-02 03:04" or ISO-8601, Oura day)
//   author     the export's account identity (reddit username, X handle, Spotify username); for
//              Reddit messages the sender ("from"); empty when the export does not say
//   text       free text: Reddit post title + "\n\n" + body (title alone if no body); comment
//              and message body (the subject is in fields); tweet full_text; empty for Oura
//              and Spotify
//   fields     source-specific structured values (see each importer in importers.hpp)
//
// Plain value types; const access from several threads is safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datadao/common/result.hpp"

namespace datadao::ingest {

struct Record {
  std::string source;
  std::string kind;
  std::string id;
  std::string timestamp;
  std::string author;
  std::string text;
  nlohmann::json fields = nlohmann::json::object();
};

// {"source":..,"kind":..,"id":..,"timestamp":..,"author":..,"text":..,"fields":{..}}
nlohmann::json to_json(const Record& record);

// Called once per record, in export order; a non-ok Status stops the import and is returned.
using RecordSink = std::function<Status(const Record&)>;

struct ImportSummary {
  std::string source;
  std::string account_identity;  // username/handle from the export; may be empty
  uint64_t records = 0;
  std::map<std::string, uint64_t> by_kind;  // kind -> count
  std::vector<std::string> files;           // entries parsed, in order
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
