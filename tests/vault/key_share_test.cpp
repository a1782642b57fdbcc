// Sharing a file key with a recipient's X25519 key.
#include <gtest/gtest.h>

#include "datadao/vault/vault.hpp"

namespace datadao::vault {
namespace {

TEST(VaultKeyShare, RecipientRecoversTheFileKeyAndOpensTheBlob) {
  auto pool = crypto::BoxKeyPair::generate();
  crypto::SymmetricKey file_key = crypto::random_key();
  Bytes plain = {1, 2, 3, 4, 5};
  auto blob = encode_blob(plain, file_key, 4);
  ASSERT_TRUE(blob.ok());

  Bytes sealed = share_key(file_key, pool.public_key);
  EXPECT_EQ(sealed.size(), kSharedKeyBytes);
  auto received = receive_key(pool, sealed);
  ASSERT_TRUE(received.ok()) << received.error().to_string();
  EXPECT_TRUE(*received == file_key);
  auto opened = decode_blob(*blob, *received, "blob shared");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plain);
}

TEST(VaultKeyShare, AnotherRecipientCannotReceiveIt) {
  auto pool = crypto::BoxKeyPair::generate();
  auto eve = crypto::BoxKeyPair::generate();
  Bytes sealed = share_key(crypto::random_key(), pool.public_key);
  auto r = receive_key(eve, sealed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(r.error().message.find("sealed file key"), std::string::npos);
}

TEST(VaultKeyShare, AlteredSealedKeyIsRejected) {
  auto pool = crypto::BoxKeyPair::generate();
  Bytes sealed = share_key(crypto::random_key(), pool.public_key);
  for (size_t pos : {size_t{0}, size_t{31}, size_t{32}, size_t{60}, kSharedKeyBytes - 1}) {
    Bytes bad = sealed;
    bad[pos] ^= 1;
    EXPECT_FALSE(receive_key(pool, bad).ok()) << pos;
  }
}

TEST(VaultKeyShare, WrongLengthIsRejectedWithAClearError) {
  auto pool = crypto::BoxKeyPair::generate();
  Bytes sealed = share_key(crypto::random_key(), pool.public_key);
  for (size_t len : {size_t{0}, size_t{48}, kSharedKeyBytes - 1, kSharedKeyBytes + 1}) {
    Bytes b = sealed;
    b.resize(len);
    auto r = receive_key(pool, b);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("expected 80 bytes, got " + std::to_string(len)),
              std::string::npos)
        << r.error().message;
  }
}

TEST(VaultKeyShare, EachShareIsFreshlyRandomised) {
  auto pool = crypto::BoxKeyPair::generate();
  crypto::SymmetricKey k = crypto::random_key();
  EXPECT_NE(share_key(k, pool.public_key), share_key(k, pool.public_key));
}

}  // namespace
}  // namespace datadao::vault
