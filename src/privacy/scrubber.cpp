// PII detection (RE2 candidates + validation + overlap resolution) and redaction.
#include <arpa/inet.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "datadao/privacy/pii.hpp"
#include "gazetteer.hpp"

namespace datadao::privacy {

namespace {

using internal::classify_given_name;
using internal::GivenName;
using internal::is_stop_word;

// ---- Patterns ------------------------------------------------------------------------------
// Every pattern is RE2 (no backreferences, no lookaround). Where a pattern needs a left
// context ("not preceded by a word character") it matches that character outside group 1 and
// the span is taken from group 1.

// Letters and digits of any script, so internationalised addresses (info@bäckerei.de) count.
constexpr const char* kEmail =
    R"((?:^|[^\p{L}\p{N}._%+\-])([\p{L}\p{N}][\p{L}\p{N}._%+\-]*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?\.)+\p{L}{2,24}))";
// "jane [at] example [dot] com": brackets required so "meet at home dot com" is not taken.
constexpr const char* kEmailObfuscated =
    R"((?i)\b[a-z0-9._%+\-]+\s*[\[\(\{]\s*at\s*[\]\)\}]\s*[a-z0-9\-]+(?:\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*[a-z0-9\-]+)+)";

constexpr const char* kPhoneIntl = R"((?:^|[^\w+])(\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){2,6}))";
constexpr const char* kPhoneNanp =
    R"((?:^|[^\w+.\-])((?:1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4})\b)";
constexpr const char* kPhoneNational = R"((?:^|[^\w+.\-])(0\d{1,4}(?:[ .\-]\d{2,8}){1,4})\b)";
constexpr const char* kPhoneContext =
    R"((?i)\b(?:call|text|phone|tel|telephone|mobile|cell|whatsapp|sms|ring|fax|my number|reach me)\b[^0-9+\n]{0,20}(\+?\(?\d[\d .\-()]{5,18}\d))";

constexpr const char* kCard = R"((?:^|[^\w.])(\d(?:[ \-]?\d){12,18})\b)";

constexpr const char* kIban =
    R"((?i)(?:^|[^\w])([a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,4})?)\b)";

constexpr const char* kIpv4 = R"((?:^|[^\w.])((?:\d{1,3}\.){3}\d{1,3})\b)";
constexpr const char* kIpv6 =
    R"((?i)(?:^|[^\w:.])((?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{1,4})?))";

constexpr const char* kUrl = R"((?i)\b((?:https?://|www\.)[^\s<>"'`]+))";
constexpr const char* kUrlBare =
    R"((?i)(?:^|[^\w./@])((?:[a-z0-9\-]+\.)*(?:reddit|twitter|x|instagram|facebook|fb|linkedin|tiktok|youtube|github|medium|threads)\.(?:com|net)/[^\s<>"'`]+))";

constexpr const char* kHandleAt = R"((?:^|[^\w@/:])(@[A-Za-z0-9_]{1,30})\b)";
constexpr const char* kHandleReddit = R"((?:^|[^\w/])(/?[uU]/[A-Za-z0-9_\-]{3,20})\b)";

constexpr const char* kAddressUs =
    R"(\b(\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:(?:N|S|E|W|North|South|East|West|NE|NW|SE|SW)\.?\s+)?(?:(?:\d{1,3}(?:st|nd|rd|th)|\p{Lu}[\p{L}'\-]+)\.?\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Crescent|Close|Grove|Row|Trail|Trl|Alley|Mews|Gardens|Walk|Loop|Plaza)\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\.?\s*#?[A-Za-z0-9\-]+)?(?:,\s*\p{Lu}[\p{L}\-]+(?:\s\p{Lu}[\p{L}\-]+){0,2})?(?:,?\s*[A-Z]{2}\b)?(?:,?\s*\d{5}(?:-\d{4})?\b)?))";
constexpr const char* kAddressGerman =
    R"(\b(\p{Lu}[\p{Ll}]+(?:straße|strasse|str\.|weg|gasse|platz|allee|damm)\s+\d{1,4}[a-z]?\b(?:,\s*\d{5}\s+\p{Lu}\p{Ll}+)?))";
constexpr const char* kAddressRomance =
    R"(\b(\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*\p{Lu}[\p{L}\-']+(?:\s+\p{Lu}[\p{L}\-']+)*(?:,\s*\d{5}\s+\p{Lu}\p{Ll}+)?))";
constexpr const char* kAddressCalle =
    R"(\b((?:Calle|Avenida|Rua|Via|Viale|Piazza|Corso|Carrer)\s+(?:(?:de|del|da|do|dos|della|di|la)\s+)*\p{Lu}[\p{L}\-']+(?:\s+\p{Lu}[\p{L}\-']+)*,?\s+\d{1,4}\b))";

constexpr const char* kNameHonorific =
    R"(\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+(\p{Lu}[\p{L}\-]+(?:\s+\p{Lu}[\p{L}\-]+)?))";
constexpr const char* kNameIntro =
    R"(\b((?:[Mm]y name is|[Mm]y name's|[Nn]ame's|[Cc]all me|[Tt]his is|I'm|I am|I’m|[Ii]t's me,?))\s+(\p{Lu}[\p{L}\-]+(?:\s+\p{Lu}[\p{L}\-]+)?))";
constexpr const char* kNameSignature =
    R"((?m)(?:^|[\s,.!])(?:-{1,2}|–|—|~)\s?(\p{Lu}[\p{L}\-]+(?:\s+\p{Lu}(?:[\p{L}\-]+|\.))?)\s*$)";
constexpr const char* kNameSignoff =
    R"((?m)\b(?i:thanks|thank you|cheers|regards|best|sincerely|love|xoxo|yours|warmly|thx|ty)[,!.]?\s+(\p{Lu}[\p{L}\-]+)\s*[.!]?\s*$)";
// "my dad Tony", "our landlord Gary Smith": a relation word names the next capitalised word(s).
constexpr const char* kNameRelation =
    R"(\b(?i:my|our|his|her|their)\s+(?:(?i:ex|late|older|younger|little|big|best|new|old)\s+)?(?i:dad|father|mom|mum|mother|sister|brother|husband|wife|son|daughter|friend|boyfriend|girlfriend|bf|gf|partner|boss|coworker|co-worker|colleague|roommate|flatmate|neighbou?r|landlord|landlady|cousin|aunt|uncle|grandma|grandpa|grandmother|grandfather|niece|nephew|ex|fianc[eé]e?|teacher|doctor|manager|kid|stepdad|stepmom|mentor|tutor|therapist|classmate)\s+(\p{Lu}[\p{L}\-]+(?:\s+\p{Lu}[\p{L}\-]+)?))";
constexpr const char* kCapitalisedWord = R"((\p{Lu}[\p{L}\-]*\p{L}))";

// ---- Helpers -------------------------------------------------------------------------------

std::unique_ptr<RE2> compile(const char* pattern) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  auto re = std::make_unique<RE2>(pattern, o);
  if (!re->ok()) std::abort();  // A bad built-in pattern is a programming error.
  return re;
}

// Calls fn(groups) for each successive non-overlapping match; groups[0] is the whole match.
void for_each_match(const RE2& re, std::string_view text,
                    const std::function<void(const re2::StringPiece*)>& fn) {
  const int n = std::min(re.NumberOfCapturingGroups() + 1, 4);
  re2::StringPiece groups[4];
  re2::StringPiece input(text.data(), text.size());
  size_t pos = 0;
  while (pos <= text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, groups, n)) {
    fn(groups);
    size_t end = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
    pos = groups[0].empty() ? end + 1 : end;
  }
}

