#include "datadao/ledger/merkle.hpp"

#include <bit>
#include <cstdlib>
#include <span>

namespace datadao::ledger {

namespace {

// Largest power of two strictly less than n (n >= 2).
uint64_t split_point(uint64_t n) { return std::bit_floor(n - 1); }

Hash32 subtree_root(std::span<const Hash32> hashes) {
  if (hashes.size() == 1) return hashes[0];
  uint64_t k = split_point(hashes.size());
  return merkle_node_hash(subtree_root(hashes.first(k)), subtree_root(hashes.subspan(k)));
}

// RFC 6962 §2.1.1 PATH(m, D[n]), appended deepest-first.
void path_into(std::span<const Hash32> hashes, uint64_t m, std::vector<Hash32>& out) {
  if (hashes.size() <= 1) return;
  uint64_t k = split_point(hashes.size());
  if (m < k) {
    path_into(hashes.first(k), m, out);
    out.push_back(subtree_root(hashes.subspan(k)));
  } else {
    path_into(hashes.subspan(k), m - k, out);
    out.push_back(subtree_root(hashes.first(k)));
  }
}

std::vector<Hash32> leaf_hashes_of(const std::vector<Bytes>& leaves) {
  std::vector<Hash32> hashes;
  hashes.reserve(leaves.size());
  for (const Bytes& leaf : leaves) hashes.push_back(merkle_leaf_hash(crypto::as_bytes(leaf)));
  return hashes;
}

}  // namespace

Hash32 merkle_leaf_hash(ByteView leaf_data) {
  crypto::Sha256 h;
  const uint8_t prefix = 0x00;
  h.update(ByteView(&prefix, 1));
  h.update(leaf_data);
  return h.finish();
}

Hash32 merkle_node_hash(const Hash32& left, const Hash32& right) {
  std::array<uint8_t, 1 + 2 * crypto::kHashBytes> buf;
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 1 + crypto::kHashBytes);
  return crypto::sha256(ByteView(buf.data(), buf.size()));
}

Hash32 merkle_empty_root() { return crypto::sha256(ByteView()); }

Hash32 merkle_root_of_hashes(const std::vector<Hash32>& leaf_hashes) {
  if (leaf_hashes.empty()) return merkle_empty_root();
  return subtree_root(leaf_hashes);
}

Hash32 merkle_root(const std::vector<Bytes>& leaves) {
  return merkle_root_of_hashes(leaf_hashes_of(leaves));
}

InclusionProof prove_from_hashes(const std::vector<Hash32>& leaf_hashes, uint64_t index) {
  if (index >= leaf_hashes.size()) std::abort();  // programming error: no such leaf
  InclusionProof proof;
  proof.leaf_index = index;
  proof.tree_size = leaf_hashes.size();
  path_into(leaf_hashes, index, proof.path);
  return proof;
}

InclusionProof prove(const std::vector<Bytes>& leaves, uint64_t index) {
  return prove_from_hashes(leaf_hashes_of(leaves), index);
}

bool verify_inclusion_hash(const Hash32& leaf_hash, const InclusionProof& proof,
                           const Hash32& root) {
  if (proof.leaf_index >= proof.tree_size) return false;
  if (proof.path.size() > kMaxMerklePathLength) return false;
  // RFC 9162 §2.1.3.2.
  uint64_t fn = proof.leaf_index;
  uint64_t sn = proof.tree_size - 1;
  Hash32 r = leaf_hash;
  for (const Hash32& p : proof.path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && crypto::equal_ct(crypto::as_bytes(r), crypto::as_bytes(root));
}

bool verify_inclusion(ByteView leaf_data, const InclusionProof& proof, const Hash32& root) {
  return verify_inclusion_hash(merkle_leaf_hash(leaf_data), proof, root);
}

}  // namespace datadao::ledger
