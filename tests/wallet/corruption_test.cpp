// Every way a wallet file can be damaged or tampered with is detected and never silently used.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/wallet/home.hpp"
#include "datadao/wallet/wallet.hpp"
#include "datadao/testing/temp_home.hpp"

namespace datadao::wallet {
namespace {

using nlohmann::json;
using testkit::kPass;

class WalletCorruptionTest : public testkit::TempHomeTest {
 protected:
  void SetUp() override {
    TempHomeTest::SetUp();
    auto w = create_wallet("alice", kPass, fast());
    ASSERT_TRUE(w.ok()) << w.error().to_string();
    path_ = *wallet_path("alice");
    original_ = read_text(path_);
  }

  json original_json() const { return json::parse(original_); }

  // The documented checksum, computed independently of the implementation.
  static std::string recompute_checksum(const json& j) {
    auto bytes = [](const json& v) { return *codec::from_base64(v.get<std::string>(), "test"); };
    codec::Writer w;
    w.str("datadao-wallet-checksum")
        .str(j["format"].get<std::string>())
        .u32(j["version"].get<uint32_t>())
        .str(j["name"].get<std::string>())
        .u64(j["created_at"].get<uint64_t>())
        .fixed(*codec::from_hex(j["sign_public_key"].get<std::string>(), "test"))
        .fixed(*codec::from_hex(j["box_public_key"].get<std::string>(), "test"))
        .str(j["kdf"]["alg"].get<std::string>())
        .u64(j["kdf"]["opslimit"].get<uint64_t>())
        .u64(j["kdf"]["memlimit"].get<uint64_t>())
        .fixed(bytes(j["kdf"]["salt"]))
        .fixed(bytes(j["nonce"]))
        .bytes(bytes(j["ciphertext"]));
    return codec::to_hex(crypto::blake2b256(w.data()));
  }

  void write_json(json j, bool fix_checksum) {
    if (fix_checksum) j["checksum"] = recompute_checksum(j);
    write_text(path_, j.dump(2));
  }

  Error load_error() {
    auto w = load_wallet("alice", kPass);
    EXPECT_FALSE(w.ok()) << "a damaged wallet was loaded";
    if (w.ok()) return Error{};
    return w.error();
  }

  // Asserts kCorruption naming the file and containing `what`.
  void expect_corruption(std::string_view what) {
    Error e = load_error();
    EXPECT_EQ(e.code, ErrorCode::kCorruption) << e.to_string();
    EXPECT_NE(e.message.find(path_.string()), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(what), std::string::npos) << e.message;
  }

  static std::string flip_b64(const std::string& b64, size_t byte) {
    auto b = *codec::from_base64(b64, "test");
    b.at(byte) ^= 0x01;
    return codec::to_base64(b);
  }
  static std::string flip_hex(const std::string& hex) {
    auto b = *codec::from_hex(hex, "test");
    b.at(0) ^= 0x80;
    return codec::to_hex(b);
  }

  std::filesystem::path path_;
  std::string original_;
};

TEST_F(WalletCorruptionTest, UntouchedFileLoads) { EXPECT_TRUE(load_wallet("alice", kPass).ok()); }

TEST_F(WalletCorruptionTest, TruncatedFileIsCorruption) {
  const size_t n = original_.size();
  for (size_t cut : {size_t{0}, size_t{1}, size_t{10}, n / 3, n / 2, n - 40, n - 3}) {
    SCOPED_TRACE(cut);
    write_text(path_, original_.substr(0, cut));
    expect_corruption("");
  }
}

TEST_F(WalletCorruptionTest, FlippedByteAnywhereIsDetected) {
  // No single-bit change anywhere in the file yields a wallet, and none is mistaken for a wrong
  // passphrase: the checksum (or the parser) catches every one before the KDF runs.
  for (size_t i = 0; i < original_.size(); ++i) {
    std::string damaged = original_;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    write_text(path_, damaged);
    auto w = load_wallet("alice", kPass);
    ASSERT_FALSE(w.ok()) << "byte " << i << " flipped, wallet still loaded";
    ASSERT_EQ(w.error().code, ErrorCode::kCorruption)
        << "byte " << i << ": " << w.error().to_string();
  }
}

TEST_F(WalletCorruptionTest, FlippedFieldIsReportedAsChecksumMismatch) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"ciphertext", [](json& j) { j["ciphertext"] = flip_b64(j["ciphertext"], 5); }},
      {"ciphertext tag", [](json& j) { j["ciphertext"] = flip_b64(j["ciphertext"], 79); }},
      {"nonce", [](json& j) { j["nonce"] = flip_b64(j["nonce"], 0); }},
      {"salt", [](json& j) { j["kdf"]["salt"] = flip_b64(j["kdf"]["salt"], 15); }},
      {"sign_public_key", [](json& j) { j["sign_public_key"] = flip_hex(j["sign_public_key"]); }},
      {"box_public_key", [](json& j) { j["box_public_key"] = flip_hex(j["box_public_key"]); }},
      {"checksum", [](json& j) { j["checksum"] = flip_hex(j["checksum"]); }},
      {"created_at", [](json& j) { j["created_at"] = j["created_at"].get<uint64_t>() + 1; }},
      {"opslimit",
       [](json& j) { j["kdf"]["opslimit"] = j["kdf"]["opslimit"].get<uint64_t>() + 1; }},
      {"memlimit", [](json& j) { j["kdf"]["memlimit"] = uint64_t{1} << 40; }},
  };
  for (const auto& [name, mutate] : cases) {
    SCOPED_TRACE(name);
    json j = original_json();
    mutate(j);
    write_json(j, /*fix_checksum=*/false);
    expect_corruption("checksum mismatch");
  }
}

