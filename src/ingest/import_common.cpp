#include "import_common.hpp"

#include <set>

namespace datadao::ingest::internal {

std::string_view base_name(std::string_view name) {
  size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

Status emit(const Record& record, const RecordSink& sink, ImportSummary* summary) {
  if (summary != nullptr) {
    ++summary->records;
    ++summary->by_kind[std::string(kind_name(record.kind))];
  }
  return sink(record);
}

void begin_summary(ImportSummary* summary, std::string_view source) {
  if (summary == nullptr) return;
  *summary = ImportSummary{};
  summary->source = std::string(source);
}

void end_summary(ImportSummary* summary, const ZipReader& zip,
                 std::string (*why_skipped)(std::string_view base)) {
  if (summary == nullptr) return;
  summary->bytes_read = zip.total_bytes_read();
  const std::set<std::string_view> parsed(summary->files.begin(), summary->files.end());
  for (const ZipEntry& e : zip.entries()) {
    if (e.is_directory || parsed.count(e.name)) continue;
    summary->skipped.push_back({e.name, why_skipped(base_name(e.name))});
  }
}

std::string json_text(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

Result<std::string> required_text(const nlohmann::json& obj, std::string_view key,
                                  const std::string& where) {
  std::string v = json_text(obj, key);
  if (v.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      where + ": missing required field '" + std::string(key) + "'");
  }
  return v;
}

}  // namespace datadao::ingest::internal
