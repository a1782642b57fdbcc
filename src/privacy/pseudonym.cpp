// Keyed pseudonyms: HMAC-SHA256 under the pool secret, base32-encoded.
#include <sodium.h>
#include <utf8proc.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>

#include "datadao/privacy/pseudonym.hpp"
#include "pseudonym_key.hpp"

namespace datadao::privacy {

namespace {

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Trimmed, without its one leading sigil: the part of `identity` that is case-folded.
std::string_view strip_identity(std::string_view identity) {
  std::string_view v = trim(identity);
  for (std::string_view prefix : {"/user/", "/u/", "u/", "@"}) {
    if (v.size() > prefix.size() && v.substr(0, prefix.size()) == prefix) {
      v.remove_prefix(prefix.size());
      break;
    }
    // "U/Name" written with a capital letter.
    if (prefix == "u/" && v.size() > 2 && v[0] == 'U' && v[1] == '/') {
      v.remove_prefix(2);
      break;
    }
  }
  return v;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

void lower_ascii(std::string_view s, char* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  }
}

std::string casefold(std::string_view s) {
  // ASCII folds to its lower case and nothing else applies: skip utf8proc (most handles).
  if (is_ascii(s)) {
    std::string r(s.size(), '\0');
    lower_ascii(s, r.data());
    return r;
  }
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &out, static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    // Invalid UTF-8: fold ASCII only, keep other bytes (still deterministic).
    std::string r(s.size(), '\0');
    lower_ascii(s, r.data());
    return r;
  }
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

crypto_auth_hmacsha256_state* hmac_state(std::array<uint8_t, 256>& a) {
  return reinterpret_cast<crypto_auth_hmacsha256_state*>(a.data());
}

}  // namespace

std::string normalise_identity(std::string_view identity) {
  return casefold(strip_identity(identity));
}

namespace internal {

static_assert(sizeof(crypto_auth_hmacsha256_state) <= 256);
static_assert(crypto::SymmetricKey::size() == crypto_auth_hmacsha256_KEYBYTES);

PseudonymKey::PseudonymKey(const crypto::SymmetricKey& key) {
  crypto::init();
  crypto_auth_hmacsha256_init(hmac_state(state_), key.data(), key.size());
}

PseudonymKey::~PseudonymKey() { sodium_memzero(state_.data(), state_.size()); }

void PseudonymKey::write(std::string_view kind, std::string_view identity,
                         char (&out)[kPseudonymChars]) const {
  // A copy of the keyed state: HMAC(key, kind || 0x00 || normalise_identity(identity)).
  std::array<uint8_t, 256> copy;
  std::memcpy(copy.data(), state_.data(), sizeof(crypto_auth_hmacsha256_state));
  crypto_auth_hmacsha256_state* st = hmac_state(copy);
  crypto_auth_hmacsha256_update(st, reinterpret_cast<const unsigned char*>(kind.data()),
                                kind.size());
  const unsigned char sep = 0;
  crypto_auth_hmacsha256_update(st, &sep, 1);
  std::string_view v = strip_identity(identity);
  char folded[128];
  if (v.size() <= sizeof folded && is_ascii(v)) {
    lower_ascii(v, folded);  // casefold() of ASCII, without allocating
    crypto_auth_hmacsha256_update(st, reinterpret_cast<const unsigned char*>(folded), v.size());
  } else {
    std::string norm = casefold(v);
    crypto_auth_hmacsha256_update(st, reinterpret_cast<const unsigned char*>(norm.data()),
                                  norm.size());
  }
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(st, mac);
  sodium_memzero(copy.data(), sizeof(crypto_auth_hmacsha256_state));
  // Base32 (RFC 4648 alphabet, lowercase) of the first 60 bits.
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::memcpy(out, "user_", 5);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | mac[i];
  for (int i = 0; i < 12; ++i) out[5 + i] = kAlphabet[(bits >> (59 - 5 * i)) & 31];
  sodium_memzero(mac, sizeof mac);
}

std::string PseudonymKey::operator()(std::string_view kind, std::string_view identity) const {
  char out[kPseudonymChars];
  write(kind, identity, out);
  return std::string(out, sizeof out);
}

void CachedPseudonyms::write(std::string_view kind, std::string_view identity,
                             char (&out)[kPseudonymChars]) const {
  const size_t h =
      std::hash<std::string_view>()(identity) * 31 + std::hash<std::string_view>()(kind);
  Slot& slot = slots_[h % kSlots];
  {
    std::unique_lock lock(mu_, std::try_to_lock);
    if (lock && slot.used && slot.identity == identity && slot.kind == kind) {
      std::memcpy(out, slot.value, kPseudonymChars);
      return;
    }
  }
  key_.write(kind, identity, out);
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock) return;
  slot.used = true;
  slot.kind.assign(kind);
  slot.identity.assign(identity);
  std::memcpy(slot.value, out, kPseudonymChars);
}

}  // namespace internal

std::string pseudonym(const crypto::SymmetricKey& key, std::string_view kind,
                      std::string_view identity) {
  return internal::PseudonymKey(key)(kind, identity);
}

}  // namespace datadao::privacy
