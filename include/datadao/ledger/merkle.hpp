// RFC 6962 §2.1 Merkle tree hashing (SHA-256) and inclusion proofs.
//
//   leaf hash  = SHA-256(0x00 || data)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")
//   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k = largest power of two < n
//
// Inclusion paths are ordered as in RFC 6962 §2.1.1 (the leaf's sibling first, the sibling of
// the root's child last) and verified with the algorithm of RFC 9162 §2.1.3.2, so proofs
// interoperate with Certificate Transparency tooling.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "datadao/crypto/crypto.hpp"

namespace datadao::ledger {

using crypto::Bytes;
using crypto::ByteView;
using crypto::Hash32;

// Deeper than any tree of 2^64 leaves: a longer path is rejected without hashing.
inline constexpr size_t kMaxMerklePathLength = 64;

Hash32 merkle_leaf_hash(ByteView leaf_data);
Hash32 merkle_node_hash(const Hash32& left, const Hash32& right);
Hash32 merkle_empty_root();

// Root over the leaves' data (each leaf is hashed with merkle_leaf_hash).
Hash32 merkle_root(const std::vector<Bytes>& leaves);
// Root over already-computed leaf hashes.
Hash32 merkle_root_of_hashes(const std::vector<Hash32>& leaf_hashes);

struct InclusionProof {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<Hash32> path;
  bool operator==(const InclusionProof&) const = default;
};

// Audit path for leaves[index]. Programming error (abort) if index >= leaves.size().
InclusionProof prove(const std::vector<Bytes>& leaves, uint64_t index);
InclusionProof prove_from_hashes(const std::vector<Hash32>& leaf_hashes, uint64_t index);

// True only if `leaf_data` is the leaf at proof.leaf_index of a tree of proof.tree_size leaves
// whose root is `root`. Rejects index >= size, and paths that are too short or too long.
bool verify_inclusion(ByteView leaf_data, const InclusionProof& proof, const Hash32& root);
// The same, from the leaf hash.
bool verify_inclusion_hash(const Hash32& leaf_hash, const InclusionProof& proof,
                           const Hash32& root);

}  // namespace datadao::ledger
