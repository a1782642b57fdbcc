// The inference engine a node runs for metered calls (node/serving.hpp): opens a published
// model's weights with the node's serving key (Model::server_sealed_key), loads them once
// (a small cache of recently used models) and runs `generate` for text models and `predict` for
// tabular ones. Links libtorch through src/ml; the node itself does not.
//
// Ops and inputs:
//   generate  {"prompt": string <= kMaxPromptBytes, "tokens": 1..kMaxGenerateTokens (default 32),
//              "temperature": [0.05, 5] (default 0.8)}       -> {"text": "..."}
//   predict   {"features": [numbers within float range], exactly as many as the model's
//              features (checked before payment)} -> {"prediction": y}
#pragma once

#include <memory>

#include "datadao/crypto/crypto.hpp"
#include "datadao/node/serving.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::runner {

// `blobs` must outlive the engine (the node's blob store).
std::shared_ptr<node::InferenceEngine> make_inference_engine(const crypto::BoxKeyPair& serving_key,
                                                             vault::Backend& blobs);

}  // namespace datadao::runner
