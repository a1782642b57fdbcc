#include "datadao/ingest/fixtures.hpp"

#include <gtest/gtest.h>

#include "datadao/ingest/importers.hpp"

namespace datadao::ingest {
namespace {

TEST(IngestFixtures, SameSeedGivesIdenticalBytes) {
  FixtureOptions o;
  o.seed = 99;
  for (auto make : {make_reddit_export, make_x_export, make_spotify_export, make_oura_export}) {
    auto a = make(o), b = make(o);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->zip, b->zip);
  }
}

TEST(IngestFixtures, DifferentSeedsGiveDifferentUsersAndTexts) {
  FixtureOptions a, b;
  a.seed = 1;
  b.seed = 2;
  auto fa = make_x_export(a), fb = make_x_export(b);
  ASSERT_TRUE(fa.ok() && fb.ok());
  EXPECT_NE(fa->account_identity, fb->account_identity);
  EXPECT_NE(fa->texts, fb->texts);
}

TEST(IngestFixtures, PlantsDuplicatesNearDuplicatesCopiesAndPii) {
  FixtureOptions o;
  o.records = 30;
  o.duplicates = 2;
  o.near_duplicates = 2;
  o.copied_texts = {"a copied post from someone else entirely"};
  o.pii = {"call me at 555-0100"};
  auto fx = make_x_export(o);
  ASSERT_TRUE(fx.ok());
  const auto& t = fx->texts;
  ASSERT_EQ(t.size(), 30u);
  // The last five texts are the planted ones, in order: 2 exact, 2 near, 1 copied.
  for (size_t i = 25; i < 27; ++i) {
    EXPECT_NE(std::find(t.begin(), t.begin() + 25, t[i]), t.begin() + 25) << i;
  }
  for (size_t i = 27; i < 29; ++i) {
    EXPECT_EQ(std::find(t.begin(), t.begin() + 25, t[i]), t.begin() + 25) << i;
  }
  EXPECT_EQ(t[29], "a copied post from someone else entirely");
  EXPECT_NE(t[0].find("call me at 555-0100"), std::string::npos);
}

TEST(IngestFixtures, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace datadao::ingest