size_t offset_of(std::string_view text, const re2::StringPiece& g) {
  return static_cast<size_t>(g.data() - text.data());
}

size_t count_digits(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

bool is_word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80);
}

// Shortens `s` by dropping trailing separator-delimited groups until `ok(prefix)` holds or no
// group is left. Returns the accepted length, 0 if none. Used where a greedy pattern swallowed
// an adjacent number ("4111 1111 1111 1111 2024").
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

// dd.mm.yyyy, dd-mm-yy, yyyy-mm-dd at the start of a candidate: a date, not a phone number.
bool looks_like_date(std::string_view s) {
  static const RE2 kDate(
      R"(^(?:\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})\b)");
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), kDate);
}

// Printed cards are one run of digits or groups of 4 (4-4-4-4, 4-6-5, 4-4-4-2, ...): the first
// group has 4 digits and the inner groups 4..6. "112-3344556-7788990" is an order number.
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

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool in(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// True if the URL points at a person (profile, user page, user id or email in the query).
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

// Trailing punctuation that ends a sentence rather than a URL.
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

int specificity(PiiType t) {
  switch (t) {
    case PiiType::kEmail:
      return 9;
    case PiiType::kUrlPersonal:
      return 8;
    case PiiType::kCreditCard:
      return 7;
    case PiiType::kIban:
      return 6;
    case PiiType::kIpAddress:
      return 5;
    case PiiType::kPhone:
      return 4;
    case PiiType::kStreetAddress:
      return 3;
    case PiiType::kHandle:
      return 2;
    case PiiType::kPersonName:
      return 1;
  }
  return 0;
}

}  // namespace

