// Private to the privacy module: UTF-8 validity, checked fast for mostly-ASCII text.
#pragma once

#include <string_view>

namespace datadao::privacy::internal {

// codec::is_valid_utf8, skipping the ASCII prefix eight bytes at a time first: most texts are
// all ASCII, and the importer has already walked every byte once.
bool valid_utf8(std::string_view text);

}  // namespace datadao::privacy::internal
