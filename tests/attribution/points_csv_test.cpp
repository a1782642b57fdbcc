// read_points_csv: good files parse; every malformed row is refused with its line named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "datadao/attribution/knn_shapley.hpp"

namespace datadao::attribution {
namespace {

class PointsCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datadao_points_csv_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // The error for `text`, which must be refused.
  Error refused(const std::string& text) {
    const auto r = read_points_csv(write("v.csv", text));
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? Error{} : r.error();
  }

  std::filesystem::path dir_;
};

TEST_F(PointsCsv, GoodFileParses) {
  const auto r = read_points_csv(
      write("t.csv", "0.5,-1,3\n\n  1e-3 , +2.25 ,-7\r\n4,5,0\n   \n"));  // blanks, CRLF, spaces
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->dim, 2u);
  EXPECT_EQ(r->features, (std::vector<double>{0.5, -1, 1e-3, 2.25, 4, 5}));
  EXPECT_EQ(r->labels, (std::vector<int64_t>{3, -7, 0}));
}

TEST_F(PointsCsv, ValuesRoundTripAtFullPrecision) {
  const auto r = read_points_csv(write("t.csv", "0.1,0.30000000000000004,1\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->features[0], 0.1);
  EXPECT_EQ(r->features[1], 0.1 + 0.2);
}

TEST_F(PointsCsv, NonNumericFeatureNamesTheLine) {
  const auto e = refused("1,2,0\n1,abc,1\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message.find("v.csv: line 2: feature 2 'abc' is not a number"), std::string::npos)
      << e.message;
  EXPECT_NE(refused("1,2,0\n\n1,2x,1\n").message.find("line 3: feature 2 '2x'"), std::string::npos);
  EXPECT_NE(refused("1,,0\n").message.find("line 1: feature 2 '' is not a number"),
            std::string::npos);
}

TEST_F(PointsCsv, NonIntegerLabelNamesTheLine) {
  EXPECT_NE(refused("1,2,0\n3,4,x\n").message.find("line 2: label 'x' is not an integer"),
            std::string::npos);
  EXPECT_NE(refused("1,2,1.5\n").message.find("line 1: label '1.5' is not an integer"),
            std::string::npos);
  EXPECT_NE(refused("1,2,99999999999999999999\n").message.find("line 1: label"), std::string::npos);
}

TEST_F(PointsCsv, RaggedRowNamesTheLine) {
  const auto e = refused("1,2,0\n1,2,3,0\n");
  EXPECT_NE(e.message.find("line 2: 4 columns, but line 1 has 3"), std::string::npos) << e.message;
}

TEST_F(PointsCsv, NonFiniteFeatureNamesTheLine) {
  EXPECT_NE(refused("1,2,0\nnan,2,0\n").message.find("line 2: feature 1 'nan' is not finite"),
            std::string::npos);
  EXPECT_NE(refused("inf,2,0\n").message.find("line 1: feature 1 'inf' is not finite"),
            std::string::npos);
  EXPECT_NE(refused("1e999,2,0\n").message.find("line 1: feature 1 '1e999' is out of range"),
            std::string::npos);
}

TEST_F(PointsCsv, TooManyColumnsIsALimit) {
  std::string row;
  for (size_t i = 0; i < kMaxCsvColumns; ++i) row += "0,";
  row += "1\n";
  const auto e = refused(row);
  EXPECT_EQ(e.code, ErrorCode::kLimitExceeded);
  EXPECT_NE(e.message.find("line 1: 4098 columns, more than the limit of 4097"), std::string::npos)
      << e.message;
}

TEST_F(PointsCsv, OneColumnIsRefused) {
  const auto e = refused("\n5\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message.find("line 2: 1 column"), std::string::npos) << e.message;
}

TEST_F(PointsCsv, EmptyOrMissingFileIsRefused) {
  EXPECT_NE(refused("\n\n").message.find("no rows"), std::string::npos);
  const auto missing = read_points_csv(dir_ / "nope.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kIoError);
  EXPECT_NE(missing.error().message.find("nope.csv"), std::string::npos);
}

}  // namespace
}  // namespace datadao::attribution
