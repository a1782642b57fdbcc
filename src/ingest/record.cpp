#include "datadao/ingest/record.hpp"

#include <nlohmann/json.hpp>

namespace datadao::ingest {

Result<Source> parse_source(std::string_view name) {
  if (name == "reddit") return Source::kReddit;
  if (name == "x" || name == "twitter") return Source::kX;
  if (name == "oura") return Source::kOura;
  if (name == "spotify") return Source::kSpotify;
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown source '" + std::string(name) + "' (reddit, x, oura, spotify)");
}

std::string_view source_name(Source source) {
  switch (source) {
    case Source::kReddit:
      return "reddit";
    case Source::kX:
      return "x";
    case Source::kOura:
      return "oura";
    case Source::kSpotify:
      return "spotify";
  }
  return "unknown";
}

std::string_view kind_name(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPost:
      return "post";
    case RecordKind::kComment:
      return "comment";
    case RecordKind::kMessage:
      return "message";
    case RecordKind::kTweet:
      return "tweet";
    case RecordKind::kSleep:
      return "sleep";
    case RecordKind::kReadiness:
      return "readiness";
    case RecordKind::kActivity:
      return "activity";
    case RecordKind::kStream:
      return "stream";
  }
  return "unknown";
}

const std::string* Record::text_field(std::string_view name) const {
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : std::get_if<std::string>(&it->second);
}

std::optional<int64_t> Record::integer_field(std::string_view name) const {
  auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  if (const int64_t* v = std::get_if<int64_t>(&it->second)) return *v;
  return std::nullopt;
}

std::optional<bool> Record::bool_field(std::string_view name) const {
  auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  if (const bool* v = std::get_if<bool>(&it->second)) return *v;
  return std::nullopt;
}

nlohmann::json to_json(const FieldValue& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, FieldGroup>) {
          nlohmann::json out = nlohmann::json::object();
          for (const auto& [name, scalar] : v) {
            out[name] = std::visit([](const auto& x) -> nlohmann::json { return x; }, scalar);
          }
          return out;
        } else {
          return v;
        }
      },
      value);
}

nlohmann::json to_json(const Record& r) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : r.fields) fields[name] = to_json(value);
  return nlohmann::json{{"source", source_name(r.source)},
                        {"kind", kind_name(r.kind)},
                        {"id", r.id},
                        {"timestamp", r.timestamp},
                        {"author", r.author},
                        {"text", r.text},
                        {"fields", std::move(fields)}};
}

nlohmann::json to_json(const ImportSummary& s) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedEntry& e : s.skipped) {
    skipped.push_back({{"name", e.name}, {"reason", e.reason}});
  }
  return nlohmann::json{{"source", s.source},
                        {"account_identity", s.account_identity},
                        {"records", s.records},
                        {"by_kind", s.by_kind},
                        {"files", s.files},
                        {"skipped", std::move(skipped)},
                        {"bytes_read", s.bytes_read}};
}

}  // namespace datadao::ingest
