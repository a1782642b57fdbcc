// PII detection and redaction for refined records.
//
// detect() finds personal data in UTF-8 text and returns non-overlapping byte spans; scrub()
// replaces each span by a placeholder ([EMAIL], [PHONE], [CARD], [IBAN], [IP], [URL], [ADDRESS],
// [NAME]) and each @handle / u/username by a keyed pseudonym ("@user_k3x...", "u/user_k3x...")
// when a pool secret is configured, or by [USER] otherwise (see pseudonym.hpp).
//
// Structured types are validated, not just pattern-matched: card numbers must pass the Luhn
// check, IBANs the ISO 13616 mod-97 check (validators.hpp), IPv4 octets must be <= 255 and IPv6
// must parse. Names are best-effort (honorifics, "my name is", signatures, a first-name
// gazetteer).
//
// All patterns are RE2 (linear time in the input length; no backtracking blow-up on hostile
// text). A Scrubber compiles them once; it is immutable after construction, so several threads
// may call its const methods concurrently without synchronisation. The free functions are
// thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/crypto/crypto.hpp"

namespace datadao::privacy {

enum class PiiType {
  kEmail,
  kPhone,
  kCreditCard,
  kIban,
  kIpAddress,
  kUrlPersonal,
  kHandle,
  kPersonName,
  kStreetAddress,
};
inline constexpr size_t kPiiTypeCount = 9;

// Label used in placeholders and in the evaluation set: EMAIL, PHONE, CARD, IBAN, IP, URL,
// HANDLE, NAME, ADDRESS.
std::string_view pii_type_label(PiiType type);
// Inverse of pii_type_label; nullopt for an unknown label.
std::optional<PiiType> pii_type_from_label(std::string_view label);

// A detected span: bytes [begin, end) of the text passed to detect().
struct PiiSpan {
  PiiType type;
  size_t begin;
  size_t end;
  bool operator==(const PiiSpan&) const = default;
};

// ---- Scrubber --------------------------------------------------------------------------------

struct ScrubOptions {
  // The pool secret for pseudonyms. Without it, handles become the placeholder [USER].
  std::optional<crypto::SymmetricKey> pseudonym_key;
  // The `kind` used for handles found in text, so that mentions map to the same pseudonym as
  // author fields pseudonymised with the same kind (e.g. "reddit" for a Reddit pool).
  std::string handle_kind = "handle";
};

class Scrubber {
 public:
  explicit Scrubber(ScrubOptions options = {});
  ~Scrubber();
  Scrubber(Scrubber&&) noexcept;
  Scrubber& operator=(Scrubber&&) noexcept;
  Scrubber(const Scrubber&) = delete;
  Scrubber& operator=(const Scrubber&) = delete;

  // Non-overlapping spans sorted by begin. Where candidates overlap, the longest wins; on equal
  // length the more specific type wins (EMAIL > URL > CARD > IBAN > IP > PHONE > ADDRESS >
  // HANDLE > NAME). Bytes of invalid UTF-8 never start a match; offsets refer to `text`.
  std::vector<PiiSpan> detect(std::string_view text) const;

  // Redacted copy of `text`. Invalid UTF-8 sequences are first replaced by U+FFFD, so the
  // output is always valid UTF-8 and no raw byte of the input survives undecoded.
  std::string scrub(std::string_view text) const;

  // Pseudonym for an author/account field under this scrubber's key and `kind`; "[USER]" if
  // no key is configured.
  std::string pseudonymise(std::string_view kind, std::string_view identity) const;

  const ScrubOptions& options() const { return options_; }

 private:
  struct Patterns;
  ScrubOptions options_;
  std::unique_ptr<const Patterns> patterns_;
};

// detect() with a process-wide default Scrubber (compiled on first use, thread-safe).
std::vector<PiiSpan> detect(std::string_view text);
// Same as scrubber.scrub(text).
std::string scrub(std::string_view text, const Scrubber& scrubber);

// Replaces each invalid UTF-8 sequence by U+FFFD (maximal subpart rule); valid input is
// returned unchanged.
std::string sanitise_utf8(std::string_view text);

}  // namespace datadao::privacy
