#include "datadao/proof/normalize.hpp"
#include "datadao/testing/assertions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace datadao::proof {
namespace {

std::string norm(std::string_view s) {
  auto r = normalize_text(s);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? *r : std::string();
}

TEST(ProofNormalize, CaseWhitespaceAndPunctuationAreIgnored) {
  EXPECT_EQ(norm("  Hello,   WORLD!!\n\tHow are   you? "), "hello world how are you");
  EXPECT_EQ(norm("hello,world"), norm("hello, world"));
}

TEST(ProofNormalize, SymbolsAndDigitsAreKept) {
  EXPECT_EQ(norm("Price: $5 + tax"), "price $5 + tax");
}

TEST(ProofNormalize, NfkcFoldsCompatibilityForms) {
  EXPECT_EQ(norm("\xEF\xBC\xA8\xEF\xBC\xA5\xEF\xBC\xAC\xEF\xBC\xAC\xEF\xBC\xAF"),
            "hello");                         // fullwidth
  EXPECT_EQ(norm("\xEF\xAC\x81le"), "file");  // fi ligature
  EXPECT_EQ(norm("Stra\xC3\x9F"
                 "e"),
            "strasse");  // casefold
  // Decomposed e + combining acute composes to the same bytes as precomposed e-acute.
  EXPECT_EQ(norm("cafe\xCC\x81"), norm("caf\xC3\xA9"));
}

TEST(ProofNormalize, InvisibleCharactersAreRemoved) {
  EXPECT_EQ(norm("pass\xE2\x80\x8Bword"), "password");  // zero-width space
  EXPECT_EQ(norm("soft\xC2\xADhyphen"), "softhyphen");  // soft hyphen
  EXPECT_EQ(norm("no\xC2\xA0"
                 "break"),
            "no break");  // no-break space is a space
}

TEST(ProofNormalize, UnicodePunctuationSeparatesWords) {
  EXPECT_EQ(norm("wait\xE2\x80\x94what\xE2\x80\xA6"), "wait what");  // em dash, ellipsis
}

TEST(ProofNormalize, AsciiFastPathAgreesWithUnicodePath) {
  const std::string ascii = "Hello, World! (a_b) [x]{y} \"q\" 'r' #tag @me 100% a-b ~^|`<=>";
  EXPECT_EQ(norm(ascii + " \xC3\xA9"), norm(ascii) + " \xC3\xA9");
}

TEST(ProofNormalize, EmptyAndPunctuationOnlyNormaliseToEmpty) {
  EXPECT_EQ(norm(""), "");
  EXPECT_EQ(norm(" ...!!! \n"), "");
}

TEST(ProofNormalize, MalformedUtf8IsRejectedWithOffset) {
  auto r = normalize_text(
      "ab\xFF"
      "cd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("byte 2"), std::string::npos) << r.error().message;
  EXPECT_ERROR_CODE(normalize_text("\xED\xA0\x80"),
                    ErrorCode::kInvalidArgument);  // UTF-16 surrogate
}

TEST(ProofNormalize, OversizedTextIsRejected) {
  auto r = normalize_text(std::string(kMaxTextBytes + 1, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(ProofShingles, ShortTextIsOneShingleAndEmptyHasNone) {
  EXPECT_TRUE(shingles("").empty());
  EXPECT_EQ(shingles("lol").size(), 1u);
  EXPECT_NE(shingles("cat"), shingles("car"));
}

TEST(ProofShingles, ShinglesAreSortedAndUnique) {
  auto s = shingles("aaaaaaaaaa bbbbb aaaaaaaaa");
  EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
  EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end());
  EXPECT_EQ(shingles("aaaaaaaaaaaa").size(), 1u);
}

TEST(ProofShingles, ExactJaccardOfIdenticalIsOneOfDisjointIsZero) {
  auto a = shingles("the quick brown fox");
  auto b = shingles("lorem ipsum dolor sit");
  EXPECT_DOUBLE_EQ(exact_jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(exact_jaccard(a, b), 0.0);
  EXPECT_DOUBLE_EQ(exact_jaccard({}, {}), 0.0);
  std::vector<uint64_t> x{1, 2, 3, 4}, y{3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(exact_jaccard(x, y), 2.0 / 6.0);
}

}  // namespace
}  // namespace datadao::proof
