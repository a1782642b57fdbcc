// Private to ingest: helpers shared by the importers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "datadao/ingest/importers.hpp"

namespace datadao::ingest::internal {

// Last path component of an entry name.
std::string_view base_name(std::string_view entry_name);
// Non-directory entries whose base name satisfies `pred`, in archive order.
template <class Pred>
std::vector<const ZipEntry*> entries_where(const ZipReader& zip, Pred pred) {
  std::vector<const ZipEntry*> out;
  for (const auto& e : zip.entries()) {
    if (!e.is_directory && pred(base_name(e.name))) out.push_back(&e);
  }
  return out;
}

// Counts the record into the summary and hands it to the sink.
Status emit(const Record& record, const RecordSink& sink, ImportSummary* summary);

// Starts a summary for `source` over `zip`.
void begin_summary(ImportSummary* summary, std::string_view source);
// Ends a summary: bytes read, and every file entry that was not parsed listed as skipped with
// `why_skipped(base name)` as the reason (the person should see what did not come in).
void end_summary(ImportSummary* summary, const ZipReader& zip,
                 std::string (*why_skipped)(std::string_view base));

// obj[key] as a string: strings as-is, numbers/bools as their JSON text; absent/null -> "".
std::string json_text(const nlohmann::json& obj, std::string_view key);
// Like json_text but absence (or an empty string) is an error "<where>: missing required field
// '<key>'".
Result<std::string> required_text(const nlohmann::json& obj, std::string_view key,
                                  const std::string& where);

}  // namespace datadao::ingest::internal
