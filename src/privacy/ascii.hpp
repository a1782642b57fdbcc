// Private to the privacy module: ASCII byte classes of the byte-level scans (the trigger scan,
// the capitalised-word scanner).
#pragma once

namespace datadao::privacy::internal {

inline bool is_space(unsigned char c) {  // RE2's \s, plus \v to stay on the safe side
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool is_ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_word(unsigned char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_';
}

}  // namespace datadao::privacy::internal