struct Scrubber::Patterns {
  std::unique_ptr<RE2> email = compile(kEmail);
  std::unique_ptr<RE2> email_obfuscated = compile(kEmailObfuscated);
  std::unique_ptr<RE2> phone_intl = compile(kPhoneIntl);
  std::unique_ptr<RE2> phone_nanp = compile(kPhoneNanp);
  std::unique_ptr<RE2> phone_national = compile(kPhoneNational);
  std::unique_ptr<RE2> phone_context = compile(kPhoneContext);
  std::unique_ptr<RE2> card = compile(kCard);
  std::unique_ptr<RE2> iban = compile(kIban);
  std::unique_ptr<RE2> ipv4 = compile(kIpv4);
  std::unique_ptr<RE2> ipv6 = compile(kIpv6);
  std::unique_ptr<RE2> url = compile(kUrl);
  std::unique_ptr<RE2> url_bare = compile(kUrlBare);
  std::unique_ptr<RE2> handle_at = compile(kHandleAt);
  std::unique_ptr<RE2> handle_reddit = compile(kHandleReddit);
  std::unique_ptr<RE2> address_us = compile(kAddressUs);
  std::unique_ptr<RE2> address_german = compile(kAddressGerman);
  std::unique_ptr<RE2> address_romance = compile(kAddressRomance);
  std::unique_ptr<RE2> address_calle = compile(kAddressCalle);
  std::unique_ptr<RE2> name_honorific = compile(kNameHonorific);
  std::unique_ptr<RE2> name_intro = compile(kNameIntro);
  std::unique_ptr<RE2> name_signature = compile(kNameSignature);
  std::unique_ptr<RE2> name_signoff = compile(kNameSignoff);
  std::unique_ptr<RE2> name_relation = compile(kNameRelation);
  std::unique_ptr<RE2> capitalised = compile(kCapitalisedWord);

  // One DFA pass over the text tells which patterns can match at all; the others are skipped.
  // Without it every record pays one RE2 search per pattern even when it holds no PII.
  std::vector<const RE2*> prefiltered;
  std::unique_ptr<re2::RE2::Set> trigger;
  Patterns();
  // Which of `prefiltered` may match `text` (all true if the set could not decide).
  std::vector<bool> possible(std::string_view text) const;
  // for_each_match, skipped when the prefilter ruled `re` out.
  void scan(const RE2& re, std::string_view text, const std::vector<bool>& may,
            const std::function<void(const re2::StringPiece*)>& fn) const;

  void candidates(std::string_view text, std::vector<PiiSpan>& out) const;
  void names(std::string_view text, const std::vector<bool>& may, std::vector<PiiSpan>& out) const;
};

Scrubber::Patterns::Patterns() {
  const std::pair<const RE2*, const char*> all[] = {
      {email.get(), kEmail},
      {email_obfuscated.get(), kEmailObfuscated},
      {phone_intl.get(), kPhoneIntl},
      {phone_nanp.get(), kPhoneNanp},
      {phone_national.get(), kPhoneNational},
      {phone_context.get(), kPhoneContext},
      {card.get(), kCard},
      {iban.get(), kIban},
      {ipv4.get(), kIpv4},
      {ipv6.get(), kIpv6},
      {url.get(), kUrl},
      {url_bare.get(), kUrlBare},
      {handle_at.get(), kHandleAt},
      {handle_reddit.get(), kHandleReddit},
      {address_us.get(), kAddressUs},
      {address_german.get(), kAddressGerman},
      {address_romance.get(), kAddressRomance},
      {address_calle.get(), kAddressCalle},
      {name_honorific.get(), kNameHonorific},
      {name_intro.get(), kNameIntro},
      {name_signature.get(), kNameSignature},
      {name_signoff.get(), kNameSignoff},
      {name_relation.get(), kNameRelation},
  };
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(128 << 20);
  trigger = std::make_unique<re2::RE2::Set>(o, RE2::UNANCHORED);
  for (const auto& [re, pattern] : all) {
    if (trigger->Add(pattern, nullptr) < 0) std::abort();  // built-in pattern: programming error
    prefiltered.push_back(re);
  }
  if (!trigger->Compile()) trigger.reset();  // fall back to running every pattern
}

