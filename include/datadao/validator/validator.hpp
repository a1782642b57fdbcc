// The pool validator: the process that runs proof of contribution for one pool (a data DAO).
//
// For each pending contribution of its pool, in id order, a round (run_once):
//   1. opens the file key and the claimed handle, both sealed to the pool's box key;
//   2. downloads the export blob from the vault and decrypts it (at most max_export_bytes);
//   3. evaluates it (proof::evaluate_contribution: authenticity, ownership, refinement with PII
//      removed, quality, uniqueness against everything the pool already holds);
//   4. if records are accepted, seals the refined records under a fresh key into the vault and
//      shares that key with the pool's box key;
//   5. submits an Attest transaction and waits for its block, then reads the contribution back:
//      only if the ledger recorded points > 0 (it records owned = false when another wallet
//      already holds the handle) do the accepted records join the pool index.
//
// Outcomes per contribution:
//   attested  scores recorded on the ledger (possibly authentic = false: an unreadable key or
//             claim "file key/claim not sealed to this pool", a key that does not open the blob,
//             an export over the size limit, an archive that is not a genuine export);
//   deferred  left pending for the next round: the blob is missing from the vault, the vault or
//             the node failed (I/O), or the node rejected the attestation. Never a crash and
//             never an attestation made on data that could not be read because of an outage.
// run_once itself fails only when the pool's contribution list cannot be read (node down).
//
// Keys and secrets. open() refuses (kPermissionDenied) a wallet that is not the pool's validator
// or whose box key is not the pool's box key. DECISION: the pool's box key is its validator
// wallet's box key, so the wallet alone can run the pool. The pool secret (keyed pseudonyms,
// handle tags) is keyed BLAKE2b-256 of ("datadao pool secret v1" || pool id, u64 little-endian)
// under a key derived from the wallet's box secret key: stable across restarts, different per
// pool, unknown to anyone without the wallet. Nothing here logs or prints a key, a secret, a
// handle or record text; notes carry counts and reasons only (and are passed through the
// scrubber and cut to 512 bytes).
//
// DECISION (exports without an account identity): Oura exports carry no username, so the
// ownership check cannot bind them to anyone. The validator accepts them on the strength of the
// wallet that registered and contributed the file (EvaluateOptions::accept_without_identity) and
// attests owned = true with a handle tag derived from the contributor's account instead of a
// handle, so they earn points; uniqueness still stops a re-upload by anyone. Every other source
// needs the export's identity to match the claimed handle.
//
// Restarts: open() rebuilds the proof index from the ledger and the vault: every attested
// contribution of the pool with points > 0 has its refined blob fetched, decrypted with the pool
// key and added (proof::add_refined_to_index), so a duplicate of something attested before the
// restart is still caught.
//
// Thread-safety: a Validator is not thread-safe; use it from one thread at a time (it may move
// between threads). The Backend must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/ingest/zip_reader.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::validator {

// Hard limit on one decrypted export held in memory by the validator.
inline constexpr uint64_t kMaxExportBytes = 256ull << 20;
// Hard limit on one refined blob read back (index rebuild).
inline constexpr uint64_t kMaxRefinedBytes = 256ull << 20;

// The importers' limits for a validator: one export is evaluated in memory (every refined
// record is held until the attestation), so the decompressed total is capped at 256 MiB
// (about 560k Reddit records, ~1-2 GiB of working memory) instead of the importer's 4 GiB.
// An export over it is attested not authentic with the limit as the reason, so it cannot stall
// the pool by crashing the validator on every restart.
inline ingest::Limits default_validator_limits() {
  ingest::Limits l;
  l.max_total_bytes = 256ull << 20;
  l.max_entry_bytes = 256ull << 20;
  return l;
}

// Sources whose exports name no account (Oura): ownership rests on the contributing wallet and
// the sealed claim is not read. The CLI and the validator both ask this.
inline bool source_names_no_account(ingest::Source source) {
  return source == ingest::Source::kOura;
}

// The largest vault blob that can hold `max_plaintext` bytes (chunk overhead and header, with
// room to spare): what the validator and the CLI's pre-check are willing to download.
inline uint64_t max_ciphertext_for(uint64_t max_plaintext) {
  return max_plaintext + max_plaintext / 8 + (1u << 20);
}

struct ValidatorOptions {
  ingest::Limits limits = default_validator_limits();  // applied by the importers
  uint64_t max_export_bytes = kMaxExportBytes;
  double min_jaccard = 0.8;  // near-duplicate threshold (see proof::EvaluateOptions)
  uint32_t page_size = 100;  // contributions per API page (1..1000)
  // The validator's clock in Unix seconds; empty = the wall clock. Tests may pin it.
  std::function<int64_t()> clock;
};

// One contribution attested in a round, as the ledger recorded it.
struct AttestedContribution {
  uint64_t id = 0;
  std::string contributor;  // account, lowercase hex
  bool authentic = false;
  bool owned = false;
  bool handle_conflict = false;
  uint64_t records_total = 0;
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
  uint64_t low_quality = 0;
  uint64_t accepted = 0;
  uint64_t points = 0;
  uint64_t tokens = 0;
  std::string note;
};

// One contribution left pending, and why (the message names no secret and no PII).
struct DeferredContribution {
  uint64_t id = 0;
  Error error;
};

struct RoundReport {
  std::vector<AttestedContribution> attested;
  std::vector<DeferredContribution> deferred;
  // Set when the round stopped early because the node or the vault became unreachable; the
  // contributions not reached stay pending for the next round.
  std::optional<Error> stopped;
};

class Validator {
 public:
  // Fetches the pool (id or name) from the node at `node_url`, checks the wallet holds the
  // pool's validator and box keys, derives the pool secret and rebuilds the index. Errors:
  // kPermissionDenied (wrong wallet), kNotFound (no such pool), kIoError (node or vault
  // unreachable), kCorruption (a stored refined blob does not open or parse).
  static Result<std::unique_ptr<Validator>> open(const wallet::Wallet& wallet,
                                                 const std::string& node_url,
                                                 const std::string& pool, vault::Backend& backend,
                                                 ValidatorOptions options = {});
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Validates every contribution pending now (see the header comment).
  Result<RoundReport> run_once();

  uint64_t pool_id() const;
  const std::string& pool_name() const;
  // Records in the proof index (rebuilt plus attested since open).
  uint64_t indexed_records() const;

 private:
  struct Impl;
  explicit Validator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The pool secret for `pool_id` under this wallet's box key (see the header comment).
crypto::SymmetricKey pool_secret(const crypto::BoxKeyPair& box, uint64_t pool_id);

}  // namespace datadao::validator
