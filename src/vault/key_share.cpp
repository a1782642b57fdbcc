#include <cstring>

#include "datadao/vault/vault.hpp"

namespace datadao::vault {

Bytes share_key(const crypto::SymmetricKey& file_key, const crypto::PublicKey& recipient_box_pk) {
  return crypto::seal_to(recipient_box_pk, file_key.view());
}

Result<crypto::SymmetricKey> receive_key(const crypto::BoxKeyPair& recipient, ByteView sealed) {
  if (sealed.size() != kSharedKeyBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      "sealed file key: expected " + std::to_string(kSharedKeyBytes) +
                          " bytes, got " + std::to_string(sealed.size()));
  }
  auto opened = crypto::unseal(recipient, sealed);
  if (!opened.ok()) return opened.error().with_context("sealed file key");
  if (opened->size() != crypto::kSymmetricKeyBytes) {
    return make_error(ErrorCode::kInvalidArgument, "sealed file key: wrong plaintext length");
  }
  crypto::SymmetricKey key;
  std::memcpy(key.data(), opened->bytes().data(), key.size());
  return key;
}

}  // namespace datadao::vault
