#include "render.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "datadao/ingest/record.hpp"

namespace datadao::cli {

using nlohmann::json;

namespace {

// A scalar as it reads (strings unquoted), anything nested as compact JSON.
std::string scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void field(std::ostringstream& os, const std::string& indent, const std::string& key,
           const json& v) {
  os << indent << key << ":";
  if (v.is_object() && !v.empty()) {
    os << "\n";
    for (const auto& [k, sub] : v.items()) field(os, indent + "  ", k, sub);
  } else {
    os << " " << scalar(v) << "\n";
  }
}

}  // namespace

std::string pool_label(const nlohmann::json& pool) {
  return "pool " + std::to_string(pool.value("id", uint64_t{0})) + " '" + pool.value("name", "") +
         "'";
}

std::string render_tx(const json& tx) {
  std::ostringstream os;
  os << "transaction " << tx.value("id", "?") << "\n";
  os << "  type: " << tx.value("type", "?") << "\n";
  os << "  sender: " << tx.value("sender", "?") << " (nonce " << tx.value("nonce", 0) << ")\n";
  if (tx.contains("height")) {
    os << "  block: " << tx.value("height", 0) << ", index " << tx.value("index", 0) << "\n";
  }
  os << "  chain: " << tx.value("chain_id", "?") << ", version " << tx.value("version", 0) << "\n";
  if (tx.contains("payload")) {
    field(os, "  ", "payload", tx["payload"]);
  } else {
    os << "  payload (undecoded): " << tx.value("payload_hex", "") << "\n";
    os << "  payload error: " << tx.value("payload_error", "") << "\n";
  }
  return os.str();
}

std::string render_import_summary(const ingest::ImportSummary& s) {
  std::ostringstream os;
  os << "imported " << s.records << " record" << (s.records == 1 ? "" : "s") << " from a "
     << s.source << " export";
  if (!s.account_identity.empty()) os << " of account '" << s.account_identity << "'";
  if (!s.by_kind.empty()) {
    os << " (";
    const char* sep = "";
    for (const auto& [kind, n] : s.by_kind) {
      os << sep << n << " " << kind;
      sep = ", ";
    }
    os << ")";
  }
  os << "\n";
  os << "read " << s.files.size() << " entr" << (s.files.size() == 1 ? "y" : "ies") << " ("
     << s.bytes_read << " bytes)";
  for (const auto& f : s.files) os << "\n  " << f;
  os << "\n";
  if (s.skipped.empty()) {
    os << "skipped nothing\n";
  } else {
    os << "skipped " << s.skipped.size() << " entr" << (s.skipped.size() == 1 ? "y" : "ies")
       << ":\n";
    for (const auto& e : s.skipped) os << "  " << e.name << ": " << e.reason << "\n";
  }
  return os.str();
}

std::string error_json_line(std::string_view code, const std::string& message,
                            const std::string& hint) {
  json j = {{"error", {{"code", std::string(code)}, {"message", message}}}};
  if (!hint.empty()) j["error"]["hint"] = hint;
  return j.dump();
}

}  // namespace datadao::cli
