// Authenticity: the archive has the platform's structure and internally consistent data.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "contribution_internal.hpp"

namespace datadao::proof::internal {
namespace {

using ingest::Source;

constexpr int64_t kDay = 86400;

// Reads exactly `n` decimal digits at s[*pos]; advances *pos.
std::optional<int64_t> digits(std::string_view s, size_t* pos, size_t n) {
  if (*pos + n > s.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  return v;
}

bool expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<int64_t> to_unix(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi,
                               int64_t sec) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1) return std::nullopt;
  if (d > kDays[mo - 1] + (mo == 2 && leap(y) ? 1 : 0)) return std::nullopt;
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kDay + h * 3600 +
         mi * 60 + sec;
}

// "YYYY-MM-DD", then optionally [T or space]"HH:MM"[":SS"[".fff"]], then optionally "Z",
// " UTC" or "+00:00"-style offsets. *pos ends after the date or time.
std::optional<int64_t> parse_iso(std::string_view s) {
  size_t p = 0;
  auto y = digits(s, &p, 4);
  if (!y || !expect(s, &p, '-')) return std::nullopt;
  auto mo = digits(s, &p, 2);
  if (!mo || !expect(s, &p, '-')) return std::nullopt;
  auto d = digits(s, &p, 2);
  if (!d) return std::nullopt;
  int64_t h = 0, mi = 0, sec = 0, offset = 0;
  if (p < s.size()) {
    if (s[p] != 'T' && s[p] != ' ') return std::nullopt;
    ++p;
    auto hh = digits(s, &p, 2);
    if (!hh || !expect(s, &p, ':')) return std::nullopt;
    auto mm = digits(s, &p, 2);
    if (!mm) return std::nullopt;
    h = *hh;
    mi = *mm;
    if (p < s.size() && s[p] == ':') {
      ++p;
      auto ss = digits(s, &p, 2);
      if (!ss) return std::nullopt;
      sec = *ss;
      if (p < s.size() && s[p] == '.') {
        ++p;
        size_t start = p;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
        if (p == start) return std::nullopt;
      }
    }
    std::string_view rest = s.substr(p);
    if (rest == "Z" || rest == " UTC" || rest.empty()) {
      // UTC
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      size_t q = 1;
      auto oh = digits(rest, &q, 2);
      ++q;
      auto om = digits(rest, &q, 2);
      if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
      offset = (rest[0] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    } else {
      return std::nullopt;
    }
  }
  auto t = to_unix(*y, *mo, *d, h, mi, sec);
  if (!t) return std::nullopt;
  return *t - offset;
}

// X: "Wed Oct 10 20:19:24 +0000 2018".
std::optional<int64_t> parse_x(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' ||
      s[25] != ' ') {
    return std::nullopt;
  }
  if (std::find(std::begin(kWeekdays), std::end(kWeekdays), s.substr(0, 3)) ==
      std::end(kWeekdays)) {
    return std::nullopt;
  }
  auto m = std::find(std::begin(kMonths), std::end(kMonths), s.substr(4, 3));
  if (m == std::end(kMonths)) return std::nullopt;
  size_t p = 8;
  auto d = digits(s, &p, 2);
  ++p;
  auto h = digits(s, &p, 2);
  bool ok = d && h && expect(s, &p, ':');
  auto mi = digits(s, &p, 2);
  ok = ok && mi && expect(s, &p, ':');
  auto sec = digits(s, &p, 2);
  ++p;
  if (!ok || !sec || (s[p] != '+' && s[p] != '-')) return std::nullopt;
  int sign = s[p] == '+' ? 1 : -1;
  ++p;
  auto oh = digits(s, &p, 2);
  auto om = digits(s, &p, 2);
  ++p;
  auto y = digits(s, &p, 4);
  if (!oh || !om || !y || *oh > 23 || *om > 59) return std::nullopt;
  auto t = to_unix(*y, (m - std::begin(kMonths)) + 1, *d, *h, *mi, *sec);
  if (!t) return std::nullopt;
  return *t - sign * (*oh * 3600 + *om * 60);
  // The weekday is not cross-checked: X writes it, but a wrong one harms nothing downstream.
}

int64_t launch_of(Source source) {
  switch (source) {
    case Source::kReddit:
      return days_from_civil(2005, 6, 23) * kDay;
    case Source::kX:
      return days_from_civil(2006, 3, 21) * kDay;
    case Source::kSpotify:
      return days_from_civil(2008, 10, 7) * kDay;
    case Source::kOura:
      return days_from_civil(2015, 1, 1) * kDay;
  }
  return 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The last non-empty path segment of a URL or path.
std::string_view last_segment(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  size_t slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

std::string field(const ingest::Record& r, const char* key) {
  const std::string* v = r.text_field(key);
  return v ? *v : std::string();
}

// True if a Reddit permalink (when present) agrees with the record's subreddit and id.
bool reddit_permalink_consistent(const ingest::Record& r) {
  std::string link = field(r, "permalink");
  if (link.empty()) return true;
  std::string l = lower(link);
  std::string id = lower(r.id);
  if (r.kind == ingest::RecordKind::kMessage) return last_segment(l) == id;
  std::string sub = field(r, "subreddit");
  std::string prefix = "/r/" + lower(sub) + "/comments/";
  size_t at = l.find(prefix);
  if (sub.empty() || at == std::string::npos) return false;
  std::string_view after = std::string_view(l).substr(at + prefix.size());
  if (r.kind == ingest::RecordKind::kPost)
    return after.substr(0, id.size()) == id &&
           (after.size() == id.size() || after[id.size()] == '/');
  return last_segment(after) == id;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_export_time(Source source, std::string_view text) {
  switch (source) {
    case Source::kX:
      return parse_x(text);
    case Source::kOura:
      if (text.size() != 10) return std::nullopt;  // a day, nothing more
      return parse_iso(text);
    case Source::kReddit:
    case Source::kSpotify:
      return parse_iso(text);
  }
  return std::nullopt;
}

AuthenticityChecker::AuthenticityChecker(Source source, int64_t now_unix)
    : source_(source), earliest_(launch_of(source)), latest_(now_unix + kDay) {}

std::string AuthenticityChecker::check(const ingest::Record& r, int64_t* unix_time) {
  uint64_t n = ++seen_per_kind_[r.kind];
  // Names the record without its content or id: "comment 12".
  const std::string where = std::string(ingest::kind_name(r.kind)) + " " + std::to_string(n);
  auto t = parse_export_time(source_, r.timestamp);
  if (!t) return where + ": timestamp does not parse";
  if (*t < earliest_) return where + ": timestamp before the platform existed";
  if (*t > latest_) return where + ": timestamp in the future";
  *unix_time = *t;
  switch (source_) {
    case Source::kReddit:
      if (!reddit_permalink_consistent(r)) {
        return where + ": permalink does not match the subreddit and id";
      }
      break;
    case Source::kX:
      if (r.id.empty() || r.id.size() > 20 ||
          !std::all_of(r.id.begin(), r.id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return where + ": tweet id is not a decimal number";
      }
      break;
    case Source::kSpotify:
    case Source::kOura:
      break;
  }
  // Spotify ids are "<time>|<track>" made by the importer: a track can end twice in one minute.
  if (source_ != Source::kSpotify && !ids_.insert(std::string(ingest::kind_name(r.kind)) + '\0' + r.id).second) {
    return where + (source_ == Source::kOura ? ": day repeated" : ": id repeated");
  }
  return {};
}

std::string AuthenticityChecker::finish(const ingest::ImportSummary& summary) const {
  if (source_ != Source::kReddit) return {};
  for (std::string_view required : {"posts.csv", "comments.csv"}) {
    bool found = std::any_of(summary.files.begin(), summary.files.end(),
                             [&](const auto& f) { return last_segment(f) == required; });
    if (!found) return "not a complete Reddit export: no " + std::string(required);
  }
  return {};
}

std::string refined_time(Source source, int64_t t) {
  int64_t days = t >= 0 ? t / kDay : (t - kDay + 1) / kDay;
  int64_t secs = t - days * kDay;
  // civil_from_days (Hinnant).
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  int hour = static_cast<int>(secs / 3600), minute = static_cast<int>(secs % 3600 / 60);
  switch (source) {
    case Source::kOura:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
      break;
    case Source::kSpotify:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02dZ", static_cast<int>(y), m, d, hour,
                    minute);
      break;
    case Source::kReddit:
    case Source::kX:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:00Z", static_cast<int>(y), m, d, hour);
      break;
  }
  return buf;
}

}  // namespace datadao::proof::internal
