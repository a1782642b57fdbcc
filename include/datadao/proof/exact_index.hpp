// Exact duplicates: BLAKE2b-256 content hashes of normalised records, and a set of them.
//
// record_content_hash() hashes a domain tag, the key fields (as given, length-prefixed, in order)
// and the normalised text (normalize.hpp), so "Hello   World!" and "hello world" hash alike while
// two records that differ in a key field (say the source or the timestamp) do not.
//
// ExactIndex maps each content hash to the first record id that had it. It is a plain value:
// const methods may run concurrently; insert() needs exclusive access.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::proof {

using crypto::Hash32;

// Fails like normalize_text() on malformed UTF-8 or oversized text.
Result<Hash32> record_content_hash(std::string_view text,
                                   std::span<const std::string_view> key_fields = {});
// The same for a text that is already normalised (no check, no second normalisation).
Hash32 normalised_content_hash(std::string_view normalised,
                               std::span<const std::string_view> key_fields = {});

class ExactIndex {
 public:
  // Returns false (and keeps the first id) when the hash is already present.
  bool insert(const Hash32& hash, uint64_t record_id);
  // The first record id inserted with `hash`, if any.
  std::optional<uint64_t> find(const Hash32& hash) const;
  size_t size() const { return map_.size(); }

 private:
  struct HashOfHash {
    size_t operator()(const Hash32& h) const {
      size_t v;
      std::memcpy(&v, h.data(), sizeof v);  // already uniform
      return v;
    }
  };
  std::unordered_map<Hash32, uint64_t, HashOfHash> map_;
};

}  // namespace datadao::proof
