// Private to src/proof: the steps of evaluate_contribution (contribution.hpp), one file each.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "datadao/ingest/importers.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::proof::internal {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

// Unix seconds of a timestamp in the export's format for `source` (see importers.hpp); nullopt
// when it does not parse or names an impossible date.
std::optional<int64_t> parse_export_time(ingest::Source source, std::string_view text);

// The refined "time" value (contribution.hpp: hour, minute or day precision by source).
std::string refined_time(ingest::Source source, int64_t unix_seconds);

// authenticity.cpp: checks each record as the importer yields it.
class AuthenticityChecker {
 public:
  AuthenticityChecker(ingest::Source source, int64_t now_unix);
  // Empty if consistent, else the reason. On success *unix_time is the record's time.
  std::string check(const ingest::Record& record, int64_t* unix_time);
  // Checks on the archive as a whole, after the import (required files).
  std::string finish(const ingest::ImportSummary& summary) const;

 private:
  ingest::Source source_;
  int64_t earliest_;
  int64_t latest_;
  std::map<ingest::RecordKind, uint64_t> seen_per_kind_;
  std::unordered_set<std::string> ids_;  // kind + '\0' + id
};

// refine.cpp: the refined record (contribution.hpp schema).
nlohmann::json refine(ingest::Source source, const ingest::Record& record, int64_t unix_time,
                      const privacy::Scrubber& scrubber);

// quality.cpp: "" if the refined record passes, else the reason. `account_identity` is the
// export's owner (for Reddit messages); `normalised_text` is the refined text normalised
// (text sources).
std::string quality_reason(ingest::Source source, const ingest::Record& record,
                           const nlohmann::json& refined, std::string_view normalised_text,
                           std::string_view account_identity);

bool is_text_source(std::string_view source_name);

}  // namespace datadao::proof::internal
