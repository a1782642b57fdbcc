#include "datadao/codec/codec.hpp"

#include <gtest/gtest.h>

#include "datadao/crypto/crypto.hpp"
#include "datadao/testing/assertions.hpp"

namespace datadao::codec {
namespace {

TEST(Codec, RoundTripsEveryFieldKind) {
  Writer w;
  std::array<uint8_t, 4> fx = {1, 2, 3, 4};
  w.u8(0xAB).u16(0xBEEF).u32(0xDEADBEEF).u64(0x0102030405060708ull).boolean(true).fixed(fx);
  w.bytes(Bytes{9, 9}).str("héllo");
  Bytes enc = w.take();
  Reader r(enc, "sample");
  EXPECT_EQ(r.u8("a"), 0xAB);
  EXPECT_EQ(r.u16("b"), 0xBEEF);
  EXPECT_EQ(r.u32("c"), 0xDEADBEEFu);
  EXPECT_EQ(r.u64("d"), 0x0102030405060708ull);
  EXPECT_TRUE(r.boolean("e"));
  EXPECT_EQ((r.fixed<4>("f")), fx);
  EXPECT_EQ(r.bytes("g", 10), (Bytes{9, 9}));
  EXPECT_EQ(r.str("h", 10), "héllo");
  EXPECT_TRUE(r.finish().ok());
}

TEST(Codec, IntegersAreLittleEndian) {
  Writer w;
  w.u32(1);
  EXPECT_EQ(w.data(), (Bytes{1, 0, 0, 0}));
}

TEST(Codec, TruncationNamesTheField) {
  Writer w;
  w.u32(5);
  Bytes enc = w.take();
  Reader r(enc, "transaction");
  r.u64("nonce");
  auto st = r.finish();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("transaction"), std::string::npos);
  EXPECT_NE(st.error().message.find("nonce"), std::string::npos);
}

TEST(Codec, OversizedLengthIsRejectedBeforeAllocation) {
  Writer w;
  w.u32(0xFFFFFFFF);
  Bytes enc = w.take();
  Reader r(enc, "blob");
  r.bytes("payload", 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(Codec, TrailingBytesAreRejected) {
  Bytes enc = {1, 2};
  Reader r(enc, "x");
  r.u8("a");
  EXPECT_ERROR_CODE(r.finish(), ErrorCode::kInvalidArgument);
}

TEST(Codec, NonCanonicalBooleanIsRejected) {
  Bytes enc = {2};
  Reader r(enc, "x");
  r.boolean("flag");
  EXPECT_ERROR_CODE(r.finish(), ErrorCode::kInvalidArgument);
}

TEST(Codec, InvalidUtf8TextIsRejected) {
  Writer w;
  w.bytes(Bytes{0xC0, 0xAF});  // overlong '/'
  Bytes enc = w.take();
  Reader r(enc, "x");
  r.str("name", 100);
  EXPECT_ERROR_CODE(r.finish(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));      // truncated
}

TEST(Hex, RoundTripAndErrors) {
  Bytes b = {0x00, 0xff, 0x10};
  EXPECT_EQ(to_hex(b), "00ff10");
  EXPECT_EQ(*from_hex("00FF10", "h"), b);
  EXPECT_ERROR_CODE(from_hex("abc", "h"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(from_hex("zz", "h"), ErrorCode::kInvalidArgument);
  EXPECT_FALSE((from_hex_fixed<4>("00ff10", "key").ok()));
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(to_base64(crypto::as_bytes(std::string_view("foobar"))), "Zm9vYmFy");
  EXPECT_EQ(to_base64(crypto::as_bytes(std::string_view("fo"))), "Zm8=");
  auto back = from_base64("Zm8=", "b");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::string(back->begin(), back->end()), "fo");
  EXPECT_ERROR_CODE(from_base64("Zm8=!", "b"), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::codec
