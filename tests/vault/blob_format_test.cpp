// The blob format in memory: encode_blob / decode_blob and every way a blob can be damaged.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/assertions.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::vault {
namespace {

constexpr size_t kFormatChunk = 64;

Bytes pattern(size_t n, uint8_t seed = 7) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 131 + seed + (i >> 8));
  return b;
}

crypto::SymmetricKey fixed_key(uint8_t v) {
  crypto::SymmetricKey k;
  std::memset(k.data(), v, k.size());
  return k;
}

void put_u32(Bytes& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(VaultBlobFormat, RoundTripsEverySizeAroundChunkBoundaries) {
  auto key = crypto::random_key();
  for (size_t n :
       {size_t{0}, size_t{1}, kFormatChunk - 1, kFormatChunk, kFormatChunk + 1, 3 * kFormatChunk, 10 * kFormatChunk + 5}) {
    Bytes plain = pattern(n);
    auto blob = encode_blob(plain, key, kFormatChunk);
    ASSERT_TRUE(blob.ok()) << blob.error().to_string();
    EXPECT_EQ(blob->size(), *ciphertext_size_for(n, kFormatChunk)) << n;
    auto back = decode_blob(*blob, key, "blob test");
    ASSERT_TRUE(back.ok()) << n << ": " << back.error().to_string();
    EXPECT_EQ(*back, plain) << n;
  }
}

TEST(VaultBlobFormat, HeaderLayoutMatchesTheDocumentedFormat) {
  Bytes plain = pattern(2 * kFormatChunk + 3);
  auto blob = encode_blob(plain, fixed_key(1), kFormatChunk);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(std::string(blob->begin(), blob->begin() + 4), "DDV1");
  EXPECT_EQ((*blob)[4], 1);
  codec::Reader r(ByteView(blob->data() + 5, 12), "header");
  EXPECT_EQ(r.u32("chunk size"), kFormatChunk);
  EXPECT_EQ(r.u64("plaintext size"), plain.size());
  // 3 chunks: 41 + plaintext + 3 * 17.
  EXPECT_EQ(blob->size(), 41 + plain.size() + 3 * 17);
}

TEST(VaultBlobFormat, SameKeyStillGivesDifferentCiphertexts) {
  // The secretstream header is random, so equal files under an equal key are unlinkable.
  Bytes plain = pattern(100);
  auto a = encode_blob(plain, fixed_key(3), kFormatChunk);
  auto b = encode_blob(plain, fixed_key(3), kFormatChunk);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(VaultBlobFormat, FlippedByteAnywhereIsDetected) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(3 * kFormatChunk + 10), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  for (size_t pos = 0; pos < blob->size(); ++pos) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}}) {
      Bytes bad = *blob;
      bad[pos] ^= mask;
      auto r = decode_blob(bad, key, "blob cafe");
      ASSERT_FALSE(r.ok()) << "flip at " << pos << " went unnoticed";
      EXPECT_NE(r.error().message.find("blob cafe"), std::string::npos) << r.error().message;
    }
  }
}

TEST(VaultBlobFormat, FlippedByteInAChunkNamesThatChunk) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(3 * kFormatChunk + 10), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  const size_t stride = kFormatChunk + kChunkOverheadBytes;
  for (size_t chunk = 0; chunk < 4; ++chunk) {
    Bytes bad = *blob;
    bad[kBlobHeaderBytes + chunk * stride + 5] ^= 0x10;
    auto r = decode_blob(bad, key, "blob cafe");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
    EXPECT_NE(r.error().message.find("chunk " + std::to_string(chunk) + ":"), std::string::npos)
        << r.error().message;
  }
}

TEST(VaultBlobFormat, TruncatedBlobIsDetected) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(2 * kFormatChunk + 10), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  for (size_t len = 0; len < blob->size(); ++len) {
    auto r = decode_blob(ByteView(blob->data(), len), key, "blob cut");
    ASSERT_FALSE(r.ok()) << "truncation to " << len << " went unnoticed";
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
    EXPECT_NE(r.error().message.find("blob cut"), std::string::npos);
  }
}

TEST(VaultBlobFormat, HeaderRewriteThatKeepsTheLayoutIsDetected) {
  // With 10 bytes of plaintext, any chunk size >= 10 gives the same single-chunk layout, so only
  // the header being additional data of every chunk can catch a rewritten chunk size.
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(10), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  Bytes bad = *blob;
  put_u32(bad, 5, 4096);
  auto r = decode_blob(bad, key, "blob hdr");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chunk 0: authentication failed"), std::string::npos)
      << r.error().message;
}

TEST(VaultBlobFormat, AppendedBytesAreDetected) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(kFormatChunk + 1), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  for (size_t extra : {size_t{1}, kChunkOverheadBytes, size_t{1000}}) {
    Bytes longer = *blob;
    longer.insert(longer.end(), extra, 0);
    auto r = decode_blob(longer, key, "blob long");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("after the final chunk"), std::string::npos)
        << r.error().message;
  }
  // A whole second blob appended is still rejected.
  Bytes twice = *blob;
  twice.insert(twice.end(), blob->begin(), blob->end());
  EXPECT_ERROR_CODE(decode_blob(twice, key, "blob long"), ErrorCode::kCorruption);
}

TEST(VaultBlobFormat, ChunkReorderIsDetected) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(4 * kFormatChunk), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  const size_t stride = kFormatChunk + kChunkOverheadBytes;
  Bytes swapped = *blob;
  std::swap_ranges(swapped.begin() + kBlobHeaderBytes + stride,
                   swapped.begin() + kBlobHeaderBytes + 2 * stride,
                   swapped.begin() + kBlobHeaderBytes + 2 * stride);
  auto r = decode_blob(swapped, key, "blob swap");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chunk 1:"), std::string::npos) << r.error().message;
}

TEST(VaultBlobFormat, WrongKeyFails) {
  auto blob = encode_blob(pattern(100), fixed_key(1), kFormatChunk);
  ASSERT_TRUE(blob.ok());
  auto r = decode_blob(*blob, fixed_key(2), "blob key");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chunk 0: authentication failed"), std::string::npos);
}

TEST(VaultBlobFormat, OversizedChunkSizeInHeaderIsRejected) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(10), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  Bytes bad = *blob;
  put_u32(bad, 5, static_cast<uint32_t>(kMaxChunkSize + 1));
  auto r = decode_blob(bad, key, "blob big");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(r.error().message.find("chunk size"), std::string::npos);

  put_u32(bad, 5, 0);
  r = decode_blob(bad, key, "blob zero");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chunk size 0"), std::string::npos);
}

TEST(VaultBlobFormat, PlaintextAboveTheCallersLimitIsRejectedBeforeDecrypting) {
  auto key = crypto::random_key();
  auto blob = encode_blob(pattern(1000), key, kFormatChunk);
  ASSERT_TRUE(blob.ok());
  auto r = decode_blob(*blob, key, "blob big", 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
  EXPECT_TRUE(decode_blob(*blob, key, "blob big", 1000).ok());
}

TEST(VaultBlobFormat, NotABlobIsRejected) {
  auto key = crypto::random_key();
  Bytes junk(200, 'x');
  auto r = decode_blob(junk, key, "blob junk");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad magic"), std::string::npos);
}

TEST(VaultBlobFormat, BadChunkSizeIsRejectedWhenEncoding) {
  auto key = crypto::random_key();
  EXPECT_EQ(encode_blob(pattern(1), key, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(encode_blob(pattern(1), key, kMaxChunkSize + 1).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(encode_blob(pattern(1), key, kMaxChunkSize).ok());
}

}  // namespace
}  // namespace datadao::vault
