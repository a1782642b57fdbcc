// Keyed pseudonyms for identities (authors, accounts, @handles, u/usernames) of refined records.
// The functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "datadao/crypto/crypto.hpp"

namespace datadao::privacy {

// Lower-cases `identity` (Unicode case folding) and strips one leading "@", "u/", "/u/" or
// "/user/" and surrounding whitespace: "@Alice" and "u/alice" both normalise to "alice".
std::string normalise_identity(std::string_view identity);

// "user_" + the first 12 characters of the lowercase RFC 4648 base32 encoding of
// HMAC-SHA256(key, kind || 0x00 || normalise_identity(identity)). 12 base32 chars = 60 bits.
// Stable for one key (one pool); unlinkable across keys without them. `kind` names the
// namespace of the identity (e.g. "reddit", "x") so the same string on two platforms differs.
std::string pseudonym(const crypto::SymmetricKey& key, std::string_view kind,
                      std::string_view identity);

}  // namespace datadao::privacy
