#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {

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
