// The public half of a wallet, for sharing (`datadao wallet export-public`): the account
// (Ed25519 public key) and the X25519 box key that others seal file keys to, bound together by
// a signature of the account key so that nobody can pair someone's account with their own box
// key (which would redirect grants meant for that account).
//
// JSON form:
//   {"format": "datadao-public-identity", "version": 1, "name": "alice",
//    "account": "<64 hex>", "box_public_key": "<64 hex>", "signature": "<128 hex>"}
// signature = Ed25519(account key) over the canonical encoding
//   str "datadao-public-identity" | u32 1 | str name | fixed account | fixed box_public_key
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::wallet {

struct PublicIdentity {
  std::string name;
  AccountId account{};
  crypto::PublicKey box_key{};
  crypto::Signature signature{};  // by `account` over (name, account, box_key)
};

// The signed public identity of a wallet.
PublicIdentity export_public(const Wallet& wallet);

// The bytes that `signature` covers.
crypto::Bytes public_identity_signed_bytes(const PublicIdentity& identity);

nlohmann::json to_json(const PublicIdentity& identity);

// Parses and verifies. kInvalidArgument naming the field for a non-object, missing, ill-typed or
// unknown field, bad hex, wrong length, unknown format/version or invalid name;
// kUnauthenticated if the signature does not verify under `account`.
Result<PublicIdentity> public_identity_from_json(const nlohmann::json& json);

// Reads (at most 64 KiB), parses and verifies a public identity file; errors name the file.
Result<PublicIdentity> read_public_identity_file(const std::filesystem::path& path);

}  // namespace datadao::wallet