TEST_F(WalletCorruptionTest, SwappedPublicKeyWithRecomputedChecksumIsDetected) {
  auto other = create_wallet("mallory", kPass, fast());
  ASSERT_TRUE(other.ok());
  {
    json j = original_json();
    j["sign_public_key"] = codec::to_hex(other->sign.public_key);
    write_json(j, /*fix_checksum=*/true);
    expect_corruption("sign_public_key does not match");
  }
  {
    json j = original_json();
    j["box_public_key"] = codec::to_hex(other->box.public_key);
    write_json(j, /*fix_checksum=*/true);
    expect_corruption("box_public_key does not match");
  }
}

TEST_F(WalletCorruptionTest, HugeMemlimitIsRejectedWithoutDerivingAKey) {
  for (uint64_t memlimit : {(uint64_t{1} << 30) + 1, uint64_t{1} << 40, ~uint64_t{0}}) {
    json j = original_json();
    j["kdf"]["memlimit"] = memlimit;
    write_json(j, /*fix_checksum=*/true);
    expect_corruption("memlimit");
  }
}

TEST_F(WalletCorruptionTest, OpslimitOutOfBoundsIsRejected) {
  for (uint64_t ops : {uint64_t{0}, uint64_t{65}, uint64_t{1} << 40}) {
    json j = original_json();
    j["kdf"]["opslimit"] = ops;
    write_json(j, /*fix_checksum=*/true);
    expect_corruption("opslimit");
  }
}

TEST_F(WalletCorruptionTest, TamperedAuthenticatedFieldsWithRecomputedChecksumNeverLoad) {
  // A deliberate edit that also fixes the checksum cannot be told from a wrong passphrase, but it
  // must never load: name, date and KDF parameters are bound by the AEAD associated data.
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"created_at", [](json& j) { j["created_at"] = j["created_at"].get<uint64_t>() - 1; }},
      {"memlimit",
       [](json& j) { j["kdf"]["memlimit"] = j["kdf"]["memlimit"].get<uint64_t>() / 2; }},
      {"ciphertext", [](json& j) { j["ciphertext"] = flip_b64(j["ciphertext"], 0); }},
  };
  for (const auto& [name, mutate] : cases) {
    SCOPED_TRACE(name);
    json j = original_json();
    mutate(j);
    write_json(j, /*fix_checksum=*/true);
    Error e = load_error();
    EXPECT_EQ(e.code, ErrorCode::kUnauthenticated) << e.to_string();
  }
  // A renamed wallet (loaded by path, since its file name no longer matches) is no different.
  json j = original_json();
  j["name"] = "bob";
  write_json(j, /*fix_checksum=*/true);
  auto w = load_wallet(path_.string(), kPass);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(WalletCorruptionTest, NonJsonIsCorruption) {
  write_text(path_, "this is not a wallet");
  expect_corruption("not valid JSON");
  write_text(path_, "");
  expect_corruption("not valid JSON");
  write_text(path_, "[1, 2, 3]");
  expect_corruption("not a JSON object");
  write_text(path_, original_ + "{}");
  expect_corruption("not valid JSON");
  write_text(path_, std::string("\xff\xfe{}", 4));
  expect_corruption("not valid JSON");
}

TEST_F(WalletCorruptionTest, DeeplyNestedJsonIsCorruptionNotACrash) {
  const size_t depth = kMaxWalletFileBytes / 2 - 1;
  write_text(path_, std::string(depth, '[') + std::string(depth, ']'));
  expect_corruption("not a JSON object");
  write_text(path_, "{\"kdf\": " + std::string(depth, '['));
  expect_corruption("not valid JSON");
}

