// seal_file / open_blob through a LocalDirBackend: round trips and damage to the stored blob.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/testing/temp_dir.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::vault {
namespace {

namespace fs = std::filesystem;

constexpr size_t kSealChunk = 4096;

Bytes pattern(size_t n, uint64_t seed = 1) {
  Bytes b(n);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b[i] = static_cast<uint8_t>(x);
  }
  return b;
}

class VaultSeal : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, 8> r{};
    crypto::random_bytes(r);
    dir_ = fs::temp_directory_path() / ("vault-seal-test-" + codec::to_hex(r));
    fs::create_directories(dir_ / "in");
    fs::create_directories(dir_ / "out");
    store_ = std::make_unique<LocalDirBackend>(dir_ / "store");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Seals `data` and returns the blob info and key.
  std::pair<BlobInfo, crypto::SymmetricKey> seal(const Bytes& data, size_t chunk = kSealChunk) {
    fs::path in = dir_ / "in" / "plain.bin";
    testkit::write_bytes(in, data);
    auto r = seal_file(in, *store_, chunk);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return std::move(r).value();
  }

  // Files in out/ (including hidden temporaries).
  size_t files_in_out() const {
    size_t n = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir_ / "out")) ++n;
    return n;
  }

  // Applies `damage` to the stored blob, then expects open_blob to fail naming the blob and to
  // leave nothing behind. Returns the error.
  template <class F>
  Error expect_open_fails(const BlobInfo& info, const crypto::SymmetricKey& key, F damage) {
    fs::path stored = store_->blob_path(info.hash);
    Bytes blob = testkit::read_bytes(stored);
    damage(blob);
    testkit::write_bytes(stored, blob);
    fs::path out = dir_ / "out" / "plain.out";
    auto r = open_blob(*store_, info.hash, key, out);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return Error{};
    EXPECT_NE(r.error().message.find(blob_label(info.hash)), std::string::npos)
        << r.error().message;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(files_in_out(), 0u) << "a temporary plaintext file was left behind";
    return r.error();
  }

  fs::path dir_;
  std::unique_ptr<LocalDirBackend> store_;
};

TEST_F(VaultSeal, RoundTripsSizesAroundChunkBoundariesAndSeveralMiB) {
  for (size_t n : {size_t{0}, size_t{1}, kSealChunk - 1, kSealChunk, kSealChunk + 1, size_t{(5u << 20) + 3}}) {
    Bytes data = pattern(n, n);
    auto [info, key] = seal(data);
    EXPECT_EQ(info.plaintext_size, n);
    EXPECT_EQ(info.ciphertext_size, *ciphertext_size_for(n, kSealChunk));
    EXPECT_EQ(fs::file_size(store_->blob_path(info.hash)), info.ciphertext_size);
    EXPECT_EQ(crypto::blake2b256(testkit::read_bytes(store_->blob_path(info.hash))), info.hash);

    fs::path out = dir_ / "out" / "plain.out";
    auto opened = open_blob(*store_, info.hash, key, out);
    ASSERT_TRUE(opened.ok()) << n << ": " << opened.error().to_string();
    EXPECT_EQ(opened->plaintext_size, n);
    EXPECT_EQ(testkit::read_bytes(out), data) << n;
  }
}

TEST_F(VaultSeal, DefaultChunkSizeRoundTrips) {
  Bytes data = pattern((1u << 20) * 2 + 17);
  fs::path in = dir_ / "in" / "big.bin";
  testkit::write_bytes(in, data);
  auto r = seal_file(in, *store_);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->first.ciphertext_size, data.size() + kBlobHeaderBytes + 3 * kChunkOverheadBytes);
  fs::path out = dir_ / "out" / "big.out";
  ASSERT_TRUE(open_blob(*store_, r->first.hash, r->second, out).ok());
  EXPECT_EQ(testkit::read_bytes(out), data);
}

TEST_F(VaultSeal, EachSealUsesAFreshKey) {
  Bytes data = pattern(1000);
  auto a = seal(data);
  auto b = seal(data);
  EXPECT_NE(a.first.hash, b.first.hash);
  EXPECT_FALSE(a.second == b.second);
}

TEST_F(VaultSeal, FlippedByteAnywhereIsDetected) {
  Bytes data = pattern(5 * kSealChunk + 100);
  auto [info, key] = seal(data);
  const size_t stride = kSealChunk + kChunkOverheadBytes;
  const size_t last_chunk = kBlobHeaderBytes + 5 * stride;
  std::vector<size_t> positions = {
      0,
      3,
      4,
      5,
      8,
      9,
      16,
      17,
      40,  // magic, version, sizes, stream header
      kBlobHeaderBytes,
      kBlobHeaderBytes + 1,                        // first chunk: tag byte, ciphertext
      kBlobHeaderBytes + stride - 1,               // first chunk: last MAC byte
      kBlobHeaderBytes + 2 * stride + kSealChunk / 2,  // middle chunk
      kBlobHeaderBytes + 3 * stride - 16,          // middle chunk: MAC
      last_chunk,
      last_chunk + 50,
      info.ciphertext_size - 1  // last chunk and its MAC
  };
  const Bytes original = testkit::read_bytes(store_->blob_path(info.hash));
  for (size_t pos : positions) {
    SCOPED_TRACE("flip at " + std::to_string(pos));
    Error e = expect_open_fails(info, key, [pos](Bytes& b) { b[pos] ^= 0x04; });
    if (pos >= kBlobHeaderBytes) {
      size_t chunk = (pos - kBlobHeaderBytes) / stride;
      EXPECT_NE(e.message.find("chunk " + std::to_string(chunk) + ":"), std::string::npos)
          << e.message;
      EXPECT_EQ(e.code, ErrorCode::kCorruption);
    }
    testkit::write_bytes(store_->blob_path(info.hash), original);
  }
}

