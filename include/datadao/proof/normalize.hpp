// Text normalisation and shingling for duplicate detection.
//
// normalize_text() maps texts that a reader would call "the same words" to the same bytes:
//   1. Unicode NFKC + case folding, with default-ignorable code points (zero-width joiners, soft
//      hyphens, ...) removed (utf8proc: COMPAT | COMPOSE | CASEFOLD | IGNORE | STABLE);
//   2. every punctuation code point (categories P*) becomes a word separator, so "hello,world"
//      and "hello, world" normalise alike; symbols (S*: emoji, $, +) are kept as text;
//   3. runs of white space, separators (Z*) and control characters (Cc) become one ASCII space;
//      leading and trailing spaces are dropped.
// ASCII-only input takes a fast path with identical results.
//
// shingles() turns a normalised text into the set of its character 5-grams (over the UTF-8
// bytes, spaces included), each hashed with XXH3-64, sorted and de-duplicated. Why characters and
// not 3-word shingles: changing 3 words of a 50-word post leaves a word-3-shingle Jaccard of about
// 0.68 but a character-5-gram Jaccard of about 0.83, and one rule for all lengths keeps short and
// long texts comparable (a length-dependent switch would make a 99-word text and its 101-word copy
// incomparable). A non-empty text shorter than 5 bytes is one shingle (the whole text); an empty
// text has no shingles and so never is a near-duplicate of anything (exact matching still applies).
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::proof {

// Longest text accepted for duplicate detection (bytes, before normalisation).
inline constexpr size_t kMaxTextBytes = 1 << 20;
// Shingle width in bytes of normalised text.
inline constexpr size_t kShingleBytes = 5;

// Fails with kInvalidArgument on malformed UTF-8 and kLimitExceeded above kMaxTextBytes; the
// message names the byte offset or size, never the text itself.
Result<std::string> normalize_text(std::string_view text);

// Sorted, de-duplicated XXH3-64 hashes of the character 5-grams of an already normalised text.
std::vector<uint64_t> shingles(std::string_view normalised);

// The same hashes in text order, repeats included, appended to `out` (cleared first): enough for
// MinHash signatures (a minimum ignores repeats) and cheaper, as nothing is sorted.
void shingle_hashes_into(std::string_view normalised, std::vector<uint64_t>& out);

// Exact Jaccard similarity |A n B| / |A u B| of two sorted, de-duplicated shingle sets.
// Two empty sets have similarity 0 (nothing in common to copy).
double exact_jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace datadao::proof
