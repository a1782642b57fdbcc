// Reddit data request export: a zip of CSV files (see importers.hpp for the columns).
#include "datadao/ingest/csv_reader.hpp"
#include "import_common.hpp"

namespace datadao::ingest {
namespace {

using internal::entries_where;

struct CsvKind {
  std::string_view file;
  RecordKind kind;
  std::vector<std::string> required_columns;
  // Copied into Record::fields when the export has them ("ip" is deliberately never copied).
  std::vector<std::string_view> field_columns;
};

const std::vector<CsvKind>& csv_kinds() {
  static const std::vector<CsvKind> kinds = {
      {"posts.csv",
       RecordKind::kPost,
       {"id", "date", "title", "body"},
       {"permalink", "subreddit", "gildings", "url"}},
      {"comments.csv",
       RecordKind::kComment,
       {"id", "date", "body"},
       {"permalink", "subreddit", "gildings", "link", "parent", "media"}},
      {"messages.csv",
       RecordKind::kMessage,
       {"id", "date", "body"},
       {"permalink", "thread_id", "from", "to", "subject"}},
  };
  return kinds;
}

Result<std::string> read_identity(ZipReader& zip, ImportSummary* summary) {
  auto stats = entries_where(zip, [](std::string_view b) { return b == "statistics.csv"; });
  std::string identity;
  for (const ZipEntry* e : stats) {
    DD_ASSIGN(auto stream, zip.open_entry(*e));
    CsvTable table(*stream, e->name, zip.limits().max_record_bytes);
    DD_TRY(table.read_header({"statistic", "value"}));
    if (summary) summary->files.push_back(e->name);
    for (;;) {
      DD_ASSIGN(bool more, table.next());
      if (!more) break;
      std::string_view stat = table.get("statistic");
      if (stat == "account name" || stat == "username") identity = std::string(table.get("value"));
    }
  }
  return identity;
}

std::string why_skipped(std::string_view base) {
  if (base.size() > 12 && base.substr(base.size() - 12) == "_headers.csv") {
    return "titles and dates without text; the bodies are in posts.csv and comments.csv";
  }
  return "not read: the Reddit importer reads posts.csv, comments.csv, messages.csv and "
         "statistics.csv";
}

}  // namespace

Status import_reddit(ZipReader& zip, const RecordSink& sink, ImportSummary* summary) {
  internal::begin_summary(summary, "reddit");
  DD_ASSIGN(std::string identity, read_identity(zip, summary));
  if (summary) summary->account_identity = identity;
  bool any = false;
  for (const CsvKind& k : csv_kinds()) {
    for (const ZipEntry* e : entries_where(zip, [&](std::string_view b) { return b == k.file; })) {
      any = true;
      DD_ASSIGN(auto stream, zip.open_entry(*e));
      CsvTable table(*stream, e->name, zip.limits().max_record_bytes);
      DD_TRY(table.read_header(k.required_columns));
      if (summary) summary->files.push_back(e->name);
      Record r;
      r.source = Source::kReddit;
      r.kind = k.kind;
      for (;;) {
        DD_ASSIGN(bool more, table.next());
        if (!more) break;
        DD_ASSIGN(std::string_view id, table.get_required("id"));
        DD_ASSIGN(std::string_view date, table.get_required("date"));
        r.id = std::string(id);
        r.timestamp = std::string(date);
        r.author = k.kind == RecordKind::kMessage ? std::string(table.get("from")) : identity;
        if (k.kind == RecordKind::kPost) {
          r.text = std::string(table.get("title"));
          std::string_view body = table.get("body");
          if (!body.empty()) {
            if (!r.text.empty()) r.text += "\n\n";
            r.text += body;
          }
        } else {
          r.text = std::string(table.get("body"));
        }
        r.fields.clear();
        for (std::string_view col : k.field_columns) {
          if (table.has_column(col)) r.fields[std::string(col)] = std::string(table.get(col));
        }
        DD_TRY(internal::emit(r, sink, summary));
      }
    }
  }
  internal::end_summary(summary, zip, why_skipped);
  if (!any) {
    return make_error(ErrorCode::kInvalidArgument,
                      zip.name() +
                          ": not a Reddit export: no posts.csv, comments.csv or "
                          "messages.csv");
  }
  return Status::Ok();
}

}  // namespace datadao::ingest
