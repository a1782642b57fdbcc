#include "datadao/ingest/record.hpp"

namespace datadao::ingest {

nlohmann::json to_json(const Record& r) {
  return nlohmann::json{{"source", r.source},       {"kind", r.kind},     {"id", r.id},
                        {"timestamp", r.timestamp}, {"author", r.author}, {"text", r.text},
                        {"fields", r.fields}};
}

nlohmann::json to_json(const ImportSummary& s) {
  return nlohmann::json{{"source", s.source},   {"account_identity", s.account_identity},
                        {"records", s.records}, {"by_kind", s.by_kind},
                        {"files", s.files},     {"bytes_read", s.bytes_read}};
}

}  // namespace datadao::ingest
