#include "datadao/runner/serving.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <variant>

#include "datadao/ml/regressor.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::runner {

namespace {

using nlohmann::json;

Error bad(const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); }

bool is_text(const ledger::Model& m) { return m.kind == "text"; }

constexpr size_t kCachedModels = 8;
constexpr double kMinTemperature = 0.05;  // lower ones overflow the logits' scaling

class Engine final : public node::InferenceEngine {
 public:
  Engine(const crypto::BoxKeyPair& key, vault::Backend& blobs) : key_(key), blobs_(blobs) {}

  Status check(const ledger::Model& model, const std::string& op, const json& input) override {
    const std::string what = "model " + std::to_string(model.id);
    if (op == "generate") {
      if (!is_text(model)) {
        return bad(what + " is a '" + model.kind + "' model: use predict, not generate");
      }
      for (const auto& [k, v] : input.items()) {
        if (k != "prompt" && k != "tokens" && k != "temperature") {
          return bad("generate input: unknown field '" + k + "'");
        }
      }
      if (input.contains("prompt") &&
          (!input["prompt"].is_string() ||
           input["prompt"].get_ref<const std::string&>().size() > node::kMaxPromptBytes)) {
        return bad("generate input: prompt must be a string of at most " +
                   std::to_string(node::kMaxPromptBytes) + " bytes");
      }
      if (input.contains("tokens") &&
          (!input["tokens"].is_number_unsigned() || input["tokens"].get<uint64_t>() == 0 ||
           input["tokens"].get<uint64_t>() > node::kMaxGenerateTokens)) {
        return bad("generate input: tokens must be 1.." + std::to_string(node::kMaxGenerateTokens));
      }
      if (input.contains("temperature")) {
        const json& t = input["temperature"];
        if (!t.is_number() || !(t.get<double>() >= kMinTemperature && t.get<double>() <= 5)) {
          return bad("generate input: temperature must be a number in [0.05, 5]");
        }
      }
      return Status::Ok();
    }
    if (op == "predict") {
      if (is_text(model)) return bad(what + " is a text model: use generate, not predict");
      for (const auto& [k, v] : input.items()) {
        if (k != "features") return bad("predict input: unknown field '" + k + "'");
      }
      if (!input.contains("features") || !input["features"].is_array() ||
          input["features"].empty() || input["features"].size() > node::kMaxPredictFeatures) {
        return bad("predict input: features must be an array of 1.." +
                   std::to_string(node::kMaxPredictFeatures) + " numbers");
      }
      for (const json& f : input["features"]) {
        // Read as float by the model: anything beyond float's range would become infinite.
        if (!f.is_number() || !std::isfinite(f.get<double>()) ||
            std::fabs(f.get<double>()) > std::numeric_limits<float>::max()) {
          return bad("predict input: every feature must be a finite number within float range");
        }
      }
      // The width must match the model's, or the paid call could not be answered.
      DD_ASSIGN(std::shared_ptr<Loaded> loaded, load(model));
      const auto* reg = std::get_if<ml::Regressor>(&loaded->model);
      if (!reg) return bad(what + " did not load as a tabular model");
      if (input["features"].size() != reg->feature_names().size()) {
        return bad("predict input: " + what + " takes " +
                   std::to_string(reg->feature_names().size()) + " features, not " +
                   std::to_string(input["features"].size()));
      }
      return Status::Ok();
    }
    return bad("unknown op '" + op + "' (generate or predict)");
  }

  Result<json> run(const ledger::Model& model, const std::string& op, const json& input,
                   uint64_t seed) override {
    DD_TRY(check(model, op, input));
    try {
      return run_checked(model, op, input, seed);
    } catch (const std::exception& e) {
      // libtorch reports by exception; a paid call gets an error it can retry, not a crash.
      return make_error(ErrorCode::kInternal,
                        "model " + std::to_string(model.id) + " failed: " + e.what());
    }
  }

 private:
  Result<json> run_checked(const ledger::Model& model, const std::string& op, const json& input,
                           uint64_t seed) {
    DD_ASSIGN(std::shared_ptr<Loaded> loaded, load(model));
    std::lock_guard lock(loaded->mu);  // one call at a time per model; torch uses the cores
    if (op == "generate") {
      const auto* text = std::get_if<ml::TextModel>(&loaded->model);
      if (!text) return bad("model " + std::to_string(model.id) + " did not load as a text model");
      const std::string prompt = input.value("prompt", std::string());
      const uint32_t tokens = input.value("tokens", uint32_t{32});
      const double temperature = input.value("temperature", 0.8);
      DD_ASSIGN(std::string out, text->generate(prompt, tokens, temperature, seed));
      return json{{"text", out}};
    }
    const auto* reg = std::get_if<ml::Regressor>(&loaded->model);
    if (!reg) return bad("model " + std::to_string(model.id) + " did not load as a regressor");
    std::vector<float> row;
    for (const json& f : input["features"]) row.push_back(static_cast<float>(f.get<double>()));
    DD_ASSIGN(float y, reg->predict(row));
    return json{{"prediction", y}};
  }

  struct Loaded {
    std::mutex mu;
    std::variant<std::monostate, ml::TextModel, ml::Regressor> model;
  };

  Result<std::shared_ptr<Loaded>> load(const ledger::Model& model) {
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(model.id);
      if (it != cache_.end()) {
        order_.remove(model.id);
        order_.push_front(model.id);
        return it->second;
      }
    }
    const std::string what = "model " + std::to_string(model.id);
    auto key = vault::receive_key(key_, model.server_sealed_key);
    if (!key.ok()) {
      return make_error(ErrorCode::kPermissionDenied,
                        what + ": its weights key is not sealed to this node's serving key");
    }
    DD_ASSIGN(crypto::Bytes weights, vault::open_bytes(blobs_, model.weights_hash, *key));
    auto loaded = std::make_shared<Loaded>();
    if (is_text(model)) {
      DD_ASSIGN(ml::TextModel m, ml::TextModel::load(weights));
      loaded->model.emplace<ml::TextModel>(std::move(m));
    } else {
      DD_ASSIGN(ml::Regressor m, ml::Regressor::load(weights));
      loaded->model.emplace<ml::Regressor>(std::move(m));
    }
    std::lock_guard lock(mu_);
    auto [it, inserted] = cache_.emplace(model.id, loaded);
    if (inserted) {
      order_.push_front(model.id);
      while (order_.size() > kCachedModels) {
        cache_.erase(order_.back());
        order_.pop_back();
      }
    }
    return it->second;
  }

  const crypto::BoxKeyPair& key_;
  vault::Backend& blobs_;
  std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<Loaded>> cache_;
  std::list<uint64_t> order_;  // most recently used first
};

}  // namespace

std::shared_ptr<node::InferenceEngine> make_inference_engine(const crypto::BoxKeyPair& serving_key,
                                                             vault::Backend& blobs) {
  return std::make_shared<Engine>(serving_key, blobs);
}

}  // namespace datadao::runner
