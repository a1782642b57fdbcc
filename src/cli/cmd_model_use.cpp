// The developer's side of a published model: `datadao model generate|predict` open the weights
// (sealed to the developer's box key by the runner) and run them locally; `model audit` prints
// the memorisation audit the runner published with the model.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ml/regressor.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::cli {

namespace {

using nlohmann::json;

json published_model(const Context& ctx, uint64_t id) {
  json m = unwrap(ctx.client().get("/v1/models/" + std::to_string(id)));
  if (m.value("status", "") != "published") {
    throw CliError(ErrorCode::kFailedPrecondition, "model " + std::to_string(id) + " is " +
                                                       m.value("status", "?") +
                                                       ", not published: there are no weights yet");
  }
  return m;
}

// Downloads and decrypts the weights with the wallet's box key (the developer's only).
crypto::Bytes open_weights(const Context& ctx, const json& m, const wallet::Wallet& w) {
  const std::string id = std::to_string(m.value("id", uint64_t{0}));
  crypto::Bytes sealed =
      unwrap(codec::from_base64(m.value("weights_sealed_key", ""), "weights_sealed_key"));
  auto key = vault::receive_key(w.box, sealed);
  if (!key.ok()) {
    throw CliError(ErrorCode::kPermissionDenied,
                   "model " + id + "'s weights are sealed to its developer (" +
                       m.value("developer", "").substr(0, 8) + "..); wallet '" + w.name +
                       "' cannot open them");
  }
  const crypto::Hash32 hash =
      unwrap(codec::from_hex_fixed<32>(m.value("weights_hash", ""), "weights_hash"));
  vault::HttpBackend backend(ctx.resolved_node_url());
  return unwrap(vault::open_bytes(backend, hash, *key));
}

double metric(const json& m, const std::string& name, bool* found) {
  for (const json& x : m.value("metrics", json::array())) {
    if (x.value("name", "") == name) {
      *found = true;
      return static_cast<double>(x.value("value_micro", int64_t{0})) / 1e6;
    }
  }
  *found = false;
  return 0;
}

struct GenerateOptions {
  uint64_t model = 0;
  std::string prompt;
  uint32_t tokens = 40;
  double temperature = 0.8;
  uint64_t seed = 1;
  uint32_t samples = 1;
};

void generate(const Context& ctx, const GenerateOptions& o) {
  const wallet::Wallet w = ctx.open_wallet();
  const json m = published_model(ctx, o.model);
  if (m.value("kind", "") != "text") {
    throw CliError(ErrorCode::kInvalidArgument, "model " + std::to_string(o.model) + " is a '" +
                                                    m.value("kind", "") +
                                                    "' model; generate needs a text model "
                                                    "(use `model predict` for tabular ones)");
  }
  const crypto::Bytes weights = open_weights(ctx, m, w);
  const ml::TextModel model = unwrap(ml::TextModel::load(weights));
  json out = json::array();
  for (uint32_t i = 0; i < o.samples; ++i) {
    out.push_back(unwrap(model.generate(o.prompt, o.tokens, o.temperature, o.seed + i)));
  }
  emit(ctx, {{"model_id", o.model}, {"samples", out}}, [&] {
    for (const auto& s : out) std::cout << s.get<std::string>() << "\n";
  });
}

struct PredictOptions {
  uint64_t model = 0;
  std::vector<float> features;
};

void predict(const Context& ctx, const PredictOptions& o) {
  const wallet::Wallet w = ctx.open_wallet();
  const json m = published_model(ctx, o.model);
  const std::string kind = m.value("kind", "");
  if (kind != "sleep" && kind != "listening_sleep") {
    throw CliError(ErrorCode::kInvalidArgument,
                   "model " + std::to_string(o.model) + " is a '" + kind +
                       "' model; predict needs a tabular one (sleep, listening_sleep)");
  }
  const ml::Regressor model = unwrap(ml::Regressor::load(open_weights(ctx, m, w)));
  const float y = unwrap(model.predict(o.features));
  emit(ctx, {{"model_id", o.model}, {"prediction", y}}, [&] {
    std::printf("%.3f\n", y);
    std::fflush(stdout);
  });
}

void audit(const Context& ctx, uint64_t id) {
  const json m = published_model(ctx, id);
  bool has_mean = false, has_max = false, has_space = false;
  const double mean = metric(m, "canary_exposure_mean", &has_mean);
  const double max = metric(m, "canary_exposure_max", &has_max);
  const double space = metric(m, "canary_space_bits", &has_space);
  if (!has_mean || !has_space) {
    throw CliError(ErrorCode::kNotFound,
                   "model " + std::to_string(id) +
                       " was published without a canary audit (audits are run on text models)");
  }
  const double eps = static_cast<double>(m.value("epsilon_spent_milli", uint64_t{0})) / 1000.0;
  const bool dp = m.contains("terms") && m["terms"].value("dp_required", false);
  json j = {{"model_id", id},
            {"dp", dp},
            {"epsilon_spent", eps},
            {"canary_exposure_mean", mean},
            {"canary_exposure_max", has_max ? max : mean},
            {"canary_space_bits", space}};
  emit(ctx, j, [&] {
    std::printf(
        "model %llu memorisation audit (Carlini et al. 2019, secret canaries inserted by the "
        "runner):\n  trained %s\n  canary exposure: mean %.2f bits, max %.2f bits, of at most "
        "%.2f bits\n  (about 1 bit: the model does not prefer the secret over a random one; "
        "near %.2f: it has memorised it)\n",
        static_cast<unsigned long long>(id),
        dp ? ("with DP-SGD, ε = " + std::to_string(eps).substr(0, 5)).c_str() : "without DP", mean,
        has_max ? max : mean, space, space);
    std::fflush(stdout);
  });
}

}  // namespace

