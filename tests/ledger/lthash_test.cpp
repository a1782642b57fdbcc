#include "datadao/ledger/lthash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace datadao::ledger {
namespace {

crypto::ByteView bv(std::string_view s) { return crypto::as_bytes(s); }

TEST(LtHash16, EmptyAccumulatorIsAllZero) {
  LtHash16 h;
  auto b = h.bytes();
  EXPECT_TRUE(std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; }));
}

TEST(LtHash16, OrderOfAdditionsDoesNotMatter) {
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back("k" + std::to_string(i));
  LtHash16 a, b;
  for (const auto& k : keys) a.add(bv(k), bv("v"));
  std::shuffle(keys.begin(), keys.end(), std::mt19937(7));
  for (const auto& k : keys) b.add(bv(k), bv("v"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.digest(), b.digest());
}

TEST(LtHash16, RemoveUndoesAdd) {
  LtHash16 a, b;
  a.add(bv("x"), bv("1"));
  b.add(bv("x"), bv("1"));
  b.add(bv("y"), bv("2"));
  b.remove(bv("y"), bv("2"));
  EXPECT_EQ(a, b);
  b.remove(bv("x"), bv("1"));
  EXPECT_EQ(b, LtHash16{});
}

TEST(LtHash16, UpdatingAValueEqualsBuildingWithTheNewValue) {
  LtHash16 updated, fresh;
  updated.add(bv("acct"), bv("old"));
  updated.add(bv("other"), bv("z"));
  updated.remove(bv("acct"), bv("old"));
  updated.add(bv("acct"), bv("new"));
  fresh.add(bv("other"), bv("z"));
  fresh.add(bv("acct"), bv("new"));
  EXPECT_EQ(updated.digest(), fresh.digest());
}

TEST(LtHash16, DifferentSetsGiveDifferentDigests) {
  LtHash16 a, b, c;
  a.add(bv("k"), bv("1"));
  b.add(bv("k"), bv("2"));
  c.add(bv("j"), bv("1"));
  EXPECT_NE(a.digest(), b.digest());
  EXPECT_NE(a.digest(), c.digest());
}

TEST(LtHash16, KeyValueBoundaryIsPartOfTheElement) {
  LtHash16 a, b;
  a.add(bv("ab"), bv("c"));
  b.add(bv("a"), bv("bc"));
  EXPECT_NE(a, b);
}

TEST(LtHash16, CombiningAccumulatorsEqualsAddingElements) {
  LtHash16 part1, part2, all;
  part1.add(bv("a"), bv("1"));
  part2.add(bv("b"), bv("2"));
  all.add(bv("a"), bv("1"));
  all.add(bv("b"), bv("2"));
  LtHash16 sum = part1;
  sum.add(part2);
  EXPECT_EQ(sum, all);
  sum.subtract(part2);
  EXPECT_EQ(sum, part1);
}

}  // namespace
}  // namespace datadao::ledger
