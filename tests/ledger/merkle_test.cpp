#include "datadao/ledger/merkle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datadao/codec/codec.hpp"

namespace datadao::ledger {
namespace {

Hash32 h(std::string_view hex) { return *codec::from_hex_fixed<32>(hex, "test vector"); }
Bytes b(std::string_view hex) { return *codec::from_hex(hex, "test vector"); }

// Reference vectors from Certificate Transparency, as published in
// transparency-dev/merkle proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472;
// the same values are in google/certificate-transparency's merkle_tree_test.cc).
std::vector<Bytes> reference_leaves() {
  return {b(""),
          b("00"),
          b("10"),
          b("2021"),
          b("3031"),
          b("40414243"),
          b("5051525354555657"),
          b("606162636465666768696a6b6c6d6e6f")};
}
const char* const kReferenceRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // empty tree
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
struct ReferenceProof {
  uint64_t index;  // 0-based (the Go source lists 1-based leaf numbers)
  uint64_t size;
  std::vector<const char*> path;
};
const std::vector<ReferenceProof> kReferenceProofs = {
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0, 1, {}},
};

// Brute force straight from the RFC 6962 definition, sharing no code with merkle.cpp.
Hash32 naive_root(const std::vector<Bytes>& d, size_t lo, size_t hi) {
  if (hi - lo == 0) return crypto::sha256(ByteView());
  if (hi - lo == 1) {
    Bytes buf{0x00};
    buf.insert(buf.end(), d[lo].begin(), d[lo].end());
    return crypto::sha256(buf);
  }
  size_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  Hash32 l = naive_root(d, lo, lo + k);
  Hash32 r = naive_root(d, lo + k, hi);
  Bytes buf{0x01};
  buf.insert(buf.end(), l.begin(), l.end());
  buf.insert(buf.end(), r.begin(), r.end());
  return crypto::sha256(buf);
}

std::vector<Bytes> numbered_leaves(size_t n) {
  std::vector<Bytes> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(Bytes{uint8_t(i), uint8_t(i * 7), 0x42});
  return leaves;
}

TEST(MerkleTest, RootsMatchCertificateTransparencyVectors) {
  auto leaves = reference_leaves();
  for (size_t n = 0; n <= leaves.size(); ++n) {
    std::vector<Bytes> prefix(leaves.begin(), leaves.begin() + n);
    EXPECT_EQ(codec::to_hex(merkle_root(prefix)), kReferenceRoots[n]) << "tree size " << n;
  }
}

TEST(MerkleTest, EmptyTreeRootIsSha256OfEmptyString) {
  EXPECT_EQ(merkle_root({}), crypto::sha256(ByteView()));
  EXPECT_EQ(merkle_empty_root(), h(kReferenceRoots[0]));
}

TEST(MerkleTest, InclusionProofsMatchCertificateTransparencyVectors) {
  auto leaves = reference_leaves();
  for (const auto& v : kReferenceProofs) {
    std::vector<Bytes> tree(leaves.begin(), leaves.begin() + v.size);
    InclusionProof proof = prove(tree, v.index);
    ASSERT_EQ(proof.path.size(), v.path.size()) << v.index << "/" << v.size;
    for (size_t i = 0; i < v.path.size(); ++i) EXPECT_EQ(codec::to_hex(proof.path[i]), v.path[i]);
    EXPECT_TRUE(verify_inclusion(leaves[v.index], proof, h(kReferenceRoots[v.size])));
  }
}

TEST(MerkleTest, RootEqualsBruteForceForEverySizeUpTo64) {
  for (size_t n = 0; n <= 64; ++n) {
    auto leaves = numbered_leaves(n);
    EXPECT_EQ(merkle_root(leaves), naive_root(leaves, 0, n)) << "tree size " << n;
  }
}

TEST(MerkleTest, EveryLeafProofVerifiesForEverySizeUpTo64) {
  for (size_t n = 1; n <= 64; ++n) {
    auto leaves = numbered_leaves(n);
    Hash32 root = naive_root(leaves, 0, n);
    for (size_t i = 0; i < n; ++i) {
      InclusionProof proof = prove(leaves, i);
      ASSERT_TRUE(verify_inclusion(leaves[i], proof, root)) << "leaf " << i << " of " << n;
    }
  }
}

TEST(MerkleTest, TamperedProofsNeverVerify) {
  for (size_t n = 1; n <= 33; ++n) {
    auto leaves = numbered_leaves(n);
    Hash32 root = merkle_root(leaves);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof good = prove(leaves, i);
      std::vector<InclusionProof> bad;
      for (uint64_t idx : {i - 1, i + 1, i ^ 2}) {
        if (idx == i) continue;
        InclusionProof p = good;
        p.leaf_index = idx;
        bad.push_back(p);
      }
      // Only sizes that change the tree's shape: a size with the same path shape (e.g. 33 vs
      // 34 for leaf 31) describes the same commitment; verify_tx_proof binds the size to the
      // header's tx_count for that reason.
      for (uint64_t size : {uint64_t(n) * 2, uint64_t(n) / 2}) {
        InclusionProof p = good;
        p.tree_size = size;
        bad.push_back(p);
      }
      for (size_t k = 0; k < good.path.size(); ++k) {
        InclusionProof p = good;
        p.path[k][0] ^= 8;
        bad.push_back(p);
        InclusionProof q = good;
        q.path.erase(q.path.begin() + k);
        bad.push_back(q);
      }
      InclusionProof extended = good;
      extended.path.push_back(root);
      bad.push_back(extended);
      InclusionProof prepended = good;
      prepended.path.insert(prepended.path.begin(), Hash32{});
      bad.push_back(prepended);

      for (const auto& p : bad) {
        EXPECT_FALSE(verify_inclusion(leaves[i], p, root))
            << "leaf " << i << " of " << n << " verified with index " << p.leaf_index << " size "
            << p.tree_size << " path length " << p.path.size();
      }
      Bytes wrong_leaf = leaves[i];
      wrong_leaf.push_back(0);
      EXPECT_FALSE(verify_inclusion(wrong_leaf, good, root));
      Hash32 wrong_root = root;
      wrong_root[31] ^= 1;
      EXPECT_FALSE(verify_inclusion(leaves[i], good, wrong_root));
    }
  }
}

TEST(MerkleTest, LeafCannotBePassedOffAsInteriorNode) {
  // Domain separation: an interior node's children, concatenated, are not a leaf of the tree.
  auto leaves = numbered_leaves(2);
  Hash32 l = merkle_leaf_hash(leaves[0]);
  Hash32 r = merkle_leaf_hash(leaves[1]);
  Bytes fake(l.begin(), l.end());
  fake.insert(fake.end(), r.begin(), r.end());
  EXPECT_NE(merkle_root({fake}), merkle_root(leaves));
}

TEST(MerkleTest, IndexBeyondSizeAndOverlongPathAreRejected) {
  auto leaves = numbered_leaves(4);
  Hash32 root = merkle_root(leaves);
  InclusionProof p = prove(leaves, 3);
  p.leaf_index = 4;
  EXPECT_FALSE(verify_inclusion(leaves[3], p, root));
  InclusionProof empty{0, 0, {}};
  EXPECT_FALSE(verify_inclusion(Bytes{}, empty, merkle_empty_root()));
  InclusionProof huge{0, UINT64_MAX, std::vector<Hash32>(kMaxMerklePathLength + 1)};
  EXPECT_FALSE(verify_inclusion(leaves[0], huge, root));
}

}  // namespace
}  // namespace datadao::ledger
