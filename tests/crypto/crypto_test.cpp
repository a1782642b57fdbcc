#include "datadao/crypto/crypto.hpp"

#include <gtest/gtest.h>

#include "datadao/codec/codec.hpp"
#include "datadao/testing/assertions.hpp"

namespace datadao::crypto {
namespace {

std::string hex(const Hash32& h) { return codec::to_hex(h); }

TEST(Hash, Blake2b256MatchesReferenceVector) {
  // BLAKE2b-256 of "abc" (RFC 7693 test vector family; value from the reference implementation).
  EXPECT_EQ(hex(blake2b256(as_bytes(std::string_view("abc")))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(Hash, KeyedBlake2b256MatchesReferenceAndDependsOnTheKey) {
  SymmetricKey key;
  for (size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<uint8_t>(i);
  // Python: hashlib.blake2b(b"abc", key=bytes(range(32)), digest_size=32).hexdigest()
  EXPECT_EQ(hex(blake2b256_keyed(key, as_bytes(std::string_view("abc")))),
            "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
  SymmetricKey other = key;
  other.data()[0] ^= 1;
  EXPECT_NE(blake2b256_keyed(other, as_bytes(std::string_view("abc"))),
            blake2b256_keyed(key, as_bytes(std::string_view("abc"))));
  EXPECT_NE(blake2b256_keyed(key, as_bytes(std::string_view("abc"))),
            blake2b256(as_bytes(std::string_view("abc"))));
}

TEST(Hash, Sha256MatchesFips180Vector) {
  EXPECT_EQ(hex(sha256(as_bytes(std::string_view("abc")))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, StreamingEqualsOneShot) {
  std::string data(100000, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31);
  Blake2b256 b;
  Sha256 s;
  for (size_t off = 0; off < data.size(); off += 777) {
    auto piece = std::string_view(data).substr(off, 777);
    b.update(as_bytes(piece));
    s.update(as_bytes(piece));
  }
  EXPECT_EQ(b.finish(), blake2b256(as_bytes(data)));
  EXPECT_EQ(s.finish(), sha256(as_bytes(data)));
}

TEST(Signature, SignedMessageVerifiesAndAnyChangeFails) {
  auto kp = SigningKeyPair::generate();
  Bytes msg = {1, 2, 3, 4, 5};
  auto sig = sign(kp, msg);
  EXPECT_TRUE(verify(kp.public_key, msg, sig));
  Bytes other = msg;
  other[2] ^= 1;
  EXPECT_FALSE(verify(kp.public_key, other, sig));
  auto bad = sig;
  bad[10] ^= 0x80;
  EXPECT_FALSE(verify(kp.public_key, msg, bad));
  auto kp2 = SigningKeyPair::generate();
  EXPECT_FALSE(verify(kp2.public_key, msg, sig));
}

TEST(Signature, SeedIsDeterministic) {
  std::array<uint8_t, 32> seed{};
  seed[0] = 7;
  EXPECT_EQ(SigningKeyPair::from_seed(seed).public_key, SigningKeyPair::from_seed(seed).public_key);
}

TEST(SealedBox, OnlyRecipientOpens) {
  auto alice = BoxKeyPair::generate();
  auto bob = BoxKeyPair::generate();
  Bytes secret = {9, 8, 7, 6};
  Bytes box = seal_to(alice.public_key, secret);
  EXPECT_EQ(box.size(), secret.size() + kSealOverheadBytes);
  auto opened = unseal(alice, box);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->bytes(), secret);
  auto wrong = unseal(bob, box);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  box[5] ^= 1;
  EXPECT_ERROR_CODE(unseal(alice, box), ErrorCode::kUnauthenticated);
  EXPECT_ERROR_CODE(unseal(alice, Bytes(10)), ErrorCode::kInvalidArgument);
}

TEST(Aead, RoundTripAndTamperDetection) {
  auto key = random_key();
  Bytes nonce(kAeadNonceBytes, 3);
  Bytes pt = {1, 2, 3};
  Bytes ad = {42};
  Bytes ct = aead_encrypt(key, nonce, pt, ad);
  auto back = aead_decrypt(key, nonce, ct, ad);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bytes(), pt);
  Bytes ad2 = {43};
  EXPECT_EQ(aead_decrypt(key, nonce, ct, ad2).error().code, ErrorCode::kUnauthenticated);
  ct[0] ^= 1;
  EXPECT_ERROR_CODE(aead_decrypt(key, nonce, ct, ad), ErrorCode::kUnauthenticated);
}

TEST(Kdf, SamePassphraseSameKeyDifferentSaltDifferentKey) {
  Bytes salt1(kKdfSaltBytes, 1), salt2(kKdfSaltBytes, 2);
  auto p = KdfParams::interactive();
  auto a = derive_key("correct horse", salt1, p);
  auto b = derive_key("correct horse", salt1, p);
  auto c = derive_key("correct horse", salt2, p);
  auto d = derive_key("wrong horse", salt1, p);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_TRUE(*a == *b);
  EXPECT_FALSE(*a == *c);
  EXPECT_FALSE(*a == *d);
}

TEST(Kdf, HostileParametersAreRejectedBeforeAllocating) {
  Bytes salt(kKdfSaltBytes, 1);
  auto huge = derive_key("x", salt, KdfParams{3, 1ull << 40});
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::kLimitExceeded);
  EXPECT_ERROR_CODE(derive_key("x", salt, KdfParams{0, 0}), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(derive_key("x", Bytes(3), KdfParams::interactive()),
                    ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::crypto
