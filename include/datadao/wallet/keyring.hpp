// Local keyring: the per-file symmetric keys a wallet owns (stored by `vault put`, read back by
// `file grant` to share a key with a pool), kept at
//   <home>/keyring/<wallet name>/<blob hash hex>.key      (directories 0700, files 0600)
// Each file is exactly one sealed box (crypto::seal_to, 112 bytes) to the wallet's own X25519
// public key, whose plaintext is blob_hash (32) || file_key (32). The hash inside binds the key
// to its blob, so a key file renamed or copied to another blob's name is detected.
//
// Thread-safety: functions may be called concurrently; concurrent puts of one blob leave one
// complete file (atomic rename), never a mix.
#pragma once

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::wallet {

inline constexpr size_t kKeyringEntryBytes =
    crypto::kHashBytes + crypto::kSymmetricKeyBytes + crypto::kSealOverheadBytes;

// Path of the entry for `blob_hash` in `wallet_name`'s keyring (no I/O).
Result<std::filesystem::path> keyring_path(std::string_view wallet_name,
                                           const crypto::Hash32& blob_hash);

// Stores (or replaces) the key for `blob_hash`, atomically, mode 0600. kIoError on failure.
Status keyring_put(const Wallet& wallet, const crypto::Hash32& blob_hash,
                   const crypto::SymmetricKey& file_key);

// kNotFound "wallet 'alice' has no key for blob 3fa2..." when absent; kCorruption naming the
// file if it has the wrong size, does not unseal with this wallet's box key, or holds the key of
// another blob; kPermissionDenied/kIoError when it cannot be read.
Result<crypto::SymmetricKey> keyring_get(const Wallet& wallet, const crypto::Hash32& blob_hash);

}  // namespace datadao::wallet
