#include "datadao/wallet/public_identity.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>

#include "datadao/codec/codec.hpp"

namespace datadao::wallet {
namespace {

using nlohmann::json;

// A wallet built in memory: public identities need no file.
Wallet make_wallet(const std::string& name, uint8_t seed_byte) {
  std::array<uint8_t, 32> seed{};
  seed.fill(seed_byte);
  Wallet w;
  w.name = name;
  w.sign = crypto::SigningKeyPair::from_seed(seed);
  seed[0] ^= 0xff;
  w.box = crypto::BoxKeyPair::from_seed(seed);
  return w;
}

TEST(WalletPublicIdentityTest, JsonRoundTrip) {
  const Wallet w = make_wallet("alice", 1);
  const PublicIdentity id = export_public(w);
  EXPECT_EQ(id.name, "alice");
  EXPECT_EQ(id.account, w.account());
  EXPECT_EQ(id.box_key, w.box.public_key);
  const json j = to_json(id);
  EXPECT_EQ(j["account"], codec::to_hex(w.account()));
  auto back = public_identity_from_json(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->name, id.name);
  EXPECT_EQ(back->account, id.account);
  EXPECT_EQ(back->box_key, id.box_key);
  EXPECT_EQ(back->signature, id.signature);
}

TEST(WalletPublicIdentityTest, ExportHoldsNoSecret) {
  const Wallet w = make_wallet("alice", 2);
  const std::string text = to_json(export_public(w)).dump();
  EXPECT_EQ(text.find(codec::to_hex(w.sign.secret_key.view().first(32))), std::string::npos);
  EXPECT_EQ(text.find(codec::to_hex(w.box.secret_key.view())), std::string::npos);
}

TEST(WalletPublicIdentityTest, BoxKeyOfSomeoneElseIsRejected) {
  // Mallory pairs alice's account with her own box key to receive grants meant for alice.
  const Wallet alice = make_wallet("alice", 3);
  const Wallet mallory = make_wallet("mallory", 4);
  json j = to_json(export_public(alice));
  j["box_public_key"] = codec::to_hex(mallory.box.public_key);
  auto r = public_identity_from_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(r.error().message.find("signature does not verify"), std::string::npos);

  json renamed = to_json(export_public(alice));
  renamed["name"] = "bob";
  EXPECT_EQ(public_identity_from_json(renamed).error().code, ErrorCode::kUnauthenticated);
}

TEST(WalletPublicIdentityTest, MalformedJsonIsRejectedNamingTheField) {
  const json good = to_json(export_public(make_wallet("alice", 5)));
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"account", [](json& j) { j.erase("account"); }},
      {"account", [](json& j) { j["account"] = 42; }},
      {"account", [](json& j) { j["account"] = "abcd"; }},
      {"box_public_key", [](json& j) { j["box_public_key"] = std::string(64, 'g'); }},
      {"signature", [](json& j) { j["signature"] = std::string(64, '0'); }},
      {"name", [](json& j) { j["name"] = "a/b"; }},
      {"name", [](json& j) { j["name"] = nullptr; }},
      {"format", [](json& j) { j["format"] = "datadao-wallet"; }},
      {"version", [](json& j) { j["version"] = 2; }},
      {"version", [](json& j) { j["version"] = "1"; }},
      {"extra", [](json& j) { j["extra"] = true; }},
  };
  for (const auto& [field, mutate] : cases) {
    SCOPED_TRACE(field);
    json j = good;
    mutate(j);
    auto r = public_identity_from_json(j);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("field '" + field + "'"), std::string::npos)
        << r.error().message;
  }
  for (const json& not_object : {json::array(), json("alice"), json(nullptr)}) {
    auto r = public_identity_from_json(not_object);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace datadao::wallet
