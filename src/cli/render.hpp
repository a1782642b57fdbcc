// Text renderings shared by commands whose JSON comes from elsewhere (a node reply, a library
// summary), and the JSON form of a CLI error. Every command prints text by default and JSON
// under --json; these are the text halves.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace datadao::ingest {
struct ImportSummary;
}

namespace datadao::cli {

// A transaction as GET /v1/tx/<id> returns it: header fields, then the decoded payload.
std::string render_tx(const nlohmann::json& tx);

// "pool 3 'reddit-dao'" for a pool object the node served.
std::string pool_label(const nlohmann::json& pool);

// What `datadao import` read and what it skipped (and why).
std::string render_import_summary(const ingest::ImportSummary& summary);

// {"error": {"code": ..., "message": ..., "hint": ...}} on one line: the shape of the node API's
// errors, with the CLI's hint when there is one. `code` is an ErrorCode name (error_code_name)
// or "usage".
std::string error_json_line(std::string_view code, const std::string& message,
                            const std::string& hint);

}  // namespace datadao::cli
