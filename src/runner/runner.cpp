#include "datadao/runner/runner.hpp"

#include "attribute.hpp"
#include "datadao/attribution/shares.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/ml/audit.hpp"
#include "datadao/ml/datasets.hpp"
#include "datadao/ml/regressor.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/node/client.hpp"
#include "datadao/node/progress.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::runner {
namespace {

using nlohmann::json;
using node::bool_field;
using node::hash_field;
using node::string_field;
using node::u64_field;

std::string model_label(uint64_t id) { return "model " + std::to_string(id); }

// The proposal's spec split into training keys (ours) and model keys (the model's parser).
struct SplitSpec {
  ml::TrainConfig train;
  double noise = 1.0;
  double clip = 1.0;
  uint32_t knn_k = 5;           // KNN-Shapley's K (attribution of text models)
  uint32_t tracin_dim = 256;    // TracIn's projection dimension (tabular models)
  uint64_t snapshot_every = 0;  // TracIn checkpoints every N steps (0: steps / 4)
  std::string model_spec;
};

Result<double> parse_number(const std::string& key, const std::string& value) {
  try {
    size_t used = 0;
    double v = std::stod(value, &used);
    if (used != value.size() || !std::isfinite(v)) throw std::invalid_argument(value);
    return v;
  } catch (const std::exception&) {
    return make_error(ErrorCode::kInvalidArgument,
                      "spec key '" + key + "': '" + value + "' is not a number");
  }
}

Result<SplitSpec> split_spec(const std::string& spec) {
  SplitSpec out;
  out.train.steps = 200;
  out.train.batch_size = 32;
  out.train.learning_rate = 3e-3;
  std::istringstream in(spec);
  std::string token;
  std::string model;
  while (in >> token) {
    const size_t eq = token.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(ErrorCode::kInvalidArgument, "spec: '" + token + "' is not key=value");
    }
    const std::string key = token.substr(0, eq);
    const std::string value = token.substr(eq + 1);
    auto number = [&]() { return parse_number(key, value); };
    if (key == "steps") {
      DD_ASSIGN(double v, number());
      if (v < 1 || v > 1e6) return make_error(ErrorCode::kInvalidArgument, "spec: steps 1..10^6");
      out.train.steps = static_cast<uint64_t>(v);
    } else if (key == "batch") {
      DD_ASSIGN(double v, number());
      if (v < 1 || v > 65536)
        return make_error(ErrorCode::kInvalidArgument, "spec: batch 1..65536");
      out.train.batch_size = static_cast<uint32_t>(v);
    } else if (key == "lr") {
      DD_ASSIGN(double v, number());
      if (v <= 0 || v > 1) return make_error(ErrorCode::kInvalidArgument, "spec: lr in (0, 1]");
      out.train.learning_rate = v;
    } else if (key == "noise") {
      DD_ASSIGN(double v, number());
      if (v <= 0 || v > 100)
        return make_error(ErrorCode::kInvalidArgument, "spec: noise in (0, 100]");
      out.noise = v;
    } else if (key == "clip") {
      DD_ASSIGN(double v, number());
      if (v <= 0 || v > 1e6)
        return make_error(ErrorCode::kInvalidArgument, "spec: clip in (0, 10^6]");
      out.clip = v;
    } else if (key == "knn_k") {
      DD_ASSIGN(double v, number());
      if (v < 1 || v > 1000) return make_error(ErrorCode::kInvalidArgument, "spec: knn_k 1..1000");
      out.knn_k = static_cast<uint32_t>(v);
    } else if (key == "tracin_dim") {
      DD_ASSIGN(double v, number());
      if (v < 0 || v > 4096)
        return make_error(ErrorCode::kInvalidArgument, "spec: tracin_dim 0..4096");
      out.tracin_dim = static_cast<uint32_t>(v);
    } else if (key == "snapshot_every") {
      DD_ASSIGN(double v, number());
      if (v < 1 || v > 1e6)
        return make_error(ErrorCode::kInvalidArgument, "spec: snapshot_every 1..10^6");
      out.snapshot_every = static_cast<uint64_t>(v);
    } else if (key == "seed") {
      DD_ASSIGN(double v, number());
      out.train.seed = static_cast<uint64_t>(std::max(0.0, v));
    } else if (key == "holdout") {
      DD_ASSIGN(double v, number());
      if (v <= 0 || v >= 0.5)
        return make_error(ErrorCode::kInvalidArgument, "spec: holdout in (0, 0.5)");
      out.train.holdout_fraction = v;
    } else {
      if (!model.empty()) model += ' ';
      model += token;
    }
  }
  out.model_spec = model;
  return out;
}

