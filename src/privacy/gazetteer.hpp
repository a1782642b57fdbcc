// Private to the privacy module: the first-name gazetteer used by the name detector.
#pragma once

#include <string_view>

namespace datadao::privacy::internal {

// How a capitalised word relates to given names.
enum class GivenName {
  kNo,         // not a known given name
  kAmbiguous,  // a given name that is also a common word or place (Will, May, Jordan, Paris)
  kYes,        // a given name that is rarely anything else (Sarah, Mohammed, Priya)
};

// `word` in any case (ASCII case-insensitive for the lookup).
GivenName classify_given_name(std::string_view word);

// True for capitalised words that must not be taken as a surname after a given name
// ("Sarah Said", "Will The") — function words, honorifics, weekdays, months, pronouns.
bool is_stop_word(std::string_view word);

}  // namespace datadao::privacy::internal
