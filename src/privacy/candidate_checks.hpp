// Private to the privacy module: the checks that accept, reject or shorten a pattern's candidate
// (card grouping, IP octets, dates, personal URLs, ...) before it becomes a span.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace datadao::privacy::internal {

// Shortens `s` by dropping trailing separator-delimited groups until `ok(prefix)` holds or no
// group is left. Returns the accepted length, 0 if none. Used where a greedy pattern swallowed
// an adjacent number ("4111 1111 1111 1111 2024").
size_t longest_valid_prefix(std::string_view s, std::string_view separators,
                            const std::function<bool(std::string_view)>& ok);

// dd.mm.yyyy, dd-mm-yy, yyyy-mm-dd at the start of a candidate: a date, not a phone number.
bool looks_like_date(std::string_view s);

// Printed cards are one run of digits or groups of 4 (4-4-4-4, 4-6-5, 4-4-4-2, ...): the first
// group has 4 digits and the inner groups 4..6. "112-3344556-7788990" is an order number.
bool card_grouping_plausible(std::string_view s);

// Four decimal octets, each <= 255, without leading zeros.
bool valid_ipv4(std::string_view s);
// Two ':' or more, four hex digits or more ("::", "a::b" are more likely code), and parses
// as an IPv6 address.
bool valid_ipv6(std::string_view s);

// True if the URL points at a person (profile, user page, user id or email in the query).
bool personal_url(std::string_view url);

// The length of `url` without the trailing punctuation that ends a sentence rather than a URL.
size_t trim_url(std::string_view url);

}  // namespace datadao::privacy::internal
