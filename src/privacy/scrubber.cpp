// PII detection (RE2 candidates + validation + overlap resolution) and redaction.
#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/privacy/pii.hpp"
#include "gazetteer.hpp"
#include "pseudonym_key.hpp"

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
// A template, not std::function: the callbacks capture more than fits its inline buffer, and a
// heap allocation per pattern per text showed in profiles.
// `group1_is_match`: the pattern is "\b(...)" or "(?i)\b(...)", so group 1 is the whole match;
// asking RE2 for the match alone spares it the submatch engine (the DFA finds both ends).
template <class Fn>
void for_each_match(const RE2& re, std::string_view text, const Fn& fn,
                    bool group1_is_match = false) {
  const int n = group1_is_match ? 1 : std::min(re.NumberOfCapturingGroups() + 1, 4);
  re2::StringPiece groups[4];
  re2::StringPiece input(text.data(), text.size());
  size_t pos = 0;
  while (pos <= text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, groups, n)) {
    if (group1_is_match) groups[1] = groups[0];
    fn(groups);
    size_t end = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
    pos = groups[0].empty() ? end + 1 : end;
  }
}

// for_each_match for kEmail, searching only around each '@': its \p{L} classes make a search
// over a whole text cost tens of microseconds. A match holds one '@', its local part is a run of
// [\p{L}\p{N}._%+\-] right before it and its domain a run of [\p{L}\p{N}.\-] right after (any
// non-ASCII byte counted in both), and the character before the local part is ASCII. So every
// match lies in [start of that run - 1, end of the domain run), the windows of successive '@'s
// come in order, and RE2 reads the text outside a window as context for ^: the same matches.
template <class Fn>
void for_each_email_match(const RE2& re, std::string_view text, const Fn& fn) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  auto local = [](unsigned char c) {
    return std::isalnum(c) || c >= 0x80 || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  auto domain = [](unsigned char c) {
    return std::isalnum(c) || c >= 0x80 || c == '.' || c == '-';
  };
  re2::StringPiece groups[2];
  re2::StringPiece input(text.data(), n);
  size_t pos = 0;  // end of the previous match
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && local(s[b - 1])) --b;
    size_t e = at + 1;
    while (e < n && domain(s[e])) ++e;
    size_t start = std::max(pos, b > 0 ? b - 1 : 0);
    if (start >= e) continue;
    if (re.Match(input, start, e, RE2::UNANCHORED, groups, 2)) {
      fn(groups);
      pos = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
    }
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

// ---- Byte-level triggers -------------------------------------------------------------------
// Every RE2 search costs a pass over the text and a fixed per-call price, and most texts hold
// no PII. One pass over the bytes computes, for each pattern, a condition that every match the
// pattern could contribute must satisfy (a phone number needs 7+ digits in one run of digits and
// separators, an IBAN two letters then two digits, a URL "://" or "www.", ...). A pattern whose
// condition fails is not run: its matches would all be rejected, so the spans are the same.
// Conditions are deliberately loose where case folding could bite ((?i) lets 'k' match U+212A
// and 's' match U+017F): any non-ASCII byte there counts as "may match".