std::vector<bool> Scrubber::Patterns::possible(std::string_view text) const {
  std::vector<bool> may(prefiltered.size(), trigger == nullptr);
  if (!trigger) return may;
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo info{};
  if (!trigger->Match(re2::StringPiece(text.data(), text.size()), &hits, &info) &&
      info.kind != re2::RE2::Set::kNoError) {
    return std::vector<bool>(prefiltered.size(), true);  // e.g. DFA out of memory
  }
  for (int h : hits) may[static_cast<size_t>(h)] = true;
  return may;
}

void Scrubber::Patterns::scan(const RE2& re, std::string_view text, const std::vector<bool>& may,
                              const std::function<void(const re2::StringPiece*)>& fn) const {
  for (size_t i = 0; i < prefiltered.size(); ++i) {
    if (prefiltered[i] == &re && !may[i]) return;
  }
  for_each_match(re, text, fn);
}

void Scrubber::Patterns::candidates(std::string_view text, std::vector<PiiSpan>& out) const {
  const std::vector<bool> may = possible(text);
  auto add = [&](PiiType t, size_t b, size_t e) {
    if (e > b) out.push_back(PiiSpan{t, b, e});
  };
  auto whole = [&](const RE2& re, PiiType t) {
    scan(re, text, may, [&](const re2::StringPiece* g) {
      add(t, offset_of(text, g[0]), offset_of(text, g[0]) + g[0].size());
    });
  };
  // Cheap byte-class prefilters: most short records lack '@', digits or capitals, and a
  // pattern that cannot match is not run (an RE2 search has a fixed per-call cost).
  bool has_at = false, has_digit = false, has_upper = false, has_colon = false, has_dot = false,
       has_slash = false, has_bracket = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    has_at |= c == '@';
    has_digit |= c >= '0' && c <= '9';
    has_upper |= (c >= 'A' && c <= 'Z') || c >= 0x80;
    has_colon |= c == ':';
    has_dot |= c == '.';
    has_slash |= c == '/';
    has_bracket |= c == '[' || c == '(' || c == '{';
  }
  if (has_at) {
    scan(*email, text, may, [&](const re2::StringPiece* g) {
      add(PiiType::kEmail, offset_of(text, g[1]), offset_of(text, g[1]) + g[1].size());
    });
  }
  if (has_bracket) whole(*email_obfuscated, PiiType::kEmail);

  // IBAN-shaped tokens (valid or not): their digit groups are not cards or phone numbers.
  struct Region {
    size_t b, e;
  };
  std::vector<Region> iban_shaped;
  if (has_digit)
    scan(*iban, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      iban_shaped.push_back(Region{offset_of(text, g[1]), offset_of(text, g[1]) + s.size()});
      size_t len = longest_valid_prefix(s, " ", iban_valid);
      if (len) add(PiiType::kIban, offset_of(text, g[1]), offset_of(text, g[1]) + len);
    });
  auto inside_iban_shape = [&](size_t b, size_t e) {
    // Regions come from one left-to-right scan: sorted and disjoint.
    auto it = std::upper_bound(iban_shaped.begin(), iban_shaped.end(), b,
                               [](size_t pos, const Region& r) { return pos < r.e; });
    return it != iban_shaped.end() && it->b < e;
  };

  // Phones: digit count 8..15 (E.164 allows up to 15), 9..13 for national formats.
  auto phone = [&](const RE2& re, size_t min_digits, size_t max_digits) {
    if (!has_digit) return;
    scan(re, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      if (looks_like_date(s)) return;
      size_t len = longest_valid_prefix(s, " .-()", [&](std::string_view p) {
        size_t d = count_digits(p);
        return d >= min_digits && d <= max_digits;
      });
      // Trailing ')' without its '(' is punctuation.
      while (len > 0 && (s[len - 1] == ')' || s[len - 1] == ' ' || s[len - 1] == '-') &&
             std::count(s.begin(), s.begin() + len, '(') <
                 std::count(s.begin(), s.begin() + len, ')'))
        --len;
      size_t b = offset_of(text, g[1]);
      // The tail of a longer digit sequence ("5145 0897 9977 7260") is not a phone number.
      bool continues_number = b >= 2 && std::isdigit(static_cast<unsigned char>(text[b - 2])) &&
                              (text[b - 1] == ' ' || text[b - 1] == '-' || text[b - 1] == '.');
      if (len && !continues_number && !inside_iban_shape(b, b + len)) {
        add(PiiType::kPhone, b, b + len);
      }
    });
  };
  phone(*phone_intl, 8, 15);
  phone(*phone_nanp, 10, 11);
  phone(*phone_national, 9, 13);
  phone(*phone_context, 7, 15);

  if (has_digit)
    scan(*card, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t len = longest_valid_prefix(
          s, " -", [](std::string_view p) { return card_grouping_plausible(p) && luhn_valid(p); });
      size_t b = offset_of(text, g[1]);
      if (len && !inside_iban_shape(b, b + len)) add(PiiType::kCreditCard, b, b + len);
    });

  if (has_digit && has_dot)
    scan(*ipv4, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t b = offset_of(text, g[1]), e = b + s.size();
      if (!valid_ipv4(s)) return;
      // "v1.2.3.4" or "1.2.3.4.5" are versions.
      if (b > 0 && (text[b - 1] == 'v' || text[b - 1] == 'V')) return;
      if (e + 1 < text.size() && text[e] == '.' &&
          std::isdigit(static_cast<unsigned char>(text[e + 1])))
        return;
      add(PiiType::kIpAddress, b, e);
    });
  if (has_colon)
    scan(*ipv6, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t b = offset_of(text, g[1]), e = b + s.size();
      if (e < text.size() && is_word_byte(text[e])) return;
      if (valid_ipv6(s)) add(PiiType::kIpAddress, b, e);
    });

  auto url_pattern = [&](const RE2& re) {
    scan(re, text, may, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t len = trim_url(s);
      if (len && personal_url(s.substr(0, len))) {
        add(PiiType::kUrlPersonal, offset_of(text, g[1]), offset_of(text, g[1]) + len);
      }
    });
  };
  if (has_colon || has_dot) url_pattern(*url);
  if (has_slash) url_pattern(*url_bare);

  for (const RE2* re :
       {has_at ? handle_at.get() : nullptr, has_slash ? handle_reddit.get() : nullptr}) {
    if (re == nullptr) continue;
    scan(*re, text, may, [&](const re2::StringPiece* g) {
      size_t b = offset_of(text, g[1]), e = b + g[1].size();
      // "@example.com" is a domain fragment, not a handle.
      if (e + 1 < text.size() && text[e] == '.' &&
          std::isalpha(static_cast<unsigned char>(text[e + 1])))
        return;
      add(PiiType::kHandle, b, e);
    });
  }

  for (const RE2* re :
       {address_us.get(), address_german.get(), address_romance.get(), address_calle.get()}) {
    if (!has_digit) break;
    scan(*re, text, may, [&](const re2::StringPiece* g) {
      add(PiiType::kStreetAddress, offset_of(text, g[1]), offset_of(text, g[1]) + g[1].size());
    });
  }

  if (has_upper) names(text, may, out);
}

