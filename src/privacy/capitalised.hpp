// Private to the privacy module: capitalised words without a regex.
//
// The scrubber's kCapitalisedWord is searched once per capitalised word of every text, which
// made it the most expensive pattern. This scanner returns exactly its successive matches on
// valid UTF-8, using RE2's own \p{L} and \p{Lu} (tabulated once per process for the BMP, asked
// of RE2 above it), so the two cannot disagree on a character.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace datadao::privacy::internal {

// Bytes [b, e) of a text.
struct Span {
  size_t b, e;
};

// Successive matches of kCapitalisedWord, \p{Lu}[\p{L}\-]*\p{L}, in valid UTF-8 `text`.
void capitalised_words(std::string_view text, std::vector<Span>& out);

}  // namespace datadao::privacy::internal