bool is_space(unsigned char c) {  // RE2's \s, plus \v to stay on the safe side
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_ascii_word(unsigned char c) { return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_'; }
// Characters a phone or card number can be written with: digits and [ .-()+].
bool is_number_char(unsigned char c) {
  return is_ascii_digit(c) || c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '+';
}

struct Triggers {
  bool at = false, bracket = false, digit = false, upper = false, dot = false;
  bool email_at = false;          // '@' right after a character of an email's local part
  bool plus_digit = false;        // "+1": international phone
  size_t number_digits = 0;       // most digits in one run of number characters
  size_t grouped_digits = 0;      // the same, over runs with a digit, [ .-], digit inside
  size_t dotted_digits = 0;       // "d.d" occurrences: an IPv4 address has three
  bool close_colons = false;      // two ':' at most 5 bytes apart: IPv6
  bool iban_shape = false;        // letter (or non-ASCII) then two digits
  bool url = false;               // "://" or "www."
  bool url_bare = false;          // ".com/" or ".net/"
  bool reddit_user = false;       // "u/"
  bool dash_capital = false;      // signature: a dash then a capital
  bool romance_street = false;    // a number then one of the French street words
  bool street_word = false;       // Street, Ave, ... (US addresses)
  bool calle_word = false;        // Calle, Via, ...
  bool honorific = false;         // Mr, Dr, ...
  bool intro = false;             // "my name is", "I'm", ... then whitespace and a capital
  bool relation = false;          // "dad", "boss", ... then whitespace and a capital
  bool line_end_capital = false;  // a capitalised token ends a line (signature, sign-off)
};

bool lower_equals(std::string_view text, size_t pos, std::string_view lower_word) {
  if (pos + lower_word.size() > text.size()) return false;
  for (size_t i = 0; i < lower_word.size(); ++i) {
    if ((static_cast<unsigned char>(text[pos + i]) | 0x20) != lower_word[i]) return false;
  }
  return true;
}

// Which (length, first letter) pairs occur in a word list: most words of a text are ruled out
// by one bit test instead of a hash lookup. Letters compare case-insensitively; words that do
// not start with an ASCII letter, or are longer than 15 bytes, always pass to the real lookup.
class WordShapes {
 public:
  void add(std::string_view w) {
    if (w.empty() || w.size() > 15 || !is_ascii_alpha(static_cast<unsigned char>(w[0]))) {
      return;
    }
    bits_[w.size()] |= 1u << ((static_cast<unsigned char>(w[0]) | 0x20) - 'a');
  }
  bool may_contain(std::string_view w) const {
    if (w.empty() || w.size() > 15 || !is_ascii_alpha(static_cast<unsigned char>(w[0]))) {
      return true;
    }
    return bits_[w.size()] >> ((static_cast<unsigned char>(w[0]) | 0x20) - 'a') & 1u;
  }

 private:
  uint32_t bits_[16] = {};
};

// `w` is an ASCII capitalised word starting at an ASCII word boundary.
void classify_boundary_word(std::string_view w, Triggers& t) {
  enum : uint8_t { kStreet = 1, kCalle = 2, kHonorific = 4 };
  static const std::unordered_map<std::string_view, uint8_t> kWords = [] {
    std::unordered_map<std::string_view, uint8_t> m;
    for (std::string_view s :
         {"Street",    "St",     "Avenue", "Ave",      "Road",  "Rd",      "Lane",  "Ln",
          "Boulevard", "Blvd",   "Drive",  "Dr",       "Court", "Ct",      "Place", "Pl",
          "Terrace",   "Ter",    "Way",    "Circle",   "Cir",   "Parkway", "Pkwy",  "Highway",
          "Hwy",       "Square", "Sq",     "Crescent", "Close", "Grove",   "Row",   "Trail",
          "Trl",       "Alley",  "Mews",   "Gardens",  "Walk",  "Loop",    "Plaza"}) {
      m[s] |= kStreet;
    }
    for (std::string_view s :
         {"Calle", "Avenida", "Rua", "Via", "Viale", "Piazza", "Corso", "Carrer"}) {
      m[s] |= kCalle;
    }
    for (std::string_view s : {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame"}) {
      m[s] |= kHonorific;
    }
    return m;
  }();
  if (w.size() > 9) return;  // longer than every word above
  static const WordShapes kShapes = [] {
    WordShapes shapes;
    for (const auto& [word, flags] : kWords) shapes.add(word);
    return shapes;
  }();
  if (!kShapes.may_contain(w)) return;
  auto it = kWords.find(w);
  if (it == kWords.end()) return;
  t.street_word = t.street_word || (it->second & kStreet);
  t.calle_word = t.calle_word || (it->second & kCalle);
  t.honorific = t.honorific || (it->second & kHonorific);
}

// After the digit run ending at `i`: optional " bis"/"ter", optional ',', whitespace, then the
// first letter of rue/avenue/boulevard/bd/place/chemin/allée/impasse/quai in either case.
bool romance_after_number(std::string_view text, size_t i) {
  const size_t n = text.size();
  bool space = false;
  while (i < n && is_space(static_cast<unsigned char>(text[i]))) ++i, space = true;
  if (lower_equals(text, i, "bis") || lower_equals(text, i, "ter")) i += 3;
  if (i < n && text[i] == ',') ++i;
  while (i < n && is_space(static_cast<unsigned char>(text[i]))) ++i, space = true;
  if (!space || i >= n) return false;
  // (?i) lets a non-ASCII character match ('s' of impasse as U+017F, the é of allée), so any
  // non-ASCII byte in reach counts; otherwise one of the words must start here.
  for (size_t j = i; j < n && j < i + 9; ++j) {
    if (static_cast<unsigned char>(text[j]) >= 0x80) return true;
  }
  for (std::string_view w :
       {"rue", "avenue", "boulevard", "bd", "place", "chemin", "all", "impasse", "quai"}) {
    if (lower_equals(text, i, w)) return true;
  }
  return false;
}

// A capital (ASCII, or any non-ASCII lead byte) follows whitespace at `i`: look at what precedes.
void check_before_capital(std::string_view text, size_t i, Triggers& t) {
  static const std::unordered_set<std::string_view> kRelation = {
      "dad",      "father",   "mom",      "mum",       "mother",      "sister",      "brother",
      "husband",  "wife",     "son",      "daughter",  "friend",      "boyfriend",   "girlfriend",
      "bf",       "gf",       "partner",  "boss",      "coworker",    "worker",      "colleague",
      "roommate", "flatmate", "neighbor", "neighbour", "landlord",    "landlady",    "cousin",
      "aunt",     "uncle",    "grandma",  "grandpa",   "grandmother", "grandfather", "niece",
      "nephew",   "ex",       "fiance",   "fiancee",   "teacher",     "doctor",      "manager",
      "kid",      "stepdad",  "stepmom",  "mentor",    "tutor",       "therapist",   "classmate"};
  static constexpr std::string_view kIntro[] = {"name is", "ame's",    "all me", "his is", "I'm",
                                                "I am",    "I\u2019m", "t's me", "t's me,"};
  static const WordShapes kRelationShapes = [] {
    WordShapes shapes;
    for (std::string_view w : kRelation) shapes.add(w);
    return shapes;
  }();
  size_t k = i;
  while (k > 0 && is_space(static_cast<unsigned char>(text[k - 1]))) --k;
  std::string_view before = text.substr(0, k);
  // Every intro phrase ends in 's', 'e', 'm' or ',': other words skip the comparisons.
  const char last = k > 0 ? text[k - 1] : '\0';
  if (!t.intro && (last == 's' || last == 'e' || last == 'm' || last == ',')) {
    for (std::string_view p : kIntro) {
      if (before.ends_with(p)) t.intro = true;
    }
  }
  if (!t.relation && k > 0) {
    size_t w = k;
    while (w > 0 && is_ascii_alpha(static_cast<unsigned char>(text[w - 1]))) --w;
    // A non-ASCII letter next to the word may be a case-folded 's' or 'k' of a relation word.
    if (w == k) {
      if (static_cast<unsigned char>(text[k - 1]) >= 0x80) t.relation = true;
    } else if (w > 0 && static_cast<unsigned char>(text[w - 1]) >= 0x80) {
      t.relation = true;
    } else if (k - w <= 12 && kRelationShapes.may_contain(text.substr(w, k - w))) {
      char buf[12];
      for (size_t j = w; j < k; ++j) {
        buf[j - w] = static_cast<char>(static_cast<unsigned char>(text[j]) | 0x20);
      }
      if (kRelation.count(std::string_view(buf, k - w))) t.relation = true;
    }
  }
}

// Some line of `text` ends with a token that starts with a capital: walking back from a line end
// over whitespace, an optional '.' or '!', whitespace, letters (any non-ASCII byte counts) and
// hyphens reaches an ASCII capital or a non-ASCII byte.
bool line_ends_with_capital(std::string_view text, size_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t k = end;
  while (k > 0 && is_space(s[k - 1])) --k;
  if (k > 0 && (s[k - 1] == '.' || s[k - 1] == '!')) --k;
  while (k > 0 && is_space(s[k - 1])) --k;
  size_t token_end = k;
  while (k > 0 && (is_ascii_alpha(s[k - 1]) || s[k - 1] >= 0x80 || s[k - 1] == '-')) --k;
  for (size_t j = k; j < token_end; ++j) {
    if ((s[j] >= 'A' && s[j] <= 'Z') || s[j] >= 0x80) return true;
  }
  return false;
}

// Bytes the trigger scan must look at; lower-case letters and most punctuation only end a run
// of number characters.
struct ScanTable {
  bool special[256] = {};
  ScanTable() {
    for (int c = 0; c < 256; ++c) {
      // A space only continues a run of number characters: the skip below handles it.
      special[c] = (c != ' ' && is_number_char(static_cast<unsigned char>(c))) ||
                   (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '@' || c == '\n' || c == '[' ||
                   c == '{' || c == ':' || c == '/' || c == '~';
    }
  }
};

// kUrlBare's host must follow a character outside [\w./@]. Walking back from the ".com" at
// `dot` over ASCII word characters and dots, a match can only start where the walk stops, so a
// host behind "//" or "@" ("https://www.youtube.com/...") cannot be a bare URL.
bool bare_host_start(const unsigned char* s, size_t dot) {
  size_t b = dot;
  while (b > 0 && (is_ascii_word(s[b - 1]) || s[b - 1] == '.')) --b;
  return b == 0 || (s[b - 1] != '/' && s[b - 1] != '@');
}

// kPhoneContext needs one of its words before the number. Prefixes are compared, not whole
// words, and any non-ASCII byte counts ((?i) lets U+017F match the 's' of "sms").
bool has_phone_word(std::string_view text) {
  static constexpr std::string_view kWords[] = {"call",  "cell",   "text",      "tel",
                                                "phone", "mobile", "my number", "whatsapp",
                                                "sms",   "ring",   "reach me",  "fax"};
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size(); ++i) {
    if (s[i] >= 0x80) return true;
    const char c = static_cast<char>(s[i] | 0x20);
    if (c != 'c' && c != 't' && c != 'p' && c != 'm' && c != 'w' && c != 's' && c != 'r' &&
        c != 'f') {
      continue;
    }
    for (std::string_view w : kWords) {
      if (w[0] == c && lower_equals(text, i, w)) return true;
    }
  }
  return false;
}

Triggers scan_triggers(std::string_view text) {
  static const ScanTable kTable;
  Triggers t;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t run_digits = 0;     // digits in the current run of number characters
  bool run_grouped = false;  // the run has a digit, [ .-], digit
  size_t last_colon = std::string_view::npos;
  for (size_t i = 0; i < n; ++i) {
    if (!kTable.special[s[i]]) {
      // Spaces continue a run of number characters ("555 1234"); any other byte here ends it.
      bool only_spaces = true;
      size_t j = i;
      do {
        only_spaces &= s[j] == ' ';
        ++j;
      } while (j < n && !kTable.special[s[j]]);
      if (!only_spaces) {
        run_digits = 0;
        run_grouped = false;
      }
      i = j - 1;
      continue;
    }
    const unsigned char c = s[i];
    if (is_number_char(c)) {
      if (is_ascii_digit(c)) {
        t.digit = true;
        ++run_digits;
        if (run_digits > t.number_digits) t.number_digits = run_digits;
        if (i >= 2 && is_ascii_digit(s[i - 2]) &&
            (s[i - 1] == ' ' || s[i - 1] == '.' || s[i - 1] == '-')) {
          run_grouped = true;
        }
        if (run_grouped && run_digits > t.grouped_digits) t.grouped_digits = run_digits;
        if (i + 1 < n && is_ascii_digit(s[i + 1])) {
          if (i > 0 && (is_ascii_alpha(s[i - 1]) || s[i - 1] >= 0x80)) t.iban_shape = true;
        } else if (!t.romance_street && romance_after_number(text, i + 1)) {
          t.romance_street = true;
        }
      } else if (c == '.') {
        t.dot = true;
        if (i > 0 && i + 1 < n && is_ascii_digit(s[i - 1]) && is_ascii_digit(s[i + 1])) {
          ++t.dotted_digits;
        }
        if (i >= 3 && lower_equals(text, i - 3, "www")) t.url = true;
      } else if (c == '+') {
        if (i + 1 < n && is_ascii_digit(s[i + 1])) t.plus_digit = true;
      } else if (c == '(') {
        t.bracket = true;
      } else if (c == '-') {
        if (i == 0 || is_space(s[i - 1]) || s[i - 1] == ',' || s[i - 1] == '.' || s[i - 1] == '!' ||
            s[i - 1] == '-') {
          size_t j = i + 1;
          if (j < n && (s[j] == '-' || is_space(s[j]))) ++j;
          if (j < n && is_space(s[j])) ++j;
          if (j < n && ((s[j] >= 'A' && s[j] <= 'Z') || s[j] >= 0x80)) t.dash_capital = true;
        }
      }
      continue;
    }
    run_digits = 0;
    run_grouped = false;
    if (c >= 'A' && c <= 'Z') {
      t.upper = true;
      if (i > 0 && is_space(s[i - 1])) check_before_capital(text, i, t);
      if (i == 0 || !is_ascii_word(s[i - 1])) {
        size_t e = i + 1;
        while (e < n && is_ascii_alpha(s[e])) ++e;
        classify_boundary_word(text.substr(i, e - i), t);
        i = e - 1;
      }
      continue;
    }
    if (c >= 0x80) {
      t.upper = true;  // may be a capital of another script
      if (c >= 0xC0 && i > 0 && is_space(s[i - 1])) check_before_capital(text, i, t);
      // En and em dashes (E2 80 93 / 94) start signatures like ASCII '-'.
      if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0x93 || s[i + 2] == 0x94)) {
        size_t j = i + 3;
        if (j < n && is_space(s[j])) ++j;
        if (j < n && ((s[j] >= 'A' && s[j] <= 'Z') || s[j] >= 0x80)) t.dash_capital = true;
      }
      continue;
    }
    switch (c) {
      case '@':
        t.at = true;
        if (i > 0 && (is_ascii_word(s[i - 1]) || s[i - 1] >= 0x80 || s[i - 1] == '.' ||
                      s[i - 1] == '%' || s[i - 1] == '+' || s[i - 1] == '-')) {
          t.email_at = true;
        }
        break;
      case '\n':
        if (!t.line_end_capital) t.line_end_capital = line_ends_with_capital(text, i);
        break;
      case '[':
      case '{':
        t.bracket = true;
        break;
      case ':':
        if (last_colon != std::string_view::npos && i - last_colon <= 5) t.close_colons = true;
        last_colon = i;
        if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') t.url = true;
        break;
      case '/':
        if (i > 0 && (s[i - 1] | 0x20) == 'u') t.reddit_user = true;
        if (!t.url_bare && i >= 4 &&
            (lower_equals(text, i - 4, ".com") || lower_equals(text, i - 4, ".net"))) {
          t.url_bare = bare_host_start(s, i - 4);
        }
        break;
      case '~':
        if (i == 0 || is_space(s[i - 1]) || s[i - 1] == ',' || s[i - 1] == '.' || s[i - 1] == '!') {
          size_t j = i + 1;
          if (j < n && is_space(s[j])) ++j;
          if (j < n && ((s[j] >= 'A' && s[j] <= 'Z') || s[j] >= 0x80)) t.dash_capital = true;
        }
        break;
      default:
        break;
    }
  }
  if (!t.line_end_capital) t.line_end_capital = line_ends_with_capital(text, n);
  return t;
}

// ---- Capitalised words without a regex -----------------------------------------------------
// kCapitalisedWord is searched once per capitalised word of every text, which made it the most
// expensive pattern. This scanner returns exactly its successive matches on valid UTF-8, using
// RE2's own \p{L} and \p{Lu} (tabulated once per process for the BMP, asked of RE2 above it), so
// the two cannot disagree on a character.

struct LetterTable {
  std::vector<uint8_t> bmp;  // bit 0: \p{L}, bit 1: \p{Lu}
  RE2 letter{R"(\p{L})"}, upper{R"(\p{Lu})"};
  LetterTable() : bmp(0x10000, 0) {
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (cp < 0x80) {
        bmp[cp] = is_ascii_alpha(static_cast<unsigned char>(cp)) ? 1 : 0;
        if (cp >= 'A' && cp <= 'Z') bmp[cp] |= 2;
        continue;
      }
      bmp[cp] = classify_slow(cp);
    }
  }
  uint8_t classify_slow(uint32_t cp) const {
    char buf[4];
    size_t len = encode(cp, buf);
    re2::StringPiece piece(buf, len);
    uint8_t bits = 0;
    if (RE2::FullMatch(piece, letter)) bits |= 1;
    if (RE2::FullMatch(piece, upper)) bits |= 2;
    return bits;
  }
  uint8_t classify(uint32_t cp) const { return cp < 0x10000 ? bmp[cp] : classify_slow(cp); }
  static size_t encode(uint32_t cp, char* out) {
    if (cp < 0x800) {
      out[0] = static_cast<char>(0xC0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      out[0] = static_cast<char>(0xE0 | (cp >> 12));
      out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out[2] = static_cast<char>(0x80 | (cp & 0x3F));
      return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }
};

const LetterTable& letters() {
  static const LetterTable t;
  return t;
}

// Decodes the code point at `i` of valid UTF-8; returns its length in bytes.
size_t decode(const unsigned char* s, size_t i, uint32_t* cp) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xE0) {
    *cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    *cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    return 3;
  }
  *cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
        (s[i + 3] & 0x3Fu);
  return 4;
}

