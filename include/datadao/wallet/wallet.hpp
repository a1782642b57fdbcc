// Wallets: an Ed25519 signing key (the account) and an X25519 key for sealed boxes, stored in a
// file encrypted under a passphrase (Argon2id + XChaCha20-Poly1305).
//
// File format, version 1 (JSON object, exactly these keys, no others):
//   {
//     "format": "datadao-wallet",
//     "version": 1,
//     "name": "alice",                       // [A-Za-z0-9_-]{1,64}
//     "created_at": 1717000000,              // unix seconds, unsigned integer
//     "sign_public_key": "<64 hex>",         // Ed25519 public key = the account id
//     "box_public_key": "<64 hex>",          // X25519 public key for sealed boxes
//     "kdf": {"alg": "argon2id13", "opslimit": N, "memlimit": N, "salt": "<base64, 16 bytes>"},
//     "nonce": "<base64, 24 bytes>",
//     "ciphertext": "<base64, 80 bytes>",    // XChaCha20-Poly1305(plaintext) || 16-byte tag
//     "checksum": "<64 hex>"
//   }
// plaintext = Ed25519 seed (32) || X25519 seed (32); key pairs are derived with from_seed.
// AEAD key = Argon2id(passphrase, salt, opslimit, memlimit).
// AEAD associated data = canonical codec encoding of
//   str "datadao-wallet-ad" | str format | u32 version | str name | u64 created_at |
//   str alg | u64 opslimit | u64 memlimit | fixed salt
// so that renaming the wallet, changing its date or its KDF parameters in the file makes
// decryption fail. The public keys are NOT in the associated data: after decryption the key pairs
// are re-derived from the seeds and must equal the stored public keys, so a swapped public key is
// reported as corruption ("sign_public_key does not match the encrypted key") instead of being
// indistinguishable from a wrong passphrase. (Both ways a swapped key is never used.)
// checksum = BLAKE2b-256 of the canonical encoding of every other field:
//   str "datadao-wallet-checksum" | str format | u32 version | str name | u64 created_at |
//   fixed sign_public_key | fixed box_public_key | str alg | u64 opslimit | u64 memlimit |
//   fixed salt | fixed nonce | bytes ciphertext
// It is not a security measure (anyone can recompute it); it separates accidental damage
// (kCorruption) from a wrong passphrase (kUnauthenticated).
//
// Thread-safety: Wallet is a plain value. create_wallet/load_wallet may run concurrently; two
// concurrent create_wallet calls for one name yield exactly one kAlreadyExists.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::wallet {

// An account is identified by its Ed25519 public key.
using AccountId = crypto::PublicKey;

inline constexpr std::string_view kWalletFormat = "datadao-wallet";
inline constexpr uint32_t kWalletVersion = 1;
inline constexpr std::string_view kKdfAlg = "argon2id13";
// Wallet files are a few hundred bytes; anything larger is refused before parsing.
inline constexpr size_t kMaxWalletFileBytes = 64 * 1024;
// Passphrases are counted in UTF-8 code points (bytes that are not continuation bytes).
inline constexpr size_t kMinPassphraseChars = 8;
inline constexpr size_t kMaxPassphraseBytes = 1024;
// Bounds accepted for KDF parameters read from a file (a tampered file must not make us spend
// unbounded memory or time). create_wallet additionally requires at least interactive().
inline constexpr uint64_t kMaxKdfOpslimit = 64;
inline constexpr uint64_t kMaxKdfMemlimit = uint64_t{1} << 30;  // 1 GiB

struct Wallet {
  std::string name;
  crypto::SigningKeyPair sign;
  crypto::BoxKeyPair box;
  uint64_t created_at = 0;  // unix seconds

  AccountId account() const { return sign.public_key; }
};

// Generates a new wallet and writes it to wallet_path(name), creating <home>/wallets (0700).
// The file is written atomically: a temp file in the same directory (O_EXCL, mode 0600), fsync,
// link into place (fails if the name exists), fsync of the directory.
// Errors: kInvalidArgument (bad name; empty passphrase; passphrase shorter than 8 characters or
// longer than 1024 bytes; KDF params weaker than interactive() or out of bounds),
// kAlreadyExists (a wallet of that name exists; it is never overwritten), kIoError.
Result<Wallet> create_wallet(std::string_view name, std::string_view passphrase,
                             const crypto::KdfParams& params = crypto::KdfParams::moderate());

// Loads and decrypts a wallet. `name_or_path` is a wallet name if it matches the name rule
// (then the file is wallet_path(name) and must hold a wallet of that name), otherwise a path to
// a wallet file (write ./alice to mean a file called "alice" in the current directory).
// Errors (every message names the file):
//   kNotFound          no such wallet / file
//   kLimitExceeded     file larger than kMaxWalletFileBytes
//   kPermissionDenied  the file is readable or writable by group or others (like ssh, we refuse:
//                      fix with chmod 600), or cannot be opened for lack of permission
//   kCorruption        not a regular file, invalid JSON, missing/ill-typed/unknown fields, bad
//                      hex/base64, wrong lengths, unknown format/version, checksum mismatch, KDF
//                      params out of bounds, decrypted keys not matching the public keys, a file
//                      holding a different wallet name than requested
//   kUnauthenticated   checksum fine but decryption fails: "wrong passphrase for wallet 'alice'"
//                      (also what a deliberately edited name/date/KDF params with a recomputed
//                      checksum looks like)
//   kIoError           read failure
Result<Wallet> load_wallet(std::string_view name_or_path, std::string_view passphrase);

// The public half of a wallet file, read without the passphrase (for `wallet show` and for
// naming local wallets as recipients). The file's checksum and structure are verified exactly
// as load_wallet does; the keys are not decrypted, so nothing here proves possession.
struct WalletInfo {
  std::string name;
  AccountId account{};
  crypto::PublicKey box_key{};
  uint64_t created_at = 0;
};
Result<WalletInfo> read_wallet_info(std::string_view name_or_path);

// The path load_wallet would read for `name_or_path` (see above).
Result<std::filesystem::path> resolve_wallet_path(std::string_view name_or_path);

// Checks a new passphrase against the creation policy (non-empty, >= 8 characters,
// <= 1024 bytes). The error never contains the passphrase.
Status check_new_passphrase(std::string_view passphrase);

}  // namespace datadao::wallet