// The records of one contribution, kept with the wallet that contributed it.
struct ConsentedContribution {
  uint64_t id = 0;
  uint64_t pool_id = 0;
  std::string contributor;  // hex account
};

}  // namespace

struct Runner::Impl {
  Impl(const wallet::Wallet& w, const std::string& url, vault::Backend& b, RunnerOptions o)
      : wallet(w), client(url), backend(b), options(std::move(o)) {}

  const wallet::Wallet& wallet;
  node::NodeClient client;
  vault::Backend& backend;
  RunnerOptions options;
  std::string chain_id;
  std::map<uint64_t, std::string> pools;  // served pool id -> source

  uint32_t page() const { return std::clamp<uint32_t>(options.page_size, 1, 1000); }

  template <class P>
  Status submit(const P& payload, const std::string& what) {
    DD_ASSIGN(uint64_t nonce, client.next_nonce(wallet.account()));
    DD_ASSIGN(json out,
              client.submit(ledger::make_tx(chain_id, wallet.sign, nonce, payload), true));
    if (out.value("status", "") != "included") {
      std::string why =
          out.contains("error") ? out["error"].value("message", out.dump()) : out.dump();
      return make_error(ErrorCode::kFailedPrecondition, what + " was rejected: " + why);
    }
    return Status::Ok();
  }

  // Every model drawing on a pool (paged).
  Result<std::vector<json>> pool_models(uint64_t pool_id) {
    std::vector<json> out;
    uint64_t after = 0;
    for (;;) {
      DD_ASSIGN(json pagej, client.get("/v1/pools/" + std::to_string(pool_id) +
                                       "/models?limit=" + std::to_string(page()) +
                                       (after > 0 ? "&after=" + std::to_string(after) : "")));
      for (const json& m : pagej.value("models", json::array())) out.push_back(m);
      if (!pagej.contains("next_after") || pagej["next_after"].is_null()) return out;
      DD_ASSIGN(after, u64_field(pagej, "next_after", "model page"));
    }
  }

  // Accounts already holding shares of a model (a round that died after some AssignShares).
  Result<std::set<std::string>> assigned_holders(uint64_t model_id) {
    std::set<std::string> out;
    std::string after;
    for (;;) {
      DD_ASSIGN(json pagej, client.get("/v1/models/" + std::to_string(model_id) +
                                       "/shares?limit=" + std::to_string(page()) +
                                       (after.empty() ? "" : "&after=" + after)));
      for (const json& h : pagej.value("holders", json::array())) {
        out.insert(h.value("account", ""));
      }
      if (!pagej.contains("next_after") || pagej["next_after"].is_null()) return out;
      after = pagej["next_after"].get<std::string>();
    }
  }

  // ---- 1. standing policies ----------------------------------------------------------------

  Result<uint64_t> apply_policies(uint64_t model_id, uint64_t pool_id) {
    uint64_t applied = 0;
    uint64_t after = 0;
    for (;;) {
      DD_ASSIGN(json pagej, client.get("/v1/models/" + std::to_string(model_id) +
                                       "/policy-candidates?pool=" + std::to_string(pool_id) +
                                       "&limit=" + std::to_string(page()) +
                                       (after > 0 ? "&after=" + std::to_string(after) : "")));
      std::vector<uint64_t> ids;
      if (pagej.contains("candidates") && pagej["candidates"].is_array()) {
        for (const json& c : pagej["candidates"]) {
          if (c.is_number_unsigned()) {
            ids.push_back(c.get<uint64_t>());
          } else {
            DD_ASSIGN(uint64_t id, u64_field(c, "contribution_id", "policy candidate"));
            ids.push_back(id);
          }
        }
      }
      for (size_t i = 0; i < ids.size(); i += ledger::kMaxConsentBatch) {
        ledger::ApplyConsentPolicy p;
        p.model_id = model_id;
        p.contribution_ids.assign(ids.begin() + i,
                                  ids.begin() + std::min(ids.size(), i + ledger::kMaxConsentBatch));
        DD_TRY(submit(p, model_label(model_id) + ": ApplyConsentPolicy"));
        applied += p.contribution_ids.size();
      }
      if (!pagej.contains("next_after") || pagej["next_after"].is_null()) return applied;
      DD_ASSIGN(after, u64_field(pagej, "next_after", "policy candidates"));
    }
  }