struct Span {
  size_t b, e;
};

// Successive matches of kCapitalisedWord, \p{Lu}[\p{L}\-]*\p{L}, in valid UTF-8 `text`.
void capitalised_words(std::string_view text, std::vector<Span>& out) {
  const LetterTable& table = letters();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Eight bytes at a time while none is an ASCII capital or a non-ASCII byte.
    for (uint64_t w; i + 8 <= n; i += 8) {
      constexpr uint64_t kHigh = 0x8080808080808080ull;
      std::memcpy(&w, s + i, 8);
      const uint64_t low = w & ~kHigh;
      const uint64_t at_least_a = low + 0x3F3F3F3F3F3F3F3Full;  // bit 7: byte >= 'A'
      const uint64_t past_z = low + 0x2525252525252525ull;      // bit 7: byte > 'Z'
      if ((w | (at_least_a & ~past_z)) & kHigh) break;
    }
    if (i >= n) break;
    uint32_t cp;
    const unsigned char c = s[i];
    size_t len;
    uint8_t bits;
    if (c < 0x80) {
      len = 1;
      bits = table.bmp[c];
    } else {
      len = decode(s, i, &cp);
      bits = table.classify(cp);
    }
    if ((bits & 2) == 0) {
      i += len;
      continue;
    }
    // Greedy over letters and hyphens, then back to the last letter.
    size_t j = i + len, last_letter_end = 0;
    while (j < n) {
      const unsigned char d = s[j];
      if (d == '-') {
        ++j;
        continue;
      }
      size_t l;
      uint8_t b;
      if (d < 0x80) {
        l = 1;
        b = table.bmp[d];
      } else {
        l = decode(s, j, &cp);
        b = table.classify(cp);
      }
      if ((b & 1) == 0) break;
      j += l;
      last_letter_end = j;
    }
    if (last_letter_end == 0) {
      i += len;  // no letter after the capital: no match here, try the next character
      continue;
    }
    out.push_back(Span{i, last_letter_end});
    i = last_letter_end;
  }
}

}  // namespace

