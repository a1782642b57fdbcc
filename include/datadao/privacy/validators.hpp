// Checksum validators of structured PII. The scrubber accepts a card number or an IBAN only when
// it passes these; they are exposed for tests and for callers with structured fields.
#pragma once

#include <string_view>

namespace datadao::privacy {

// Luhn check over the digits of `number`; spaces and dashes are ignored, any other non-digit
// makes it invalid. Requires 13..19 digits (payment card lengths).
bool luhn_valid(std::string_view number);
// ISO 13616 IBAN check: 2-letter country, 2 check digits, 11..30 alphanumerics, mod 97 == 1.
// Spaces are ignored, letters may be either case.
bool iban_valid(std::string_view iban);

}  // namespace datadao::privacy
