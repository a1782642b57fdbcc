#include "datadao/proof/normalize.hpp"

#include <utf8proc.h>
#define XXH_INLINE_ALL  // 5-byte inputs: the call overhead would dominate
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

namespace datadao::proof {
namespace {

enum class Class : uint8_t { kKeep, kSpace };

Class classify(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return Class::kSpace;
    default:
      return Class::kKeep;
  }
}

// ASCII table built from the same Unicode categories, so the fast path agrees with the slow one.
struct AsciiTable {
  std::array<char, 128> map{};  // 0 = separator
  AsciiTable() {
    for (int c = 0; c < 128; ++c) {
      char folded =
          (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      map[c] = classify(c) == Class::kSpace ? 0 : folded;
    }
  }
};
const AsciiTable& ascii_table() {
  static const AsciiTable table;
  return table;
}

// Appends `c` (or a separator when c == 0) collapsing runs of separators.
inline void emit(std::string& out, char c, bool& pending_space) {
  if (c == 0) {
    pending_space = !out.empty();
    return;
  }
  if (pending_space) {
    out.push_back(' ');
    pending_space = false;
  }
  out.push_back(c);
}

}  // namespace

Result<std::string> normalize_text(std::string_view text) {
  if (text.size() > kMaxTextBytes) {
    return make_error(ErrorCode::kLimitExceeded, "text of " + std::to_string(text.size()) +
                                                     " bytes exceeds the limit of " +
                                                     std::to_string(kMaxTextBytes));
  }
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    const auto& table = ascii_table();
    for (char c : text) emit(out, table.map[static_cast<unsigned char>(c)], pending_space);
    return out;
  }
  // Locate malformed UTF-8 ourselves so the error can name the offset.
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n =
        utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        "text: invalid UTF-8 at byte " + std::to_string(i));
    }
    i += static_cast<size_t>(n);
  }
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t len = utf8proc_map(
      p, static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  if (len < 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("text: cannot normalise: ") + utf8proc_errmsg(len));
  }
  for (utf8proc_ssize_t i = 0; i < len;) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(mapped + i, len - i, &cp);
    if (n <= 0) return make_error(ErrorCode::kInternal, "text: normaliser produced bad UTF-8");
    if (classify(cp) == Class::kSpace) {
      emit(out, 0, pending_space);
    } else {
      for (utf8proc_ssize_t k = 0; k < n; ++k) {
        emit(out, static_cast<char>(mapped[i + k]), pending_space);
      }
    }
    i += n;
  }
  return out;
}

void shingle_hashes_into(std::string_view normalised, std::vector<uint64_t>& out) {
  out.clear();
  if (normalised.empty()) return;
  if (normalised.size() < kShingleBytes) {
    out.push_back(XXH3_64bits(normalised.data(), normalised.size()));
    return;
  }
  out.resize(normalised.size() - kShingleBytes + 1);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = XXH3_64bits(normalised.data() + i, kShingleBytes);
  }
}

std::vector<uint64_t> shingles(std::string_view normalised) {
  std::vector<uint64_t> out;
  shingle_hashes_into(normalised, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double exact_jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const size_t uni = a.size() + b.size() - common;
  return uni == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(uni);
}

}  // namespace datadao::proof
