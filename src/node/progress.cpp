#include "datadao/node/progress.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "datadao/codec/codec.hpp"

namespace datadao::node {

using nlohmann::json;

namespace {

Result<uint64_t> u64_field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number_unsigned()) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("progress: \"") + name + "\" must be a non-negative integer");
  }
  return it->get<uint64_t>();
}

Result<double> number_field(const json& body, const char* name, bool allow_negative) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number()) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("progress: \"") + name + "\" must be a number");
  }
  const double v = it->get<double>();
  if (!std::isfinite(v) || (!allow_negative && v < 0)) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("progress: \"") + name + "\" must be a finite" +
                          (allow_negative ? "" : ", non-negative") + " number");
  }
  return v;
}

bool is_phase(const std::string& s) {
  if (s.empty() || s.size() > kMaxProgressPhaseBytes) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace

json progress_body(const ModelProgress& p) {
  return {{"step", p.step},
          {"total_steps", p.total_steps},
          {"loss", p.loss},
          {"epsilon", p.epsilon},
          {"eta_seconds", p.eta_seconds},
          {"phase", p.phase},
          {"runner", codec::to_hex(p.runner)}};
}

crypto::Bytes progress_signing_bytes(uint64_t model_id, const json& body) {
  json unsigned_body = body;
  if (unsigned_body.is_object()) unsigned_body.erase("signature");
  codec::Writer w;
  w.fixed(crypto::as_bytes(kProgressDomainTag));
  w.u64(model_id);
  w.fixed(crypto::as_bytes(unsigned_body.dump()));
  return w.take();
}

json sign_progress(uint64_t model_id, const ModelProgress& p, const crypto::SigningKeyPair& key) {
  json body = progress_body(p);
  const crypto::Bytes msg = progress_signing_bytes(model_id, body);
  body["signature"] = codec::to_hex(crypto::sign(key, crypto::as_bytes(msg)));
  return body;
}

Result<ModelProgress> verify_progress(uint64_t model_id, const json& body) {
  if (!body.is_object()) {
    return make_error(ErrorCode::kInvalidArgument, "progress: the body must be a JSON object");
  }
  static const char* const kFields[] = {"step",        "total_steps", "loss",   "epsilon",
                                        "eta_seconds", "phase",       "runner", "signature"};
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields)) {
      return make_error(ErrorCode::kInvalidArgument, "progress: unknown field \"" + key + "\"");
    }
  }
  ModelProgress p;
  DD_ASSIGN(p.step, u64_field(body, "step"));
  DD_ASSIGN(p.total_steps, u64_field(body, "total_steps"));
  if (p.step > p.total_steps) {
    return make_error(ErrorCode::kInvalidArgument, "progress: step " + std::to_string(p.step) +
                                                       " is past total_steps " +
                                                       std::to_string(p.total_steps));
  }
  DD_ASSIGN(p.loss, number_field(body, "loss", /*allow_negative=*/true));
  DD_ASSIGN(p.epsilon, number_field(body, "epsilon", false));
  DD_ASSIGN(p.eta_seconds, number_field(body, "eta_seconds", false));
  const auto phase = body.find("phase");
  if (phase == body.end() || !phase->is_string() || !is_phase(phase->get<std::string>())) {
    return make_error(ErrorCode::kInvalidArgument,
                      "progress: \"phase\" must be 1..32 of a-z and _");
  }
  p.phase = phase->get<std::string>();
  const auto runner = body.find("runner");
  const auto signature = body.find("signature");
  if (runner == body.end() || !runner->is_string() || signature == body.end() ||
      !signature->is_string()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "progress: \"runner\" and \"signature\" must be hex strings");
  }
  DD_ASSIGN(p.runner, codec::from_hex_fixed<crypto::kSignPublicKeyBytes>(runner->get<std::string>(),
                                                                         "progress runner"));
  DD_ASSIGN(crypto::Signature sig, codec::from_hex_fixed<crypto::kSignatureBytes>(
                                       signature->get<std::string>(), "progress signature"));
  const crypto::Bytes msg = progress_signing_bytes(model_id, body);
  if (!crypto::verify(p.runner, crypto::as_bytes(msg), sig)) {
    return make_error(ErrorCode::kUnauthenticated, "progress for model " +
                                                       std::to_string(model_id) +
                                                       ": signature does not verify for runner " +
                                                       runner->get<std::string>().substr(0, 16));
  }
  return p;
}

}  // namespace datadao::node
