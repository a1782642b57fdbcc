#include "datadao/ingest/importers.hpp"

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

namespace {
Status run(Source source, ZipReader& zip, const RecordSink& sink, ImportSummary* summary) {
  switch (source) {
    case Source::kReddit:
      return import_reddit(zip, sink, summary);
    case Source::kX:
      return import_x(zip, sink, summary);
    case Source::kOura:
      return import_oura(zip, sink, summary);
    case Source::kSpotify:
      return import_spotify(zip, sink, summary);
  }
  return make_error(ErrorCode::kInternal, "unknown source");
}
}  // namespace

Status import_file(Source source, const std::filesystem::path& zip_path, const Limits& limits,
                   const RecordSink& sink, ImportSummary* summary) {
  DD_ASSIGN(auto zip, ZipReader::open(zip_path, limits));
  return run(source, *zip, sink, summary);
}

Status import_buffer(Source source, std::string_view zip_bytes, const std::string& name,
                     const Limits& limits, const RecordSink& sink, ImportSummary* summary) {
  DD_ASSIGN(auto zip, ZipReader::open_buffer(zip_bytes, name, limits));
  return run(source, *zip, sink, summary);
}

Result<ImportResult> import_all(Source source, std::string_view zip_bytes, const std::string& name,
                                const Limits& limits) {
  ImportResult result;
  DD_TRY(import_buffer(
      source, zip_bytes, name, limits,
      [&](const Record& r) {
        result.records.push_back(r);
        return Status::Ok();
      },
      &result.summary));
  result.account_identity = result.summary.account_identity;
  return result;
}

}  // namespace datadao::ingest
