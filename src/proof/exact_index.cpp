#include "datadao/proof/exact_index.hpp"

#include "datadao/codec/codec.hpp"
#include "datadao/proof/normalize.hpp"

namespace datadao::proof {

Hash32 normalised_content_hash(std::string_view normalised,
                               std::span<const std::string_view> key_fields) {
  codec::Writer w(64 + normalised.size());
  w.bytes(crypto::as_bytes(std::string_view("datadao/proof/record-content/v1")));
  w.u32(static_cast<uint32_t>(key_fields.size()));
  for (std::string_view f : key_fields) w.bytes(crypto::as_bytes(f));
  w.bytes(crypto::as_bytes(normalised));
  return crypto::blake2b256(crypto::as_bytes(w.data()));
}

Result<Hash32> record_content_hash(std::string_view text,
                                   std::span<const std::string_view> key_fields) {
  auto normalised = normalize_text(text);
  if (!normalised.ok()) return normalised.error();
  return normalised_content_hash(*normalised, key_fields);
}

bool ExactIndex::insert(const Hash32& hash, uint64_t record_id) {
  return map_.emplace(hash, record_id).second;
}

std::optional<uint64_t> ExactIndex::find(const Hash32& hash) const {
  auto it = map_.find(hash);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

}  // namespace datadao::proof
