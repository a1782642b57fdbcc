// Training progress that a pool runner reports to the node while it trains a model
// (POST /v1/models/<id>/progress), signed so that only the model's runner can report it.
//
// Body (JSON object, at most kMaxProgressBodyBytes):
//   {"step": u64, "total_steps": u64, "loss": number, "epsilon": number (ε spent, 0 without DP),
//    "eta_seconds": number, "phase": "[a-z_]{1,32}", "runner": hex Ed25519 key,
//    "signature": hex Ed25519 signature}
// signed bytes = "datadao/progress/v1" | model id (u64 little-endian) | the body without
//                "signature", dumped compactly by nlohmann::json (keys sorted, no spaces).
// Both sides build those bytes with progress_signing_bytes(), so they agree by construction.
// Progress is advisory: it lives in the node's memory only (latest report per model) and never
// reaches the ledger. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"

namespace datadao::node {

inline constexpr std::string_view kProgressDomainTag = "datadao/progress/v1";
inline constexpr size_t kMaxProgressBodyBytes = 4096;
inline constexpr size_t kMaxProgressPhaseBytes = 32;

struct ModelProgress {
  uint64_t step = 0;
  uint64_t total_steps = 0;
  double loss = 0;
  double epsilon = 0;
  double eta_seconds = 0;
  std::string phase;  // "training", "evaluating", ...
  crypto::PublicKey runner{};
  uint64_t received_at = 0;  // unix seconds, set by the node on receipt (not signed)
};

// The body fields of `p` (without "signature" and without received_at).
nlohmann::json progress_body(const ModelProgress& p);
// The bytes the runner signs for a body (any "signature" member is left out).
crypto::Bytes progress_signing_bytes(uint64_t model_id, const nlohmann::json& body);
// progress_body(p) plus the runner's signature. `key` must be p.runner's key pair.
nlohmann::json sign_progress(uint64_t model_id, const ModelProgress& p,
                             const crypto::SigningKeyPair& key);
// Parses and checks a posted body: exactly the fields above with their types and ranges
// (step <= total_steps, finite non-negative numbers except loss which must only be finite),
// and a signature by "runner" over progress_signing_bytes. kInvalidArgument for a malformed
// body, kUnauthenticated for a signature that does not verify. Does NOT check that the runner
// may report for this model (Node::report_model_progress does).
Result<ModelProgress> verify_progress(uint64_t model_id, const nlohmann::json& body);

}  // namespace datadao::node