struct Scrubber::Patterns {
  explicit Patterns(const ScrubOptions& options) {
    if (options.pseudonym_key) {
      pseudonyms = std::make_unique<internal::CachedPseudonyms>(*options.pseudonym_key);
    }
  }
  // The pool key prepared once (HMAC states after the key block) with a cache of recent
  // identities; null without a key.
  std::unique_ptr<const internal::CachedPseudonyms> pseudonyms;
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

  // `valid_utf8`: the text is known to be valid UTF-8 (scrub() sanitises first), so capitalised
  // words can be found without a regex.
  void candidates(std::string_view text, bool valid_utf8, std::vector<PiiSpan>& out) const;
  void names(std::string_view text, const Triggers& t, bool valid_utf8,
             std::vector<PiiSpan>& out) const;
};

void Scrubber::Patterns::candidates(std::string_view text, bool valid_utf8,
                                    std::vector<PiiSpan>& out) const {
  const Triggers t = scan_triggers(text);
  auto add = [&](PiiType t, size_t b, size_t e) {
    if (e > b) out.push_back(PiiSpan{t, b, e});
  };
  auto whole = [&](const RE2& re, PiiType t) {
    for_each_match(re, text, [&](const re2::StringPiece* g) {
      add(t, offset_of(text, g[0]), offset_of(text, g[0]) + g[0].size());
    });
  };
  if (t.email_at) {
    for_each_email_match(*email, text, [&](const re2::StringPiece* g) {
      add(PiiType::kEmail, offset_of(text, g[1]), offset_of(text, g[1]) + g[1].size());
    });
  }
  if (t.bracket) whole(*email_obfuscated, PiiType::kEmail);

  // IBAN-shaped tokens (valid or not): their digit groups are not cards or phone numbers.
  struct Region {
    size_t b, e;
  };
  std::vector<Region> iban_shaped;
  if (t.iban_shape)
    for_each_match(*iban, text, [&](const re2::StringPiece* g) {
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
    // Every digit of a candidate lies in one run of number characters.
    if (t.number_digits < min_digits) return;
    for_each_match(re, text, [&](const re2::StringPiece* g) {
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
  if (t.plus_digit) phone(*phone_intl, 8, 15);
  // Both need a digit group after a separator ("555 1234", "020 7946"), in a run of number
  // characters that holds all their digits.
  if (t.grouped_digits >= 10) phone(*phone_nanp, 10, 11);
  if (t.grouped_digits >= 9) phone(*phone_national, 9, 13);
  if (t.number_digits >= 7 && has_phone_word(text)) phone(*phone_context, 7, 15);

  if (t.number_digits >= 13)
    for_each_match(*card, text, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t len = longest_valid_prefix(
          s, " -", [](std::string_view p) { return card_grouping_plausible(p) && luhn_valid(p); });
      size_t b = offset_of(text, g[1]);
      if (len && !inside_iban_shape(b, b + len)) add(PiiType::kCreditCard, b, b + len);
    });

  if (t.dotted_digits >= 3)
    for_each_match(*ipv4, text, [&](const re2::StringPiece* g) {
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
  if (t.close_colons)
    for_each_match(*ipv6, text, [&](const re2::StringPiece* g) {
      std::string_view s(g[1].data(), g[1].size());
      size_t b = offset_of(text, g[1]), e = b + s.size();
      if (e < text.size() && is_word_byte(text[e])) return;
      if (valid_ipv6(s)) add(PiiType::kIpAddress, b, e);
    });

  auto url_pattern = [&](const RE2& re, bool group1_is_match) {
    for_each_match(
        re, text,
        [&](const re2::StringPiece* g) {
          std::string_view s(g[1].data(), g[1].size());
          size_t len = trim_url(s);
          if (len && personal_url(s.substr(0, len))) {
            add(PiiType::kUrlPersonal, offset_of(text, g[1]), offset_of(text, g[1]) + len);
          }
        },
        group1_is_match);
  };
  if (t.url) url_pattern(*url, true);
  if (t.url_bare) url_pattern(*url_bare, false);

  for (const RE2* re :
       {t.at ? handle_at.get() : nullptr, t.reddit_user ? handle_reddit.get() : nullptr}) {
    if (re == nullptr) continue;
    for_each_match(*re, text, [&](const re2::StringPiece* g) {
      size_t b = offset_of(text, g[1]), e = b + g[1].size();
      // "@example.com" is a domain fragment, not a handle.
      if (e + 1 < text.size() && text[e] == '.' &&
          std::isalpha(static_cast<unsigned char>(text[e + 1])))
        return;
      add(PiiType::kHandle, b, e);
    });
  }

  // Street addresses: a number and a street word; the German form is checked on the
  // capitalised words in names().
  const RE2* addresses[] = {t.digit && t.street_word ? address_us.get() : nullptr,
                            t.romance_street ? address_romance.get() : nullptr,
                            t.digit && t.calle_word ? address_calle.get() : nullptr};
  for (const RE2* re : addresses) {
    if (re == nullptr) continue;
    for_each_match(
        *re, text,
        [&](const re2::StringPiece* g) {
          add(PiiType::kStreetAddress, offset_of(text, g[1]), offset_of(text, g[1]) + g[1].size());
        },
        /*group1_is_match=*/true);
  }

  if (t.upper) names(text, t, valid_utf8, out);
}

void Scrubber::Patterns::names(std::string_view text, const Triggers& t, bool valid_utf8,
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
  if (t.honorific) {
    for_each_match(*name_honorific, text, [&](const re2::StringPiece* g) {
      add_words(std::string_view(g[1].data(), g[1].size()), offset_of(text, g[1]), false);
    });
  }
  if (t.intro)
    for_each_match(*name_intro, text, [&](const re2::StringPiece* g) {
      std::string_view trigger(g[1].data(), g[1].size());
      // "I'm Canadian", "This is Reddit": only a known given name counts after these.
      bool weak = trigger == "I'm" || trigger == "I am" || trigger == "I’m" ||
                  trigger == "This is" || trigger == "this is";
      add_words(std::string_view(g[2].data(), g[2].size()), offset_of(text, g[2]), weak);
    });
  const RE2* word_rules[] = {t.dash_capital && t.line_end_capital ? name_signature.get() : nullptr,
                             t.line_end_capital ? name_signoff.get() : nullptr,
                             t.relation ? name_relation.get() : nullptr};
  for (const RE2* re : word_rules) {
    if (re == nullptr) continue;
    for_each_match(*re, text, [&](const re2::StringPiece* g) {
      add_words(std::string_view(g[1].data(), g[1].size()), offset_of(text, g[1]), false);
    });
  }

  // Gazetteer: a known given name, optionally followed by capitalised surname(s).
  using Word = Span;
  std::vector<Word> all_words;
  if (valid_utf8) {
    capitalised_words(text, all_words);
  } else {
    for_each_match(*capitalised, text, [&](const re2::StringPiece* g) {
      all_words.push_back(Word{offset_of(text, g[1]), offset_of(text, g[1]) + g[1].size()});
    });
  }
  // German street names end a capitalised word ("Hauptstraße 5").
  bool german = false;
  for (const Word& w : all_words) {
    if (german) break;
    std::string_view s = text.substr(w.b, w.e - w.b);
    const char last = s.back();  // every suffix below ends in e, r, g, z or m
    if (last != 'e' && last != 'r' && last != 'g' && last != 'z' && last != 'm') continue;
    for (std::string_view suffix :
         {"straße", "strasse", "str", "weg", "gasse", "platz", "allee", "damm"}) {
      german = german || s.ends_with(suffix);
    }
  }
  if (t.digit && (german || !valid_utf8)) {
    for_each_match(*address_german, text, [&](const re2::StringPiece* g) {
      out.push_back(PiiSpan{PiiType::kStreetAddress, offset_of(text, g[1]),
                            offset_of(text, g[1]) + g[1].size()});
    });
  }
  // Only whole words: not preceded by a letter/digit (RE2's \b is ASCII-only).
  std::vector<Word> words;
  words.reserve(all_words.size());
  for (const Word& w : all_words) {
    if (w.b > 0 && is_word_byte(text[w.b - 1])) continue;
    words.push_back(w);
  }
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
    : options_(std::move(options)), patterns_(std::make_unique<const Patterns>(options_)) {}
Scrubber::~Scrubber() = default;
Scrubber::Scrubber(Scrubber&&) noexcept = default;
Scrubber& Scrubber::operator=(Scrubber&&) noexcept = default;

namespace {
// codec::is_valid_utf8, skipping the ASCII prefix eight bytes at a time first: most texts are
// all ASCII, and the importer has already walked every byte once.
bool valid_utf8(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  for (uint64_t w; i + 8 <= n; i += 8) {
    std::memcpy(&w, text.data() + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (i < n && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  // Bytes before i are ASCII, so i starts a character.
  return i == n || codec::is_valid_utf8(text.substr(i));
}

// Longest first, then most specific, then leftmost; accept those not overlapping an accepted
// span.
std::vector<PiiSpan> resolve(std::vector<PiiSpan> candidates) {
  if (candidates.empty()) return candidates;
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
}  // namespace

std::vector<PiiSpan> Scrubber::detect(std::string_view text) const {
  std::vector<PiiSpan> candidates;
  patterns_->candidates(text, valid_utf8(text), candidates);
  return resolve(std::move(candidates));
}

std::string Scrubber::pseudonymise(std::string_view kind, std::string_view identity) const {
  if (!patterns_->pseudonyms) return "[USER]";
  char out[internal::kPseudonymChars];
  patterns_->pseudonyms->write(kind, identity, out);
  return std::string(out, sizeof out);
}

std::string Scrubber::scrub(std::string_view raw) const {
  // Almost every text is valid UTF-8: check once and copy only when there is something to fix.
  std::string clean;
  std::string_view text = raw;
  if (!valid_utf8(raw)) {
    clean = sanitise_utf8(raw);
    text = clean;
  }
  std::vector<PiiSpan> candidates;
  patterns_->candidates(text, /*valid_utf8=*/true, candidates);
  std::vector<PiiSpan> spans = resolve(std::move(candidates));
  if (spans.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const PiiSpan& s : spans) {
    out.append(text.substr(pos, s.begin - pos));
    std::string_view value = text.substr(s.begin, s.end - s.begin);
    if (s.type == PiiType::kHandle) {
      if (patterns_->pseudonyms) {
        std::string_view sigil = value[0] == '@' ? "@" : value[0] == '/' ? "/u/" : "u/";
        out.append(sigil);
        char pseudonym[internal::kPseudonymChars];
        patterns_->pseudonyms->write(options_.handle_kind, value, pseudonym);
        out.append(pseudonym, sizeof pseudonym);
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
