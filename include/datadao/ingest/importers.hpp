// Importers for the exports platforms actually ship, read straight from the zip (never extracted).
//
// Each importer calls `sink` once per normalised Record (see record.hpp), in export order, so
// exports of any size stream in bounded memory; it fills *summary (may be null) as it goes.
// Unknown extra columns/fields are ignored; a missing required column or field is an error naming
// the file, the line and the field. Limits (zip_reader.hpp) apply throughout.
//
// Formats (entries are matched by base name, in any folder of the archive):
//   reddit   posts.csv     id,permalink,date,ip,subreddit,gildings,title,url,body
//            comments.csv  id,permalink,date,ip,subreddit,gildings,link,parent,body,media
//            messages.csv  id,permalink,thread_id,date,ip,from,to,subject,body
//            statistics.csv (statistic,value; row "account name") -> account identity
//            required: id, date; posts also title; comments/messages also body. At least one of
//            posts/comments/messages must be present. fields: subreddit, permalink, url,
//            gildings, link, parent, thread_id, to, subject (as present; "ip" is never copied).
//   x        data/account.js  window.YTD.account.part0 = [{"account":{"username",...}}]
//            data/tweets.js, data/tweets-partN.js (also legacy data/tweet.js)
//            window.YTD.tweets.partN = [{"tweet":{"id_str","created_at","full_text",...}}]
//            required: id_str, created_at, full_text (or text). fields: lang, favorite_count,
//            retweet_count, in_reply_to_status_id_str, in_reply_to_screen_name.
//   spotify  StreamingHistory_music_N.json / StreamingHistoryN.json
//            [{"endTime","artistName","trackName","msPlayed"}]; extended history
//            Streaming_History_Audio_*.json / endsong_N.json [{"ts","ms_played",
//            "master_metadata_track_name","master_metadata_album_artist_name",...}];
//            Userdata.json {"username"} -> identity. fields: artist, track, album, ms_played,
//            track_uri, platform-independent flags (skipped, shuffle, reason_end) when present.
//   oura     any *.json in the zip holding {"sleep":[..],"readiness":[..],"activity":[..]}
//            (v2 names): required "day"; fields: score and the numeric/v2 values as exported.
//
// Thread-safety: the functions are reentrant; each call owns its ZipReader.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/ingest/record.hpp"
#include "datadao/ingest/zip_reader.hpp"

namespace datadao::ingest {

Status import_reddit(ZipReader& zip, const RecordSink& sink, ImportSummary* summary);
Status import_x(ZipReader& zip, const RecordSink& sink, ImportSummary* summary);
Status import_spotify(ZipReader& zip, const RecordSink& sink, ImportSummary* summary);
Status import_oura(ZipReader& zip, const RecordSink& sink, ImportSummary* summary);

// Opens `zip_path` with `limits` and runs the importer for `source`.
Status import_file(Source source, const std::filesystem::path& zip_path, const Limits& limits,
                   const RecordSink& sink, ImportSummary* summary);
// Same for an archive held in memory (e.g. decrypted from the vault); `name` labels errors.
Status import_buffer(Source source, std::string_view zip_bytes, const std::string& name,
                     const Limits& limits, const RecordSink& sink, ImportSummary* summary);
// Collects every record in memory (tests, small exports).
Result<ImportResult> import_all(Source source, std::string_view zip_bytes, const std::string& name,
                                const Limits& limits = {});

}  // namespace datadao::ingest
