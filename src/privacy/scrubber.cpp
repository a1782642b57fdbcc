// PII detection (RE2 candidates + validation + overlap resolution) and redaction.
#include "datadao/privacy/scrubber.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "candidate_checks.hpp"
#include "capitalised.hpp"
#include "datadao/privacy/validators.hpp"
#include "gazetteer.hpp"
#include "matching.hpp"
#include "pseudonym_key.hpp"
#include "triggers.hpp"
#include "utf8.hpp"

namespace datadao::privacy {

namespace {

using internal::card_grouping_plausible;
using internal::classify_given_name;
using internal::compile;
using internal::for_each_email_match;
using internal::for_each_match;
using internal::GivenName;
using internal::has_phone_word;
using internal::is_stop_word;
using internal::longest_valid_prefix;
using internal::looks_like_date;
using internal::offset_of;
using internal::personal_url;
using internal::scan_triggers;
using internal::Span;
using internal::Triggers;
using internal::trim_url;
using internal::valid_ipv4;
using internal::valid_ipv6;
using internal::valid_utf8;

constexpr std::array<std::string_view, kPiiTypeCount> kLabels = {
    "EMAIL", "PHONE", "CARD", "IBAN", "IP", "URL", "HANDLE", "NAME", "ADDRESS"};

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

size_t count_digits(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

bool is_word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80);
}

}  // namespace

std::string_view pii_type_label(PiiType type) { return kLabels[static_cast<size_t>(type)]; }

std::optional<PiiType> pii_type_from_label(std::string_view label) {
  for (size_t i = 0; i < kLabels.size(); ++i) {
    if (kLabels[i] == label) return static_cast<PiiType>(i);
  }
  return std::nullopt;
}

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
