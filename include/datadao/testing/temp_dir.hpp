// A fresh temporary directory, removed with everything in it when the TempDir goes away.
// Test support; throws std::runtime_error when the directory cannot be made.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

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

// Whole-file bytes for tests that plant or inspect files (no atomicity: test setup only).
void write_bytes(const std::filesystem::path& p, const std::vector<uint8_t>& data);
std::vector<uint8_t> read_bytes(const std::filesystem::path& p);
// n bytes of a seeded pattern that does not repeat with a short period.
std::vector<uint8_t> patterned_bytes(size_t n, uint8_t seed);

}  // namespace datadao::testkit
