// Oura: a JSON export holding daily sleep / readiness / activity arrays (API v2 field names).
#include "import_common.hpp"

namespace datadao::ingest {
namespace {

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Top-level keys and the record kind they hold.
constexpr std::pair<const char*, RecordKind> kArrays[] = {
    {"sleep", RecordKind::kSleep},         {"daily_sleep", RecordKind::kSleep},
    {"readiness", RecordKind::kReadiness}, {"daily_readiness", RecordKind::kReadiness},
    {"activity", RecordKind::kActivity},   {"daily_activity", RecordKind::kActivity},
};

// A JSON scalar as the export typed it; nullopt for null, arrays and objects.
std::optional<Scalar> scalar_of(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) {
    return static_cast<double>(v.get<uint64_t>());
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return v.get<double>();
  return std::nullopt;
}

// The item's members but "id" and "day": scalars, and objects as groups of their scalar members.
Fields fields_of(const nlohmann::json& item) {
  Fields out;
  for (const auto& [key, value] : item.items()) {
    if (key == "id" || key == "day") continue;
    if (auto s = scalar_of(value)) {
      // key named in the capture: clang 14 cannot capture a structured binding implicitly
      std::visit([&, &key = key](auto&& v) { out.emplace(key, std::move(v)); }, std::move(*s));
    } else if (value.is_object()) {
      FieldGroup group;
      for (const auto& [k, v] : value.items()) {
        if (auto member = scalar_of(v)) group.emplace(k, std::move(*member));
      }
      out.emplace(key, std::move(group));
    }
  }
  return out;
}

std::string why_skipped(std::string_view base) {
  if (ends_with(base, ".json")) return "no sleep, readiness or activity array";
  return "not read: the Oura importer reads JSON files";
}

}  // namespace

Status import_oura(ZipReader& zip, const RecordSink& sink, ImportSummary* summary) {
  internal::begin_summary(summary, "oura");
  bool any = false;
  Record r;
  r.source = Source::kOura;
  for (const ZipEntry* e :
       internal::entries_where(zip, [](std::string_view b) { return ends_with(b, ".json"); })) {
    DD_ASSIGN(std::string text, zip.read_all(*e, zip.limits().max_json_document_bytes));
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& err) {
      std::string why = err.what();
      return make_error(
          ErrorCode::kInvalidArgument,
          e->name + (why.find("UTF-8") != std::string::npos ? std::string(": invalid UTF-8")
                                                            : ": malformed JSON: " + why));
    }
    if (!doc.is_object()) continue;
    bool has_data = false;
    for (const auto& [key, kind] : kArrays) has_data |= doc.contains(key);
    if (!has_data) continue;  // some other JSON file in the zip
    any = true;
    if (summary) summary->files.push_back(e->name);
    for (const auto& [key, kind] : kArrays) {
      auto it = doc.find(key);
      if (it == doc.end()) continue;
      if (!it->is_array()) {
        return make_error(ErrorCode::kInvalidArgument,
                          e->name + ": '" + std::string(key) + "' is not an array");
      }
      r.kind = kind;
      for (size_t i = 0; i < it->size(); ++i) {
        const nlohmann::json& item = (*it)[i];
        std::string where = e->name + ": " + key + "[" + std::to_string(i) + "]";
        if (!item.is_object()) {
          return make_error(ErrorCode::kInvalidArgument, where + ": not an object");
        }
        std::string day = internal::json_text(item, "day");
        if (day.empty()) day = internal::json_text(item, "summary_date");  // API v1 name
        if (day.empty()) {
          return make_error(ErrorCode::kInvalidArgument, where + ": missing required field 'day'");
        }
        if (item.dump().size() > zip.limits().max_record_bytes) {
          return make_error(ErrorCode::kLimitExceeded,
                            where + ": record longer than " +
                                std::to_string(zip.limits().max_record_bytes) +
                                " bytes (max_record_bytes)");
        }
        std::string id = internal::json_text(item, "id");
        r.id = id.empty() ? std::string(kind_name(kind)) + ":" + day : id;
        r.timestamp = day;
        r.fields = fields_of(item);
        DD_TRY(internal::emit(r, sink, summary));
      }
    }
  }
  internal::end_summary(summary, zip, why_skipped);
  if (!any) {
    return make_error(ErrorCode::kInvalidArgument,
                      zip.name() +
                          ": not an Oura export: no JSON file with sleep, readiness or "
                          "activity arrays");
  }
  return Status::Ok();
}

}  // namespace datadao::ingest
