// Spotify: account data (StreamingHistory_music_N.json) and extended streaming history
// (Streaming_History_Audio_*.json, formerly endsong_N.json); Userdata.json gives the username.
#include "import_common.hpp"
#include "json_stream.hpp"

namespace datadao::ingest {
namespace {

using internal::JsonArrayStream;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

enum class Kind { kNone, kBasic, kExtended };

Kind kind_of(std::string_view base) {
  if (!ends_with(base, ".json")) return Kind::kNone;
  if (starts_with(base, "StreamingHistory_music_") ||
      (starts_with(base, "StreamingHistory") && !starts_with(base, "StreamingHistory_"))) {
    return Kind::kBasic;
  }
  if (starts_with(base, "Streaming_History_Audio_") || starts_with(base, "endsong")) {
    return Kind::kExtended;
  }
  return Kind::kNone;
}

Result<int64_t> required_ms(const nlohmann::json& item, const char* key,
                             const std::string& where) {
  auto it = item.find(key);
  if (it == item.end() || it->is_null()) {
    return make_error(ErrorCode::kInvalidArgument,
                      where + ": missing required field '" + std::string(key) + "'");
  }
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      where + ": field '" + std::string(key) + "': not a non-negative integer");
  }
  return it->get<int64_t>();
}

std::string why_skipped(std::string_view base) {
  if (starts_with(base, "StreamingHistory_podcast_")) {
    return "podcast plays: not imported (the extended streaming history carries episodes)";
  }
  return "not read: the Spotify importer reads StreamingHistory*.json, "
         "Streaming_History_Audio_*.json, endsong_*.json and Userdata.json";
}

}  // namespace

Status import_spotify(ZipReader& zip, const RecordSink& sink, ImportSummary* summary) {
  internal::begin_summary(summary, "spotify");
  std::string identity;
  for (const ZipEntry* e :
       internal::entries_where(zip, [](std::string_view b) { return b == "Userdata.json"; })) {
    DD_ASSIGN(std::string doc, zip.read_all(*e, zip.limits().max_record_bytes));
    nlohmann::json j = nlohmann::json::parse(doc, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return make_error(ErrorCode::kInvalidArgument, e->name + ": malformed JSON");
    }
    identity = internal::json_text(j, "username");
    if (summary) summary->files.push_back(e->name);
  }
  bool any = false;
  Record r;
  r.source = Source::kSpotify;
  r.kind = RecordKind::kStream;
  for (const auto& e : zip.entries()) {
    if (e.is_directory) continue;
    Kind kind = kind_of(internal::base_name(e.name));
    if (kind == Kind::kNone) continue;
    any = true;
    DD_ASSIGN(auto stream, zip.open_entry(e));
    JsonArrayStream items(*stream, e.name, zip.limits().max_record_bytes, false);
    if (summary) summary->files.push_back(e.name);
    nlohmann::json item;
    for (;;) {
      DD_ASSIGN(bool more, items.next(&item));
      if (!more) break;
      if (!item.is_object()) {
        return make_error(ErrorCode::kInvalidArgument, items.where() + ": not an object");
      }
      r.fields.clear();
      std::string key;
      if (kind == Kind::kBasic) {
        DD_ASSIGN(r.timestamp, internal::required_text(item, "endTime", items.where()));
        DD_ASSIGN(std::string artist, internal::required_text(item, "artistName", items.where()));
        DD_ASSIGN(std::string track, internal::required_text(item, "trackName", items.where()));
        DD_ASSIGN(int64_t ms, required_ms(item, "msPlayed", items.where()));
        r.author = identity;
        r.fields["artist"] = artist;
        r.fields["track"] = track;
        r.fields["ms_played"] = ms;
        key = artist + " - " + track;
      } else {
        DD_ASSIGN(r.timestamp, internal::required_text(item, "ts", items.where()));
        DD_ASSIGN(int64_t ms, required_ms(item, "ms_played", items.where()));
        std::string user = internal::json_text(item, "username");
        if (identity.empty()) identity = user;
        r.author = user.empty() ? identity : user;
        r.fields["ms_played"] = ms;
        static const std::pair<const char*, const char*> kCopy[] = {
            {"master_metadata_track_name", "track"},
            {"master_metadata_album_artist_name", "artist"},
            {"master_metadata_album_album_name", "album"},
            {"spotify_track_uri", "track_uri"},
            {"episode_name", "episode"},
            {"episode_show_name", "show"},
            {"spotify_episode_uri", "episode_uri"},
            {"reason_start", "reason_start"},
            {"reason_end", "reason_end"},
        };
        for (const auto& [from, to] : kCopy) {
          if (item.contains(from) && item[from].is_string()) {
            r.fields[to] = item[from].get<std::string>();
          }
        }
        for (const char* flag : {"shuffle", "skipped", "offline"}) {
          if (item.contains(flag) && item[flag].is_boolean()) r.fields[flag] = item[flag].get<bool>();
        }
        std::string uri = internal::json_text(item, "spotify_track_uri");
        if (uri.empty()) uri = internal::json_text(item, "spotify_episode_uri");
        key = !uri.empty() ? uri
                           : internal::json_text(item, "master_metadata_album_artist_name") +
                                 " - " + internal::json_text(item, "master_metadata_track_name");
      }
      r.id = r.timestamp + "|" + key;
      DD_TRY(internal::emit(r, sink, summary));
    }
  }
  if (summary) summary->account_identity = identity;
  internal::end_summary(summary, zip, why_skipped);
  if (!any) {
    return make_error(ErrorCode::kInvalidArgument,
                      zip.name() +
                          ": not a Spotify export: no StreamingHistory*.json or "
                          "Streaming_History_Audio_*.json");
  }
  return Status::Ok();
}

}  // namespace datadao::ingest