void Scrubber::Patterns::names(std::string_view text, const std::vector<bool>& may,
                               std::vector<PiiSpan>& out) const {
  auto add = [&](size_t b, size_t e) {
    if (e > b) out.push_back(PiiSpan{PiiType::kPersonName, b, e});
  };
  // A one- or two-word capture: keep the second word only if it is not a function word.
  auto add_words = [&](std::string_view s, size_t b, bool require_given) {
    size_t space = s.find_first_of(" \t\r\n");
    std::string_view w1 = s.substr(0, space);
    if (is_stop_word(w1)) return;
    if (require_given && classify_given_name(w1) == GivenName::kNo) return;
    size_t len = s.size();
    if (space != std::string_view::npos) {
      std::string_view w2 = s.substr(s.find_first_not_of(" \t\r\n", space));
      if (is_stop_word(w2)) len = space;
    }
    add(b, b + len);
  };
  scan(*name_honorific, text, may, [&](const re2::StringPiece* g) {
    add_words(std::string_view(g[1].data(), g[1].size()), offset_of(text, g[1]), false);
  });
  scan(*name_intro, text, may, [&](const re2::StringPiece* g) {
    std::string_view trigger(g[1].data(), g[1].size());
    // "I'm Canadian", "This is Reddit": only a known given name counts after these.
    bool weak = trigger == "I'm" || trigger == "I am" || trigger == "I’m" || trigger == "This is" ||
                trigger == "this is";
    add_words(std::string_view(g[2].data(), g[2].size()), offset_of(text, g[2]), weak);
  });
  for (const RE2* re : {name_signature.get(), name_signoff.get(), name_relation.get()}) {
    scan(*re, text, may, [&](const re2::StringPiece* g) {
      add_words(std::string_view(g[1].data(), g[1].size()), offset_of(text, g[1]), false);
    });
  }

  // Gazetteer: a known given name, optionally followed by capitalised surname(s).
  struct Word {
    size_t b, e;
  };
  std::vector<Word> words;
  scan(*capitalised, text, may, [&](const re2::StringPiece* g) {
    size_t b = offset_of(text, g[1]);
    // Only whole words: not preceded by a letter/digit (RE2's \b is ASCII-only).
    if (b > 0 && is_word_byte(text[b - 1])) return;
    words.push_back(Word{b, b + g[1].size()});
  });
  auto adjacent = [&](const Word& a, const Word& b) {
    if (b.b <= a.e) return false;
    std::string_view gap = text.substr(a.e, b.b - a.e);
    return gap == " ";
  };
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = text.substr(words[i].b, words[i].e - words[i].b);
    GivenName kind = classify_given_name(w);
    if (kind == GivenName::kNo) continue;
    size_t j = i;
    while (j + 1 < words.size() && j - i < 2 && adjacent(words[j], words[j + 1])) {
      std::string_view next = text.substr(words[j + 1].b, words[j + 1].e - words[j + 1].b);
      if (is_stop_word(next)) break;
      ++j;
    }
    if (j > i || kind == GivenName::kYes) {
      add(words[i].b, words[j].e);
      i = j;
    }
  }
}

