// Keyed pseudonyms: HMAC-SHA256 under the pool secret, base32-encoded.
#include <sodium.h>
#include <utf8proc.h>

#include <cstdlib>
#include <string>

#include "datadao/privacy/pii.hpp"

namespace datadao::privacy {

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string casefold(const std::string& s) {
  // ASCII folds to its lower case and nothing else applies: skip utf8proc (most handles).
  bool ascii = true;
  for (char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    std::string r = s;
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
  }
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &out, static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    // Invalid UTF-8: fold ASCII only, keep other bytes (still deterministic).
    std::string r = s;
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
  }
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

}  // namespace

std::string normalise_identity(std::string_view identity) {
  std::string s = trim(identity);
  std::string_view v = s;
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
  return casefold(std::string(v));
}

std::string pseudonym(const crypto::SymmetricKey& key, std::string_view kind,
                      std::string_view identity) {
  crypto::init();
  static_assert(crypto::SymmetricKey::size() == crypto_auth_hmacsha256_KEYBYTES);
  std::string norm = normalise_identity(identity);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(kind.data()),
                                kind.size());
  const unsigned char sep = 0;
  crypto_auth_hmacsha256_update(&st, &sep, 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(norm.data()),
                                norm.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  // Base32 (RFC 4648 alphabet, lowercase) of the first 60 bits.
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out = "user_";
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | mac[i];
  for (int i = 0; i < 12; ++i) out.push_back(kAlphabet[(bits >> (59 - 5 * i)) & 31]);
  return out;
}

}  // namespace datadao::privacy
