// X (Twitter) archive: data/account.js and data/tweets.js (+ tweets-partN.js), each a JSON array
// behind a "window.YTD.<name>.partN = " assignment.
#include <algorithm>

#include "import_common.hpp"
#include "json_stream.hpp"

namespace datadao::ingest {
namespace {

using internal::JsonArrayStream;

// -1 if `base` is not a tweets file, else its part number (tweets.js = 0).
int tweets_part(std::string_view base) {
  for (std::string_view stem : {"tweets", "tweet"}) {
    if (base == std::string(stem) + ".js") return 0;
    std::string head = std::string(stem) + "-part";
    if (base.size() > head.size() + 3 && base.substr(0, head.size()) == head &&
        base.substr(base.size() - 3) == ".js") {
      std::string_view num = base.substr(head.size(), base.size() - head.size() - 3);
      if (!std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          num.size() > 6) {
        return -1;
      }
      return std::stoi(std::string(num));
    }
  }
  return -1;
}

Result<std::string> read_account(ZipReader& zip, ImportSummary* summary) {
  auto acc = internal::entries_where(zip, [](std::string_view b) { return b == "account.js"; });
  if (acc.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      zip.name() + ": not an X archive: no data/account.js");
  }
  const ZipEntry* e = acc.front();
  DD_ASSIGN(auto stream, zip.open_entry(*e));
  JsonArrayStream items(*stream, e->name, zip.limits().max_record_bytes, true);
  nlohmann::json item;
  DD_ASSIGN(bool got, items.next(&item));
  if (!got) return make_error(ErrorCode::kInvalidArgument, e->name + ": empty account list");
  const nlohmann::json& account = item.contains("account") ? item["account"] : item;
  DD_ASSIGN(std::string username, internal::required_text(account, "username", items.where()));
  if (summary) summary->files.push_back(e->name);
  return username;
}

std::string why_skipped(std::string_view base) {
  if (base == "like.js") return "likes are other people's tweets: not imported";
  return "not read: the X importer reads data/account.js and data/tweets*.js";
}

}  // namespace

Status import_x(ZipReader& zip, const RecordSink& sink, ImportSummary* summary) {
  internal::begin_summary(summary, "x");
  DD_ASSIGN(std::string username, read_account(zip, summary));
  if (summary) summary->account_identity = username;
  std::vector<std::pair<int, const ZipEntry*>> parts;
  for (const auto& e : zip.entries()) {
    if (e.is_directory) continue;
    int p = tweets_part(internal::base_name(e.name));
    if (p >= 0) parts.emplace_back(p, &e);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Record r;
  r.source = Source::kX;
  r.kind = RecordKind::kTweet;
  r.author = username;
  static const char* const kFields[] = {"lang", "favorite_count", "retweet_count",
                                        "in_reply_to_status_id_str", "in_reply_to_screen_name"};
  for (const auto& [part, e] : parts) {
    DD_ASSIGN(auto stream, zip.open_entry(*e));
    JsonArrayStream items(*stream, e->name, zip.limits().max_record_bytes, true);
    if (summary) summary->files.push_back(e->name);
    nlohmann::json item;
    for (;;) {
      DD_ASSIGN(bool more, items.next(&item));
      if (!more) break;
      const nlohmann::json& tweet = item.contains("tweet") ? item["tweet"] : item;
      if (!tweet.is_object()) {
        return make_error(ErrorCode::kInvalidArgument, items.where() + ": not a tweet object");
      }
      DD_ASSIGN(r.id, internal::required_text(tweet, "id_str", items.where()));
      DD_ASSIGN(r.timestamp, internal::required_text(tweet, "created_at", items.where()));
      if (tweet.contains("full_text")) {
        r.text = internal::json_text(tweet, "full_text");
      } else if (tweet.contains("text")) {
        r.text = internal::json_text(tweet, "text");
      } else {
        return make_error(ErrorCode::kInvalidArgument,
                          items.where() + ": missing required field 'full_text'");
      }
      r.fields.clear();
      for (const char* f : kFields) {
        if (tweet.contains(f) && !tweet[f].is_null()) r.fields[f] = internal::json_text(tweet, f);
      }
      DD_TRY(internal::emit(r, sink, summary));
    }
  }
  internal::end_summary(summary, zip, why_skipped);
  return Status::Ok();
}

}  // namespace datadao::ingest