  // ---- 2. training --------------------------------------------------------------------------

  Result<std::vector<ConsentedContribution>> consents(uint64_t model_id) {
    std::vector<ConsentedContribution> out;
    uint64_t after = 0;
    for (;;) {
      DD_ASSIGN(json pagej, client.get("/v1/models/" + std::to_string(model_id) +
                                       "/consents?limit=" + std::to_string(page()) +
                                       (after > 0 ? "&after=" + std::to_string(after) : "")));
      if (!pagej.contains("consents") || !pagej["consents"].is_array()) {
        return make_error(ErrorCode::kCorruption, "consent page: no 'consents' list");
      }
      for (const json& c : pagej["consents"]) {
        ConsentedContribution cc;
        DD_ASSIGN(cc.id, u64_field(c, "contribution_id", "consent"));
        DD_ASSIGN(cc.pool_id, u64_field(c, "pool_id", "consent"));
        DD_ASSIGN(cc.contributor, string_field(c, "contributor", "consent"));
        out.push_back(std::move(cc));
      }
      if (!pagej.contains("next_after") || pagej["next_after"].is_null()) return out;
      DD_ASSIGN(after, u64_field(pagej, "next_after", "consent page"));
    }
  }

  // Decrypts one contribution's refined blob (sealed to the pool's box key: ours).
  Result<std::string> refined_records(uint64_t contribution_id) {
    const std::string what = "contribution " + std::to_string(contribution_id);
    DD_ASSIGN(json c, client.get("/v1/contributions/" + std::to_string(contribution_id)));
    DD_ASSIGN(const json* att, node::object_field(c, "attestation", what));
    DD_ASSIGN(crypto::Hash32 hash, hash_field(*att, "refined_blob_hash", what));
    DD_ASSIGN(crypto::Bytes sealed, node::base64_field(*att, "refined_sealed_key", what));
    auto key = vault::receive_key(wallet.box, sealed);
    if (!key.ok()) {
      return make_error(ErrorCode::kCorruption,
                        what + ": refined blob key is not sealed to this pool");
    }
    DD_ASSIGN(crypto::Bytes blob,
              backend.get_bytes(hash, validator::max_ciphertext_for(validator::kMaxRefinedBytes)));
    DD_ASSIGN(crypto::Bytes plain,
              vault::decode_blob(blob, *key, what + " refined blob", validator::kMaxRefinedBytes));
    return std::string(plain.begin(), plain.end());
  }

  void report_progress(uint64_t model_id, const ml::Progress& p, const std::string& phase) {
    if (options.on_progress) options.on_progress(model_id, p);
    node::ModelProgress mp;
    mp.step = p.step;
    mp.total_steps = std::max(p.step, p.total_steps);
    mp.loss = std::isfinite(p.loss) ? p.loss : 0;
    mp.epsilon = p.epsilon;
    mp.eta_seconds = std::max(0.0, p.eta_seconds);
    mp.phase = phase;
    mp.runner = wallet.account();
    // Progress is informational: a node that is briefly away must not stop training.
    (void)client.post_json("/v1/models/" + std::to_string(model_id) + "/progress",
                           node::sign_progress(model_id, mp, wallet.sign));
  }