TEST_F(WalletCorruptionTest, OversizeFileIsRefusedBeforeParsing) {
  // Still a valid wallet once the whitespace is ignored: size alone is refused.
  write_text(path_, original_ + std::string(kMaxWalletFileBytes, ' '));
  Error e = load_error();
  EXPECT_EQ(e.code, ErrorCode::kLimitExceeded) << e.to_string();
  EXPECT_NE(e.message.find(path_.string()), std::string::npos);
}

TEST_F(WalletCorruptionTest, MissingFieldIsNamed) {
  for (const std::string field : {"format", "version", "name", "created_at", "sign_public_key",
                                  "box_public_key", "kdf", "nonce", "ciphertext", "checksum"}) {
    SCOPED_TRACE(field);
    json j = original_json();
    j.erase(field);
    write_json(j, false);
    expect_corruption("missing field '" + field + "'");
  }
  for (const std::string field : {"alg", "opslimit", "memlimit", "salt"}) {
    SCOPED_TRACE(field);
    json j = original_json();
    j["kdf"].erase(field);
    write_json(j, false);
    expect_corruption("missing field '" + field + "'");
  }
}

TEST_F(WalletCorruptionTest, IllTypedFieldIsNamed) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"version", [](json& j) { j["version"] = "1"; }},
      {"created_at", [](json& j) { j["created_at"] = -5; }},
      {"created_at", [](json& j) { j["created_at"] = 1.5; }},
      {"name", [](json& j) { j["name"] = 7; }},
      {"kdf", [](json& j) { j["kdf"] = "argon2id13"; }},
      {"opslimit", [](json& j) { j["kdf"]["opslimit"] = "2"; }},
      {"memlimit", [](json& j) { j["kdf"]["memlimit"] = 1e30; }},
      {"nonce", [](json& j) { j["nonce"] = json::array(); }},
      {"checksum", [](json& j) { j["checksum"] = nullptr; }},
  };
  for (const auto& [field, mutate] : cases) {
    SCOPED_TRACE(field);
    json j = original_json();
    mutate(j);
    write_json(j, false);
    expect_corruption("field '" + field + "'");
  }
}

TEST_F(WalletCorruptionTest, BadEncodingsAndLengthsAreNamed) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"sign_public_key",
       [](json& j) {
         j["sign_public_key"] = "zz" + j["sign_public_key"].get<std::string>().substr(2);
       }},
      {"box_public_key",
       [](json& j) { j["box_public_key"] = j["box_public_key"].get<std::string>().substr(2); }},
      {"checksum", [](json& j) { j["checksum"] = j["checksum"].get<std::string>() + "00"; }},
      {"nonce", [](json& j) { j["nonce"] = "!!!!"; }},
      {"nonce", [](json& j) { j["nonce"] = codec::to_base64(crypto::Bytes(23)); }},
      {"salt", [](json& j) { j["kdf"]["salt"] = codec::to_base64(crypto::Bytes(32)); }},
      {"ciphertext", [](json& j) { j["ciphertext"] = codec::to_base64(crypto::Bytes(79)); }},
      {"ciphertext", [](json& j) { j["ciphertext"] = ""; }},
      {"name", [](json& j) { j["name"] = "../etc"; }},
  };
  for (const auto& [field, mutate] : cases) {
    SCOPED_TRACE(field);
    json j = original_json();
    mutate(j);
    write_json(j, false);
    expect_corruption("field '" + field + "'");
  }
}

TEST_F(WalletCorruptionTest, UnknownFormatVersionAlgOrFieldIsCorruption) {
  {
    json j = original_json();
    j["version"] = 2;
    write_json(j, false);
    expect_corruption("unknown version 2");
  }
  {
    json j = original_json();
    j["format"] = "something-else";
    write_json(j, false);
    expect_corruption("field 'format'");
  }
  {
    json j = original_json();
    j["kdf"]["alg"] = "scrypt";
    write_json(j, false);
    expect_corruption("unsupported algorithm");
  }
  {
    json j = original_json();
    j["secret_key"] = "00";
    write_json(j, false);
    expect_corruption("unknown field 'secret_key'");
  }
}

TEST_F(WalletCorruptionTest, DirectoryInPlaceOfTheFileIsCorruption) {
  std::filesystem::remove(path_);
  std::filesystem::create_directory(path_);
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
  expect_corruption("not a regular file");
}

}  // namespace
}  // namespace datadao::wallet
