// The checks that accept, reject or shorten a pattern's candidate before it becomes a span.
#include "candidate_checks.hpp"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>

namespace datadao::privacy::internal {

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool in(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

size_t longest_valid_prefix(std::string_view s, std::string_view separators,
                            const std::function<bool(std::string_view)>& ok) {
  size_t len = s.size();
  while (len > 0) {
    std::string_view prefix = s.substr(0, len);
    if (ok(prefix)) return len;
    size_t cut = prefix.find_last_of(separators);
    if (cut == std::string_view::npos) return 0;
    while (cut > 0 && separators.find(prefix[cut - 1]) != std::string_view::npos) --cut;
    len = cut;
  }
  return 0;
}

bool looks_like_date(std::string_view s) {
  static const RE2 kDate(
      R"(^(?:\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})\b)");
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), kDate);
}

bool card_grouping_plausible(std::string_view s) {
  std::vector<size_t> groups;
  size_t run = 0;
  for (char c : s) {
    if (c == ' ' || c == '-') {
      if (run) groups.push_back(run);
      run = 0;
    } else {
      ++run;
    }
  }
  if (run) groups.push_back(run);
  if (groups.size() <= 1) return true;
  if (groups[0] != 4) return false;
  for (size_t i = 1; i + 1 < groups.size(); ++i) {
    if (groups[i] < 4 || groups[i] > 6) return false;
  }
  return true;
}

bool valid_ipv4(std::string_view s) {
  size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    size_t dot = s.find('.', start);
    std::string_view octet = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (octet.empty() || octet.size() > 3) return false;
    if (octet.size() > 1 && octet[0] == '0') return false;
    int v = 0;
    for (char c : octet) v = v * 10 + (c - '0');
    if (v > 255) return false;
    start = dot + 1;
  }
  return true;
}

bool valid_ipv6(std::string_view s) {
  if (std::count(s.begin(), s.end(), ':') < 2) return false;
  size_t hex = std::count_if(s.begin(), s.end(),
                             [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (hex < 4) return false;  // "::", "a::b" are more likely code than addresses
  std::string z(s);
  in6_addr addr;
  return inet_pton(AF_INET6, z.c_str(), &addr) == 1;
}

bool personal_url(std::string_view url) {
  std::string u = lower(url);
  std::string_view v = u;
  if (v.substr(0, 7) == "http://") v.remove_prefix(7);
  if (v.substr(0, 8) == "https://") v.remove_prefix(8);
  size_t slash = v.find_first_of("/?#");
  std::string_view host = v.substr(0, slash);
  std::string_view rest = slash == std::string_view::npos ? std::string_view() : v.substr(slash);
  for (std::string_view p : {"www.", "old.", "new.", "m.", "mobile.", "np.", "mbasic."}) {
    if (host.substr(0, p.size()) == p) host.remove_prefix(p.size());
  }
  if (rest.find('@') != std::string_view::npos || rest.find("%40") != std::string_view::npos) {
    return true;
  }
  size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  // First path segment.
  std::string_view seg = path;
  if (!seg.empty() && seg[0] == '/') seg.remove_prefix(1);
  std::string_view first = seg.substr(0, seg.find('/'));
  auto strip_dot = [](std::string_view h, std::string_view domain) {
    return h == domain ||
           (h.size() > domain.size() && h.substr(h.size() - domain.size()) == domain &&
            h[h.size() - domain.size() - 1] == '.');
  };
  if (strip_dot(host, "reddit.com")) {
    if (first == "u" || first == "user") return true;
  } else if (strip_dot(host, "twitter.com") || strip_dot(host, "x.com")) {
    if (!first.empty() &&
        !in(first, {"home", "search", "explore", "i", "hashtag", "intent", "share", "settings",
                    "notifications", "messages", "login", "signup", "tos", "privacy", "compose"})) {
      return true;
    }
  } else if (strip_dot(host, "instagram.com")) {
    if (!first.empty() &&
        !in(first, {"p", "reel", "reels", "explore", "accounts", "about", "developer", "tv"})) {
      return true;
    }
  } else if (strip_dot(host, "facebook.com") || strip_dot(host, "fb.com")) {
    if (!first.empty() &&
        !in(first, {"groups", "events", "watch", "marketplace", "help", "login", "share", "sharer",
                    "sharer.php", "pages", "gaming", "policies", "business"})) {
      return true;
    }
  } else if (strip_dot(host, "linkedin.com")) {
    if (first == "in" || first == "pub") return true;
  } else if (strip_dot(host, "tiktok.com") || strip_dot(host, "youtube.com") ||
             strip_dot(host, "medium.com") || strip_dot(host, "threads.net")) {
    if (!first.empty() &&
        (first[0] == '@' || first == "user" || first == "channel" || first == "c"))
      return true;
  } else if (strip_dot(host, "github.com")) {
    if (!first.empty() &&
        !in(first, {"features", "about", "pricing", "topics", "trending", "explore", "marketplace",
                    "sponsors", "login", "join", "search", "settings", "orgs", "collections"})) {
      return true;
    }
  }
  // Generic profile paths on any site.
  for (std::string_view marker : {"/u/", "/user/", "/users/", "/profile/", "/profiles/", "/people/",
                                  "/member/", "/members/", "/author/", "/~"}) {
    if (path.find(marker) != std::string_view::npos) return true;
  }
  if (path.find("profile.php") != std::string_view::npos) return true;
  // Identifying query parameters.
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    std::string_view param =
        query.substr(start, amp == std::string_view::npos ? query.npos : amp - start);
    std::string_view key = param.substr(0, param.find('='));
    if (in(key, {"user", "userid", "user_id", "uid", "username", "email", "mail", "profile",
                 "profile_id", "account", "account_id", "member", "member_id", "customer_id",
                 "login", "name"})) {
      return true;
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return false;
}

size_t trim_url(std::string_view url) {
  size_t len = url.size();
  while (len > 0) {
    char c = url[len - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*' ||
        c == '\'' || c == '"') {
      --len;
    } else if (c == ')' || c == ']') {
      std::string_view body = url.substr(0, len);
      char open = c == ')' ? '(' : '[';
      if (std::count(body.begin(), body.end(), open) < std::count(body.begin(), body.end(), c)) {
        --len;
      } else {
        break;
      }
    } else {
      break;
    }
  }
  return len;
}

}  // namespace datadao::privacy::internal
