#include "datadao/wallet/keyring.hpp"

#include "datadao/codec/codec.hpp"
#include "datadao/store/file.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::wallet {
namespace {

constexpr size_t kMaxKeyringFileBytes = 4096;

std::string short_hex(const crypto::Hash32& h) { return codec::to_hex(h).substr(0, 16) + "..."; }

}  // namespace

Result<std::filesystem::path> keyring_path(std::string_view wallet_name,
                                           const crypto::Hash32& blob_hash) {
  DD_TRY(validate_wallet_name(wallet_name));
  return datadao_home() / "keyring" / std::string(wallet_name) /
         (codec::to_hex(blob_hash) + ".key");
}

Status keyring_put(const Wallet& wallet, const crypto::Hash32& blob_hash,
                   const crypto::SymmetricKey& file_key) {
  DD_ASSIGN(std::filesystem::path path, keyring_path(wallet.name, blob_hash));
  DD_TRY(ensure_dir(path.parent_path()));
  crypto::SecretBytes plaintext{crypto::Bytes(crypto::kHashBytes + crypto::kSymmetricKeyBytes)};
  std::copy(blob_hash.begin(), blob_hash.end(), plaintext.bytes().begin());
  std::copy(file_key.data(), file_key.data() + file_key.size(),
            plaintext.bytes().begin() + crypto::kHashBytes);
  const crypto::Bytes sealed = crypto::seal_to(wallet.box.public_key, plaintext.view());
  return store::write_file_atomic(
      path, sealed, store::WriteOptions{},
      "keyring of wallet '" + wallet.name + "': key for blob " + short_hex(blob_hash));
}

Result<crypto::SymmetricKey> keyring_get(const Wallet& wallet, const crypto::Hash32& blob_hash) {
  DD_ASSIGN(std::filesystem::path path, keyring_path(wallet.name, blob_hash));
  const std::string label = "keyring file " + path.string();
  auto contents = store::read_file_limited(path, kMaxKeyringFileBytes, label);
  if (!contents.ok()) {
    if (contents.error().code == ErrorCode::kNotFound) {
      return make_error(ErrorCode::kNotFound, "wallet '" + wallet.name + "' has no key for blob " +
                                                  codec::to_hex(blob_hash));
    }
    if (contents.error().code == ErrorCode::kLimitExceeded) {
      return make_error(ErrorCode::kCorruption, contents.error().message);
    }
    return contents.error();
  }
  if (contents->bytes.size() != kKeyringEntryBytes) {
    return make_error(ErrorCode::kCorruption,
                      label + ": expected " + std::to_string(kKeyringEntryBytes) + " bytes, got " +
                          std::to_string(contents->bytes.size()));
  }
  auto plaintext = crypto::unseal(wallet.box, contents->bytes);
  if (!plaintext.ok()) {
    return make_error(ErrorCode::kCorruption,
                      label + ": does not unseal with the box key of wallet '" + wallet.name +
                          "' (damaged, or sealed to another wallet)");
  }
  if (plaintext->size() != crypto::kHashBytes + crypto::kSymmetricKeyBytes ||
      !crypto::equal_ct(plaintext->view().first(crypto::kHashBytes), blob_hash)) {
    return make_error(ErrorCode::kCorruption, label + ": holds the key of another blob");
  }
  crypto::SymmetricKey key;
  std::copy(plaintext->bytes().begin() + crypto::kHashBytes, plaintext->bytes().end(), key.data());
  return key;
}

}  // namespace datadao::wallet