void register_model_use_commands(CLI::App& app, Context& ctx) {
  CLI::App* model = app.get_subcommand("model");

  static GenerateOptions gen;
  auto* g = model->add_subcommand(
      "generate",
      "Generate text with a published text model (the developer's wallet opens the weights)");
  g->add_option("model", gen.model, "Model id")->required();
  g->add_option("--prompt", gen.prompt, "Text to continue")->required();
  g->add_option("--tokens", gen.tokens, "Tokens to generate (default 40)")
      ->check(CLI::Range(1, 1024));
  g->add_option("--temperature", gen.temperature, "Sampling temperature (default 0.8)")
      ->check(CLI::Range(0.05, 5.0));
  g->add_option("--seed", gen.seed, "Sampling seed (same seed, same text)");
  g->add_option("--samples", gen.samples, "How many samples (default 1)")
      ->check(CLI::Range(1, 100));
  g->footer("Example:\n  datadao --wallet dev model generate 1 --prompt \"What is the best\"");
  g->callback([&ctx] { generate(ctx, gen); });

  static PredictOptions pred;
  auto* p = model->add_subcommand(
      "predict", "Predict with a published tabular model (the developer's wallet opens it)");
  p->add_option("model", pred.model, "Model id")->required();
  p->add_option("--features", pred.features, "Feature values, in the model's order")
      ->required()
      ->delimiter(',');
  p->footer(
      "Example:\n  datadao --wallet dev model predict 2 --features 80,78,75,7.5,90,8.2,70,75");
  p->callback([&ctx] { predict(ctx, pred); });

  static uint64_t audit_id = 0;
  auto* a = model->add_subcommand(
      "audit", "Show a published text model's memorisation audit (secret-canary exposure)");
  a->add_option("model", audit_id, "Model id")->required();
  a->footer("Example:\n  datadao model audit 1");
  a->callback([&ctx] { audit(ctx, audit_id); });
}

}  // namespace datadao::cli
