// A fresh temporary directory, removed with everything in it when the TempDir goes away.
// Test support; throws std::runtime_error when the directory cannot be made.
#pragma once

#include <filesystem>
#include <string_view>

namespace datadao::testkit {

class TempDir {
 public:
  // Makes <system temp>/<prefix>-XXXXXX.
  explicit TempDir(std::string_view prefix = "datadao-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

}  // namespace datadao::testkit