  Result<PublishedModel> train(const json& model) {
    PublishedModel out;
    DD_ASSIGN(out.model_id, u64_field(model, "id", "model"));
    const std::string what = model_label(out.model_id);
    DD_ASSIGN(out.kind, string_field(model, "kind", what));
    DD_ASSIGN(std::string spec_text, string_field(model, "spec", what));
    DD_ASSIGN(const json* terms, node::object_field(model, "terms", what));
    DD_ASSIGN(bool dp_required, bool_field(*terms, "dp_required", what + " terms"));
    DD_ASSIGN(uint64_t epsilon_milli, u64_field(*terms, "epsilon_milli", what + " terms"));
    DD_ASSIGN(uint64_t delta_e12, u64_field(*terms, "delta_e12", what + " terms"));
    DD_ASSIGN(crypto::Hash32 developer_box, hash_field(model, "developer_box_key", what));
    const bool personal = model.value("personal", false);
    // The proposal names how contributors' value is measured (terms.attribution).
    std::string method = "knn_shapley";
    if (terms->contains("attribution")) {
      const json& a = (*terms)["attribution"];
      if (a.is_string()) method = a.get<std::string>();
      if (a.is_number_unsigned()) method = a.get<uint64_t>() == 2 ? "tracin" : "knn_shapley";
    }
    const bool text_kind = out.kind == "text";
    if (!personal &&
        ((text_kind && method != "knn_shapley") || (!text_kind && method != "tracin"))) {
      return make_error(ErrorCode::kInvalidArgument,
                        what + ": attribution '" + method + "' is not implemented for '" +
                            out.kind + "' models (text: knn_shapley; tabular: tracin)");
    }
    std::vector<uint64_t> model_pools;
    for (const json& p : model.value("pools", json::array()))
      model_pools.push_back(p.get<uint64_t>());

    DD_ASSIGN(SplitSpec spec, split_spec(spec_text));
    ml::TrainConfig cfg = spec.train;
    cfg.threads = options.threads;
    cfg.dp.enabled = dp_required;
    cfg.dp.noise_multiplier = spec.noise;
    cfg.dp.max_grad_norm = spec.clip;
    cfg.dp.target_epsilon = static_cast<double>(epsilon_milli) / ledger::kEpsilonScale;
    cfg.dp.delta = static_cast<double>(delta_e12) / static_cast<double>(ledger::kDeltaScale);
    if (!options.work_dir.empty()) {
      std::filesystem::create_directories(options.work_dir);
      cfg.checkpoint_path = (std::filesystem::path(options.work_dir) /
                             ("model-" + std::to_string(out.model_id) + ".ckpt"))
                                .string();
    }

    // Exactly the consented contributions; a cross-pool model keeps contributors (wallets)
    // with consent in every one of its pools.
    DD_ASSIGN(std::vector<ConsentedContribution> consented, consents(out.model_id));
    std::map<std::string, std::set<uint64_t>> pools_of;
    for (const auto& c : consented) pools_of[c.contributor].insert(c.pool_id);
    std::map<std::string, uint64_t> wallet_index;  // contributor -> opaque index for the join
    std::vector<ConsentedContribution> used;
    for (const auto& c : consented) {
      if (pools_of[c.contributor].size() != model_pools.size()) continue;
      wallet_index.emplace(c.contributor, wallet_index.size() + 1);
      used.push_back(c);
    }
    if (used.empty()) {
      return make_error(ErrorCode::kFailedPrecondition,
                        what + ": no contributor consented in every pool of the model");
    }
    // pool id -> contributor's records (one ContributorRecords per wallet and pool).
    std::map<uint64_t, std::map<uint64_t, ml::ContributorRecords>> by_pool;
    for (const auto& c : used) {
      DD_ASSIGN(std::string jsonl, refined_records(c.id));
      auto& rec = by_pool[c.pool_id][wallet_index[c.contributor]];
      rec.contributor = wallet_index[c.contributor];
      rec.refined_jsonl.push_back(std::move(jsonl));
    }
    auto records_of = [&](uint64_t pool_id) {
      std::vector<ml::ContributorRecords> v;
      for (auto& [idx, rec] : by_pool[pool_id]) v.push_back(rec);
      return v;
    };
    out.contributions = used.size();
    out.contributors = wallet_index.size();

    ml::ProgressFn progress = [&](const ml::Progress& p) {
      report_progress(out.model_id, p, "training");
      return true;
    };
    crypto::Bytes weights;
    ml::LabeledTexts labeled;
    detail::Attribution attr;
    if (out.kind == "text") {
      DD_ASSIGN(ml::TextSpec ts, ml::parse_text_spec(spec.model_spec));
      std::vector<ml::ContributorRecords> all;
      for (uint64_t p : model_pools) {
        auto v = records_of(p);
        all.insert(all.end(), v.begin(), v.end());
      }
      DD_ASSIGN(labeled, ml::labeled_text_examples(all));
      std::vector<std::string> texts = labeled.texts;
      if (options.on_text_dataset) options.on_text_dataset(out.model_id, texts);
      out.examples = texts.size();
      // Canaries: secret, from the OS's randomness, known only to this runner while it audits.
      uint64_t canary_seed = 0;
      crypto::random_bytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&canary_seed), 8));
      const auto canaries = ml::make_canaries(options.canaries, options.canary_digits, canary_seed);
      if (!canaries.empty()) {
        auto extra = ml::canary_texts(canaries, options.canary_repeats);
        texts.insert(texts.end(), extra.begin(), extra.end());
      }
      DD_ASSIGN(ml::TextModel m, ml::TextModel::train(texts, ts, cfg, progress, &out.report));
      if (!canaries.empty()) {
        const ml::AuditReport audit = ml::audit_canaries(m, canaries);
        out.canary_exposure_mean = audit.mean_exposure;
        out.canary_exposure_max = 0;
        for (const auto& c : audit.canaries) {
          out.canary_exposure_max = std::max(out.canary_exposure_max, c.exposure);
        }
        out.canary_space_bits = audit.max_exposure;
      }
      if (!personal) {
        DD_ASSIGN(attr,
                  detail::attribute_text_knn(m, labeled, out.report, out.contributors, spec.knn_k));
      }
      weights = m.save();
    } else if (out.kind == "sleep" || out.kind == "listening_sleep") {
      DD_ASSIGN(ml::RegressorSpec rs, ml::parse_regressor_spec(spec.model_spec));
      ml::TabularDataset data;
      if (out.kind == "sleep") {
        if (model_pools.size() != 1 || pools[model_pools[0]] != "oura") {
          return make_error(ErrorCode::kInvalidArgument,
                            what + ": kind 'sleep' needs exactly one oura pool");
        }
        DD_ASSIGN(data, ml::sleep_examples(records_of(model_pools[0])));
      } else {
        uint64_t spotify = 0, oura = 0;
        for (uint64_t p : model_pools) {
          if (pools[p] == "spotify") spotify = p;
          if (pools[p] == "oura") oura = p;
        }
        if (model_pools.size() != 2 || spotify == 0 || oura == 0) {
          return make_error(ErrorCode::kInvalidArgument,
                            what + ": kind 'listening_sleep' needs one spotify and one oura pool");
        }
        DD_ASSIGN(data, ml::listening_sleep_examples(records_of(spotify), records_of(oura)));
      }
      out.examples = data.targets.size();
      if (!personal) {
        cfg.snapshot_every =
            spec.snapshot_every > 0 ? spec.snapshot_every : std::max<uint64_t>(1, cfg.steps / 4);
      }
      DD_ASSIGN(ml::Regressor m, ml::Regressor::train(data, rs, cfg, progress, &out.report));
      if (!personal) {
        DD_ASSIGN(attr, detail::attribute_tabular_tracin(data, out.report, out.contributors,
                                                         spec.tracin_dim));
        out.report.snapshots.clear();
      }
      weights = m.save();
    } else {
      return make_error(
          ErrorCode::kInvalidArgument,
          what + ": kind '" + out.kind + "' has no trainer (kinds: text, sleep, listening_sleep)");
    }

    // A DP budget too small for one step leaves the initial weights: nothing worth publishing.
    if (out.report.steps == 0) {
      return make_error(ErrorCode::kFailedPrecondition,
                        what +
                            ": the privacy budget (ε = " + std::to_string(cfg.dp.target_epsilon) +
                            ") does not allow a single training step at this noise and batch");
    }
    // Weights to the vault, readable by the developer alone.
    DD_ASSIGN(auto sealed, vault::seal_bytes(weights, backend));
    ledger::PublishModel pub;
    pub.model_id = out.model_id;
    pub.weights_hash = sealed.first.hash;
    pub.weights_size = sealed.first.ciphertext_size;
    pub.weights_sealed_key = vault::share_key(sealed.second, developer_box);
    // ... and by the node that serves metered calls (node/serving.hpp), whose key it announces.
    DD_ASSIGN(json status, client.get("/v1/status"));
    DD_ASSIGN(pub.server_box_key, hash_field(status, "serving_box_key", "node status"));
    pub.server_sealed_key = vault::share_key(sealed.second, pub.server_box_key);
    pub.steps = out.report.steps;
    if (dp_required) {
      // Rounded up: the ledger must never record less ε than was spent.
      pub.epsilon_spent_milli =
          static_cast<uint64_t>(std::ceil(out.report.epsilon * ledger::kEpsilonScale - 1e-9));
    }
    auto metric = [&](const std::string& name, double v) {
      if (!std::isfinite(v)) return;
      pub.metrics.push_back({name, static_cast<int64_t>(std::llround(v * ledger::kMetricScale))});
    };
    metric("holdout_loss", out.report.holdout_loss);
    metric("baseline_loss", out.report.baseline_loss);
    metric("train_loss", out.report.train_loss);
    metric("examples", static_cast<double>(out.examples));
    metric("contributors", static_cast<double>(out.contributors));
    if (!personal) {
      metric("attribution_duplicate_records", static_cast<double>(attr.duplicate_records));
      metric("attribution_fallback_equal", attr.fallback_equal ? 1.0 : 0.0);
    }
    for (const auto& [name, v] : out.report.metrics) {
      if (pub.metrics.size() + 3 >= ledger::kMaxModelMetrics) break;
      metric(name, v);
    }
    if (out.kind == "text" && out.canary_space_bits > 0) {
      metric("canary_exposure_mean", out.canary_exposure_mean);
      metric("canary_exposure_max", out.canary_exposure_max);
      metric("canary_space_bits", out.canary_space_bits);
    }
    // The training set, in chunks the ledger checks against the consents.
    std::vector<uint64_t> ids;
    for (const auto& c : used) ids.push_back(c.id);
    std::sort(ids.begin(), ids.end());
    DD_ASSIGN(json current, client.get("/v1/models/" + std::to_string(out.model_id)));
    const uint64_t already = current.value("training_set_size", uint64_t{0});
    // A round that died between chunks resumes after the chunks the ledger already holds.
    for (size_t i = already; i < ids.size(); i += ledger::kMaxTrainingSetChunk) {
      ledger::RecordTrainingSet r;
      r.model_id = out.model_id;
      r.contribution_ids.assign(
          ids.begin() + i, ids.begin() + std::min(ids.size(), i + ledger::kMaxTrainingSetChunk));
      DD_TRY(submit(r, what + ": RecordTrainingSet"));
    }
    pub.training_set_size = ids.size();
    if (!personal) {
      // Ownership: the values apportioned to the fixed share supply, assigned in chunks.
      std::vector<std::string> account_of(out.contributors);
      for (const auto& [account, idx] : wallet_index) account_of[idx - 1] = account;
      // A round that died between AssignShares chunks resumes: the accounts already assigned
      // keep their units and only what is left of the supply is apportioned over the others
      // (this round's values may differ from the dead round's: the canaries are fresh).
      DD_ASSIGN(std::set<std::string> assigned, assigned_holders(out.model_id));
      const uint64_t already_assigned = current.value("shares_assigned", uint64_t{0});
      if (already_assigned > ledger::kShareSupply) {
        return make_error(ErrorCode::kCorruption, what + ": more shares assigned than minted");
      }
      std::vector<double> open_values(attr.values.size(), 0.0);
      bool any_open = false;
      for (size_t i = 0; i < attr.values.size(); ++i) {
        if (assigned.count(account_of[i])) continue;
        open_values[i] = attr.values[i];
        any_open = any_open || open_values[i] > 0;
      }
      std::vector<uint64_t> units(attr.values.size(), 0);
      const uint64_t open_supply = ledger::kShareSupply - already_assigned;
      if (open_supply > 0) {
        if (!any_open) {
          return make_error(ErrorCode::kFailedPrecondition,
                            what + ": " + std::to_string(open_supply) +
                                " share units are left but no unassigned contributor has value");
        }
        DD_ASSIGN(units, attribution::apportion(open_values, open_supply));
      }
      std::vector<ledger::ShareEntry> entries;
      for (size_t i = 0; i < units.size(); ++i) {
        if (units[i] == 0 || assigned.count(account_of[i])) continue;
        DD_ASSIGN(crypto::Hash32 acct, codec::from_hex_fixed<32>(account_of[i], "contributor"));
        entries.push_back({acct, units[i]});
      }
      out.shares = units;
      out.share_accounts = account_of;
      for (size_t i = 0; i < entries.size(); i += ledger::kMaxShareChunk) {
        ledger::AssignShares a;
        a.model_id = out.model_id;
        a.entries.assign(entries.begin() + i,
                         entries.begin() + std::min(entries.size(), i + ledger::kMaxShareChunk));
        DD_TRY(submit(a, what + ": AssignShares"));
      }
    }
    DD_TRY(submit(pub, what + ": PublishModel"));
    if (!cfg.checkpoint_path.empty()) std::filesystem::remove(cfg.checkpoint_path);
    return out;
  }
};

