// Quality: source-specific pass/fail rules on refined records (contribution.hpp, "Quality rules").
#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

#include "contribution_internal.hpp"
#include "datadao/privacy/pseudonym.hpp"

namespace datadao::proof::internal {
namespace {

using ingest::Source;
using nlohmann::json;

constexpr uint64_t kDayMs = 86'400'000;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string text_quality(std::string_view text, std::string_view normalised) {
  std::string_view t = trim(text);
  if (t == "[deleted]" || t == "[removed]") return "deleted";
  size_t tokens = 0, urls = 0;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    std::string_view tok = text.substr(start, i - start);
    ++tokens;
    if (starts_with_ci(tok, "http://") || starts_with_ci(tok, "https://") ||
        starts_with_ci(tok, "www.") || tok == "[URL]") {
      ++urls;
    }
  }
  if (urls > 0 && urls * 2 >= tokens) return "mostly_urls";
  std::unordered_map<std::string_view, size_t> counts;
  size_t words = 0, top = 0;
  for (size_t i = 0; i <= normalised.size();) {
    size_t sp = normalised.find(' ', i);
    if (sp == std::string_view::npos) sp = normalised.size();
    if (sp > i) {
      ++words;
      top = std::max(top, ++counts[normalised.substr(i, sp - i)]);
    }
    i = sp + 1;
  }
  if (words < 3) return "too_short";
  if (top * 2 > words) return "repetitive";
  return {};
}

std::string spotify_quality(const json& f) {
  auto ms = f.find("ms_played");
  if (ms == f.end() || !ms->is_number_unsigned() || ms->get<uint64_t>() == 0) return "not_played";
  if (ms->get<uint64_t>() >= kDayMs) return "implausible_duration";
  auto named = [&](const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() && !trim(it->get<std::string>()).empty();
  };
  if (!named("track") && !named("episode")) return "no_track";
  return {};
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// True if `value` is plausible for an Oura field called `key`; unknown keys pass.
bool oura_value_ok(std::string_view key, const json& value, bool contributor) {
  double lo = 0, hi = 0;
  if (contributor || key == "score" || key == "efficiency") {
    hi = 100;
  } else if (key.size() > 9 && key.substr(key.size() - 9) == "_duration") {
    hi = 86400;
  } else if (contains(key, "heart_rate")) {
    lo = 20;
    hi = 250;
  } else if (key == "steps") {
    hi = 200000;
  } else if (contains(key, "calories")) {
    hi = 20000;
  } else {
    return true;
  }
  if (!value.is_number()) return false;
  double v = value.get<double>();  // a quality verdict, never stored
  return v >= lo && v <= hi;
}

std::string oura_quality(const json& f) {
  if (f.empty()) return "no_values";
  for (const auto& [key, value] : f.items()) {
    if (value.is_object()) {
      for (const auto& [k, v] : value.items()) {
        if (!oura_value_ok(k, v, key == "contributors")) return "implausible_value";
      }
    } else if (!oura_value_ok(key, value, false)) {
      return "implausible_value";
    }
  }
  return {};
}

}  // namespace

std::string quality_reason(Source source, const ingest::Record& record, const json& refined,
                           std::string_view normalised_text, std::string_view account_identity) {
  const json& fields = refined["fields"];
  switch (source) {
    case Source::kReddit:
      if (record.kind == ingest::RecordKind::kMessage && privacy::normalise_identity(record.author) !=
                                          privacy::normalise_identity(account_identity)) {
        return "received_message";
      }
      [[fallthrough]];
    case Source::kX:
      return text_quality(refined["text"].get_ref<const std::string&>(), normalised_text);
    case Source::kSpotify:
      return spotify_quality(fields);
    case Source::kOura:
      return oura_quality(fields);
  }
  return {};
}

}  // namespace datadao::proof::internal
