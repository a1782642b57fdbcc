// Private to the privacy module: the byte-level triggers that decide which patterns run.
//
// Every RE2 search costs a pass over the text and a fixed per-call price, and most texts hold
// no PII. One pass over the bytes computes, for each pattern, a condition that every match the
// pattern could contribute must satisfy (a phone number needs 7+ digits in one run of digits and
// separators, an IBAN two letters then two digits, a URL "://" or "www.", ...). A pattern whose
// condition fails is not run: its matches would all be rejected, so the spans are the same.
// Conditions are deliberately loose where case folding could bite ((?i) lets 'k' match U+212A
// and 's' match U+017F): any non-ASCII byte there counts as "may match".
#pragma once

#include <cstddef>
#include <string_view>

namespace datadao::privacy::internal {

// What one pass over a text found: the condition of each pattern.
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

// One pass over the bytes of `text`.
Triggers scan_triggers(std::string_view text);

// kPhoneContext needs one of its words before the number. Prefixes are compared, not whole
// words, and any non-ASCII byte counts ((?i) lets U+017F match the 's' of "sms").
bool has_phone_word(std::string_view text);

}  // namespace datadao::privacy::internal
