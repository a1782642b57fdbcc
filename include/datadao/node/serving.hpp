// Metered inference: the node serves `generate` (text models) and `predict` (tabular models) for
// published models whose weights key the runner sealed to this node's serving key, and only for
// calls that are paid for on the ledger.
//
// One call = one signed UseModel transaction (ledger/transaction.hpp) carrying
//   request_hash = BLAKE2b-256("datadao/use/v1" | model id u64 LE | op str | input str | salt str)
// (str = u32 length + bytes; input = the request's "input" JSON dumped compactly, keys sorted;
// salt = the caller's secret random string, <= kMaxSaltBytes, sent with the request and never
// on the chain), so a payment pays for exactly one request, and someone who copies the public
// UseModel from the chain cannot replay the call without the salt, even for a guessable input. POST
// /v1/models/<id>/use (api_server.hpp):
//   1. checks the request (model published and served here, op and input valid, the tx is a
//      UseModel for this model and this request) BEFORE anything is paid: a bad request costs
//      nothing;
//   2. if that transaction is already in a committed block, the call was paid: it is served
//      again (a retry after a lost answer is never charged twice);
//   3. otherwise submits it and waits until it is in a committed block; a rejected payment
//      (e.g. too few credits) is answered 402 and nothing is served;
//   4. runs the model with a seed taken from the tx id, so a retried call gets the same answer.
// No unpaid call is served (serving starts only after the block commits) and no paid call is
// lost (the paid tx id re-serves its answer for as long as the chain holds it).
//
// The engine that runs models lives above the node (runner/serving.hpp, which links libtorch);
// the node only sees this interface.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ledger/models.hpp"

namespace datadao::node {

inline constexpr std::string_view kUseDomainTag = "datadao/use/v1";
inline constexpr size_t kMaxUseBodyBytes = 96 * 1024;  // whole POST body (tx + request)
inline constexpr size_t kMaxPromptBytes = 2048;
inline constexpr uint32_t kMaxGenerateTokens = 256;
inline constexpr size_t kMaxPredictFeatures = 256;

inline constexpr size_t kMaxSaltBytes = 64;
inline constexpr int kMaxInputDepth = 4;  // "input" nests no deeper (the ops' inputs are flat)

crypto::Hash32 request_hash(uint64_t model_id, std::string_view op, const nlohmann::json& input,
                            std::string_view salt);

class InferenceEngine {
 public:
  virtual ~InferenceEngine() = default;
  // Cheap validation before the caller pays: the op suits the model's kind and the input is
  // well formed and within the limits above. kInvalidArgument naming what is wrong.
  virtual Status check(const ledger::Model& model, const std::string& op,
                       const nlohmann::json& input) = 0;
  // Runs one paid call. Thread-safe.
  virtual Result<nlohmann::json> run(const ledger::Model& model, const std::string& op,
                                     const nlohmann::json& input, uint64_t seed) = 0;
};

}  // namespace datadao::node
