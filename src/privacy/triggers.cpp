// Byte-level triggers: one pass over a text tells which patterns can match it (see triggers.hpp).
#include "triggers.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ascii.hpp"

namespace datadao::privacy::internal {

namespace {

// Characters a phone or card number can be written with: digits and [ .-()+].
bool is_number_char(unsigned char c) {
  return is_ascii_digit(c) || c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '+';
}

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

}  // namespace

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

}  // namespace datadao::privacy::internal
