// Private to the privacy module: compiling the built-in RE2 patterns and walking their matches.
#pragma once

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace datadao::privacy::internal {

// RE2 options of every built-in pattern; aborts on a pattern that does not compile.
inline std::unique_ptr<RE2> compile(const char* pattern) {
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

// Byte offset of a match group in `text`.
inline size_t offset_of(std::string_view text, const re2::StringPiece& g) {
  return static_cast<size_t>(g.data() - text.data());
}

}  // namespace datadao::privacy::internal