Runner::Runner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Runner::~Runner() = default;

Result<std::unique_ptr<Runner>> Runner::open(const wallet::Wallet& wallet,
                                             const std::string& node_url,
                                             const std::vector<std::string>& pools,
                                             vault::Backend& backend, RunnerOptions options) {
  if (pools.empty()) return make_error(ErrorCode::kInvalidArgument, "runner: no pool given");
  auto impl = std::make_unique<Impl>(wallet, node_url, backend, std::move(options));
  for (const std::string& pool : pools) {
    DD_ASSIGN(json p, impl->client.pool(pool));
    const std::string what = "pool '" + pool + "'";
    DD_ASSIGN(uint64_t id, u64_field(p, "id", what));
    DD_ASSIGN(crypto::Hash32 validator, hash_field(p, "validator", what));
    DD_ASSIGN(crypto::Hash32 box_key, hash_field(p, "box_key", what));
    DD_ASSIGN(std::string source, string_field(p, "source", what));
    if (validator != wallet.account() || box_key != wallet.box.public_key) {
      return make_error(ErrorCode::kPermissionDenied,
                        "wallet '" + wallet.name + "' is not the validator of " + what +
                            " (it must hold the pool's validator and box keys to run it)");
    }
    impl->pools[id] = source;
  }
  DD_ASSIGN(impl->chain_id, impl->client.chain_id());
  return std::unique_ptr<Runner>(new Runner(std::move(impl)));
}