TEST_F(VaultSeal, TruncatedBlobIsDetected) {
  auto [info, key] = seal(pattern(3 * kSealChunk));
  for (size_t cut : {size_t{1}, kChunkOverheadBytes, kSealChunk + kChunkOverheadBytes}) {
    Bytes original = testkit::read_bytes(store_->blob_path(info.hash));
    Error e = expect_open_fails(info, key, [cut](Bytes& b) { b.resize(b.size() - cut); });
    EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
    testkit::write_bytes(store_->blob_path(info.hash), original);
  }
}

TEST_F(VaultSeal, AppendedBytesAreDetected) {
  auto [info, key] = seal(pattern(2 * kSealChunk + 1));
  Error e = expect_open_fails(info, key, [](Bytes& b) { b.push_back(0); });
  EXPECT_NE(e.message.find("after the final chunk"), std::string::npos) << e.message;
}

TEST_F(VaultSeal, ChunkReorderIsDetected) {
  auto [info, key] = seal(pattern(4 * kSealChunk + 9));
  constexpr size_t stride = kSealChunk + kChunkOverheadBytes;
  Error e = expect_open_fails(info, key, [](Bytes& b) {
    std::swap_ranges(b.begin() + kBlobHeaderBytes + 2 * stride,
                     b.begin() + kBlobHeaderBytes + 3 * stride,
                     b.begin() + kBlobHeaderBytes + 3 * stride);
  });
  EXPECT_NE(e.message.find("chunk 2:"), std::string::npos) << e.message;
}

TEST_F(VaultSeal, WrongKeyFailsAndSaysTheBlobIsIntact) {
  auto [info, key] = seal(pattern(3 * kSealChunk));
  crypto::SymmetricKey other = crypto::random_key();
  Error e = expect_open_fails(info, other, [](Bytes&) {});
  EXPECT_EQ(e.code, ErrorCode::kUnauthenticated);
  EXPECT_NE(e.message.find("key is wrong"), std::string::npos) << e.message;
  // The key itself never appears in an error.
  EXPECT_EQ(e.message.find(codec::to_hex(other.view())), std::string::npos);
  EXPECT_EQ(e.message.find(codec::to_hex(key.view())), std::string::npos);
}

TEST_F(VaultSeal, OversizedChunkSizeInHeaderIsRejected) {
  auto [info, key] = seal(pattern(100));
  Error e = expect_open_fails(info, key, [](Bytes& b) {
    uint32_t big = static_cast<uint32_t>(kMaxChunkSize) + 1;
    for (int i = 0; i < 4; ++i) b[5 + i] = static_cast<uint8_t>(big >> (8 * i));
  });
  EXPECT_EQ(e.code, ErrorCode::kLimitExceeded);
}

TEST_F(VaultSeal, FailedOpenLeavesAnExistingOutputUntouched) {
  auto [info, key] = seal(pattern(100));
  fs::path out = dir_ / "out" / "keep.txt";
  testkit::write_bytes(out, Bytes{'o', 'l', 'd'});
  auto r = open_blob(*store_, info.hash, crypto::random_key(), out);
  ASSERT_ERROR_CODE(r, ErrorCode::kUnauthenticated);
  EXPECT_EQ(testkit::read_bytes(out), (Bytes{'o', 'l', 'd'}));
  EXPECT_EQ(files_in_out(), 1u);
}

TEST_F(VaultSeal, UnknownBlobIsNotFound) {
  crypto::Hash32 h{};
  h[0] = 0xab;
  auto r = open_blob(*store_, h, crypto::random_key(), dir_ / "out" / "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find(blob_label(h)), std::string::npos);
  EXPECT_EQ(files_in_out(), 0u);
}

TEST_F(VaultSeal, SealRejectsMissingInputAndBadChunkSize) {
  auto missing = seal_file(dir_ / "in" / "nope", *store_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  fs::path in = dir_ / "in" / "x";
  testkit::write_bytes(in, pattern(10));
  auto bad = seal_file(in, *store_, 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find(in.string()), std::string::npos);
  auto dir = seal_file(dir_ / "in", *store_);
  EXPECT_ERROR_CODE(dir, ErrorCode::kInvalidArgument);
}

TEST_F(VaultSeal, SealBytesAndOpenBytesShareTheFormat) {
  Bytes record = pattern(3 * kSealChunk + 7);
  auto sealed = seal_bytes(record, *store_, kSealChunk);
  ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
  auto [info, key] = std::move(sealed).value();
  // The in-memory blob opens as a file and the other way round.
  fs::path out = dir_ / "out" / "rec";
  ASSERT_TRUE(open_blob(*store_, info.hash, key, out).ok());
  EXPECT_EQ(testkit::read_bytes(out), record);
  auto back = open_bytes(*store_, info.hash, key);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, record);

  auto [finfo, fkey] = seal(record);
  auto fback = open_bytes(*store_, finfo.hash, fkey);
  ASSERT_TRUE(fback.ok());
  EXPECT_EQ(*fback, record);
}

TEST_F(VaultSeal, OpenBytesDetectsAFlippedStoredByte) {
  auto sealed = seal_bytes(pattern(500), *store_, kSealChunk);
  ASSERT_TRUE(sealed.ok());
  fs::path stored = store_->blob_path(sealed->first.hash);
  Bytes b = testkit::read_bytes(stored);
  b[100] ^= 1;
  testkit::write_bytes(stored, b);
  auto r = open_bytes(*store_, sealed->first.hash, sealed->second);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_NE(r.error().message.find(blob_label(sealed->first.hash)), std::string::npos);
}

}  // namespace
}  // namespace datadao::vault