Scrubber::Scrubber(ScrubOptions options)
    : options_(std::move(options)), patterns_(std::make_unique<const Patterns>()) {}
Scrubber::~Scrubber() = default;
Scrubber::Scrubber(Scrubber&&) noexcept = default;
Scrubber& Scrubber::operator=(Scrubber&&) noexcept = default;

std::vector<PiiSpan> Scrubber::detect(std::string_view text) const {
  std::vector<PiiSpan> candidates;
  patterns_->candidates(text, candidates);
  // Longest first, then most specific, then leftmost; accept those not overlapping an
  // accepted span.
  std::sort(candidates.begin(), candidates.end(), [](const PiiSpan& a, const PiiSpan& b) {
    size_t la = a.end - a.begin, lb = b.end - b.begin;
    if (la != lb) return la > lb;
    if (specificity(a.type) != specificity(b.type))
      return specificity(a.type) > specificity(b.type);
    return a.begin < b.begin;
  });
  std::map<size_t, PiiSpan> accepted;  // disjoint, keyed by begin
  for (const PiiSpan& c : candidates) {
    auto next = accepted.lower_bound(c.begin);
    if (next != accepted.end() && next->second.begin < c.end) continue;
    if (next != accepted.begin() && std::prev(next)->second.end > c.begin) continue;
    accepted.emplace_hint(next, c.begin, c);
  }
  std::vector<PiiSpan> out;
  out.reserve(accepted.size());
  for (const auto& [begin, span] : accepted) out.push_back(span);
  return out;
}

std::string Scrubber::pseudonymise(std::string_view kind, std::string_view identity) const {
  if (!options_.pseudonym_key) return "[USER]";
  return pseudonym(*options_.pseudonym_key, kind, identity);
}

std::string Scrubber::scrub(std::string_view raw) const {
  std::string clean = sanitise_utf8(raw);
  std::string_view text = clean;
  std::vector<PiiSpan> spans = detect(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const PiiSpan& s : spans) {
    out.append(text.substr(pos, s.begin - pos));
    std::string_view value = text.substr(s.begin, s.end - s.begin);
    if (s.type == PiiType::kHandle) {
      if (options_.pseudonym_key) {
        std::string_view sigil = value[0] == '@' ? "@" : value[0] == '/' ? "/u/" : "u/";
        out.append(sigil);
        out.append(pseudonymise(options_.handle_kind, value));
      } else {
        out.append("[USER]");
      }
    } else {
      out.push_back('[');
      out.append(pii_type_label(s.type));
      out.push_back(']');
    }
    pos = s.end;
  }
  out.append(text.substr(pos));
  return out;
}

std::vector<PiiSpan> detect(std::string_view text) {
  static const Scrubber kDefault;
  return kDefault.detect(text);
}

std::string scrub(std::string_view text, const Scrubber& scrubber) { return scrubber.scrub(text); }

}  // namespace datadao::privacy