Result<RoundReport> Runner::run_once() {
  Impl& m = *impl_;
  RoundReport report;
  std::set<uint64_t> seen;
  for (const auto& [pool_id, source] : m.pools) {
    DD_ASSIGN(std::vector<json> models, m.pool_models(pool_id));
    for (const json& model : models) {
      DD_ASSIGN(uint64_t id, u64_field(model, "id", "model"));
      DD_ASSIGN(std::string status, string_field(model, "status", model_label(id)));
      if (status == "voting" || status == "consent") {
        if (model.value("personal", false)) continue;  // only the proposer consents
        auto applied = m.apply_policies(id, pool_id);
        if (!applied.ok()) {
          report.failed.push_back({id, applied.error()});
        } else {
          report.policy_consents += *applied;
        }
        continue;
      }
      if (status != "training" || !seen.insert(id).second) continue;
      std::vector<uint64_t> model_pools;
      for (const json& p : model.value("pools", json::array())) {
        model_pools.push_back(p.get<uint64_t>());
      }
      const bool all_served = !model_pools.empty() && model_pools[0] == pool_id &&
                              std::all_of(model_pools.begin(), model_pools.end(),
                                          [&](uint64_t p) { return m.pools.count(p) > 0; });
      if (!all_served) continue;
      auto published = m.train(model);
      if (published.ok()) {
        report.published.push_back(std::move(published).value());
      } else {
        report.failed.push_back({id, published.error()});
      }
    }
  }
  return report;
}

}  // namespace datadao::runner
