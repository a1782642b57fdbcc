// Ownership and rewards: `datadao model use|shares|rewards|transfer-shares`, `datadao rewards
// claim`, and the holdings part of `datadao account show`. Rewards are kept on the ledger in
// reward units (10^9 per credit, ledger/models.hpp); a model has 10^9 share units.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/node/serving.hpp"

namespace datadao::cli {

using nlohmann::json;

std::string format_reward_units(const std::string& decimal_units) {
  std::string d = decimal_units.empty() ? "0" : decimal_units;
  if (d.size() < 10) d.insert(0, 10 - d.size(), '0');
  return d.substr(0, d.size() - 9) + "." + d.substr(d.size() - 9);
}

std::string format_share(uint64_t units) {
  // units / 10^9 as a percentage: units / 10^7 %, 4 decimals, rounded down.
  const uint64_t hundred_thousandths = units / 1000;  // units of 10^-4 %
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu.%04llu%%",
                static_cast<unsigned long long>(hundred_thousandths / 10000),
                static_cast<unsigned long long>(hundred_thousandths % 10000));
  return buf;
}

void print_account(const json& j) {
  std::cout << "account  " << j.value("account", "") << "\n"
            << "credits  " << j.value("credits", uint64_t{0}) << "\n"
            << "nonce    " << j.value("nonce", uint64_t{0}) << "\n";
  const json tokens = j.value("pool_tokens", json::array());
  std::cout << "pool tokens" << (tokens.empty() ? "  none" : "") << "\n";
  for (const json& t : tokens) {
    std::cout << "  pool " << t.value("pool_id", uint64_t{0}) << " (" << t.value("pool", "")
              << ")  " << t.value("tokens", uint64_t{0}) << "\n";
  }
  const json models = j.value("models", json::array());
  std::cout << "model shares" << (models.empty() ? "  none" : "") << "\n";
  for (const json& m : models) {
    const uint64_t shares = m.value("shares", uint64_t{0});
    std::cout << "  model " << m.value("model_id", uint64_t{0}) << " (" << m.value("kind", "")
              << ")  " << shares << " of " << ledger::kShareSupply << " units ("
              << format_share(shares) << "), rewards accrued "
              << format_reward_units(m.value("accrued_units", "0")) << " credits, claimable now "
              << m.value("claimable_credits", uint64_t{0}) << "\n";
  }
}

UseCall make_use_call(const std::string& chain_id, const crypto::SigningKeyPair& key,
                      uint64_t nonce, uint64_t model_id, const std::string& op, const json& input) {
  UseCall c;
  c.op = op;
  c.input = input;
  std::array<uint8_t, 16> salt{};
  crypto::random_bytes(salt);
  c.salt = codec::to_hex(salt);
  ledger::UseModel u;
  u.model_id = model_id;
  u.request_hash = node::request_hash(model_id, op, input, c.salt);
  c.tx = ledger::make_tx(chain_id, key, nonce, u);
  return c;
}

Result<json> call_model(node::NodeClient& client, const UseCall& call) {
  auto u = ledger::decode_payload(call.tx.payload, std::type_identity<ledger::UseModel>{});
  if (!u.ok()) return u.error();
  const json body = {{"op", call.op},
                     {"input", call.input},
                     {"salt", call.salt},
                     {"tx", codec::to_base64(crypto::as_bytes(ledger::encode(call.tx)))}};
  const std::string path = "/v1/models/" + std::to_string(u->model_id) + "/use";
  for (int attempt = 0;; ++attempt) {
    auto out = client.post_json(path, body);
    // "payment is not in a block yet; retry with the same tx": same payment, not charged again.
    if (out.ok() || attempt >= 5 ||
        out.error().message.find("not in a block yet") == std::string::npos) {
      if (!out.ok()) {
        return out.error().with_context("call of model " + std::to_string(u->model_id) +
                                        " paid by tx " + codec::to_hex(ledger::tx_id(call.tx)));
      }
      return out;
    }
  }
}

namespace {

struct UseOptions {
  uint64_t model = 0;
  std::string prompt;
  bool has_prompt = false;
  uint32_t tokens = 32;
  double temperature = 0.8;
  std::vector<double> features;
  uint32_t calls = 1;
};

void use(const Context& ctx, const UseOptions& o) {
  if (o.calls == 0 || o.calls > 10000) {
    throw CliError(ErrorCode::kInvalidArgument, "--calls must be 1..10000");
  }
  const bool predict = !o.features.empty();
  if (predict == o.has_prompt) {
    throw CliError(ErrorCode::kInvalidArgument,
                   "give --prompt (text models: generate) or --features (tabular models: "
                   "predict), not both");
  }
  const wallet::Wallet w = ctx.open_wallet();
  auto client = ctx.client();
  const json m = unwrap(client.get("/v1/models/" + std::to_string(o.model)));
  const uint64_t price = m.contains("terms") ? m["terms"].value("price_per_call", uint64_t{0}) : 0;
  const std::string chain_id = unwrap(client.chain_id());
  json input;
  std::string op;
  if (predict) {
    op = "predict";
    input = {{"features", o.features}};
  } else {
    op = "generate";
    input = {{"prompt", o.prompt}, {"tokens", o.tokens}, {"temperature", o.temperature}};
  }
  json answers = json::array();
  for (uint32_t i = 0; i < o.calls; ++i) {
    const uint64_t nonce = unwrap(client.next_nonce(w.account()));
    json a = unwrap(call_model(client, make_use_call(chain_id, w.sign, nonce, o.model, op, input)));
    answers.push_back(a);
    if (!ctx.json) {
      const json& out = a["output"];
      if (out.contains("text")) {
        std::cout << out["text"].get<std::string>() << "\n";
      } else {
        std::printf("%.3f\n", out.value("prediction", 0.0));
      }
      std::fflush(stdout);
    }
  }
  if (ctx.json) {
    std::cout << json{{"model_id", o.model}, {"price_per_call", price}, {"calls", answers}}.dump(2)
              << "\n";
  } else {
    std::cerr << o.calls << " paid call" << (o.calls == 1 ? "" : "s") << " of model " << o.model
              << ", " << price * o.calls << " credits to its owners\n";
  }
}

void shares(const Context& ctx, uint64_t model, uint32_t limit) {
  auto client = ctx.client();
  json all = json::array();
  std::string after;
  while (all.size() < limit) {
    const uint32_t page = std::min<uint32_t>(1000, limit - static_cast<uint32_t>(all.size()));
    json p = unwrap(client.get("/v1/models/" + std::to_string(model) + "/shares?limit=" +
                               std::to_string(page) + (after.empty() ? "" : "&after=" + after)));
    for (const json& h : p.value("holders", json::array())) all.push_back(h);
    if (!p.contains("next_after") || p["next_after"].is_null()) break;
    after = p["next_after"].get<std::string>();
  }
  emit(ctx, {{"model_id", model}, {"supply", ledger::kShareSupply}, {"holders", all}}, [&] {
    std::cout << "model " << model << ": " << all.size() << " holder"
              << (all.size() == 1 ? "" : "s") << " shown, " << ledger::kShareSupply
              << " share units in all\n";
    for (const json& h : all) {
      const uint64_t s = h.value("shares", uint64_t{0});
      std::cout << "  " << h.value("account", "").substr(0, 16) << "..  " << s << " units ("
                << format_share(s) << ")  accrued "
                << format_reward_units(h.value("accrued_units", "0")) << " credits\n";
    }
  });
}

void rewards(const Context& ctx, uint64_t model) {
  json r = unwrap(ctx.client().get("/v1/models/" + std::to_string(model) + "/rewards"));
  emit(ctx, r, [&] {
    std::cout << "model " << model << "\n"
              << "  price per call     " << r.value("price_per_call", uint64_t{0}) << " credits\n"
              << "  paid uses          " << r.value("uses", uint64_t{0}) << "\n"
              << "  rewards paid       " << r.value("rewards_paid", uint64_t{0}) << " credits\n"
              << "  claimed            " << r.value("rewards_claimed", uint64_t{0}) << " credits\n"
              << "  held for owners    " << r.value("escrow", uint64_t{0}) << " credits\n"
              << "  remainder account  " << format_reward_units(r.value("reward_remainder", "0"))
              << " credits\n"
              << "  share holders      " << r.value("share_holders", uint64_t{0}) << "\n";
  });
}

void claim(const Context& ctx, uint64_t only_model) {
  const wallet::Wallet w = ctx.open_wallet();
  auto client = ctx.client();
  json h = unwrap(client.get("/v1/accounts/" + codec::to_hex(w.account()) + "/holdings"));
  json done = json::array();
  uint64_t total = 0;
  for (const json& m : h.value("models", json::array())) {
    const uint64_t id = m.value("model_id", uint64_t{0});
    if (only_model != 0 && id != only_model) continue;
    const uint64_t credits = m.value("claimable_credits", uint64_t{0});
    if (credits == 0) continue;
    ledger::Claim c;
    c.model_id = id;
    submit_signed(ctx, w, c);
    done.push_back({{"model_id", id}, {"credits", credits}});
    total += credits;
  }
  if (done.empty()) {
    throw CliError(ErrorCode::kFailedPrecondition,
                   only_model != 0
                       ? "nothing to claim from model " + std::to_string(only_model) +
                             " (less than one credit accrued, or no shares)"
                       : "nothing to claim: no model has a whole credit accrued for " + w.name);
  }
  emit(ctx, {{"claimed", done}, {"total_credits", total}}, [&] {
    for (const json& d : done) {
      std::cout << "claimed " << d["credits"].get<uint64_t>() << " credits from model "
                << d["model_id"].get<uint64_t>() << "\n";
    }
  });
}

}  // namespace

void register_rewards_commands(CLI::App& app, Context& ctx) {
  CLI::App* model = app.get_subcommand("model");

  static UseOptions uo;
  auto* u = model->add_subcommand("use", "Call a published model; each call pays its owners");
  u->add_option("model", uo.model, "Model id")->required();
  u->add_option("--prompt", uo.prompt, "Text models: the prompt to continue");
  u->add_option("--tokens", uo.tokens, "Text models: tokens to generate (1..256)");
  u->add_option("--temperature", uo.temperature, "Text models: sampling temperature [0.05, 5]");
  u->add_option("--features", uo.features, "Tabular models: the feature values")->delimiter(',');
  u->add_option("--calls", uo.calls, "Repeat the call N times (each one paid)");
  u->footer(
      "Each call is one signed UseModel transaction paying the model's price; the node answers\n"
      "only once it is in a block. Examples:\n"
      "  datadao model use 1 --prompt \"Just tried\" --tokens 24\n"
      "  datadao model use 3 --features 78,80,75,7.5,0.9,9.2,420,82,80");
  u->callback([&ctx, u] {
    uo.has_prompt = u->count("--prompt") > 0;
    use(ctx, uo);
  });

  static uint64_t sm = 0;
  static uint32_t slimit = 100;
  auto* s = model->add_subcommand("shares", "Who owns a model: share units per holder");
  s->add_option("model", sm, "Model id")->required();
  s->add_option("--limit", slimit, "At most this many holders (default 100)");
  s->footer("Example:\n  datadao model shares 1");
  s->callback([&ctx] { shares(ctx, sm, slimit); });

  static uint64_t rm = 0;
  auto* r = model->add_subcommand("rewards", "A model's uses, rewards paid and claimed");
  r->add_option("model", rm, "Model id")->required();
  r->footer("Example:\n  datadao model rewards 1");
  r->callback([&ctx] { rewards(ctx, rm); });

  static uint64_t tm = 0;
  static std::string to;
  static uint64_t amount = 0;
  auto* t = model->add_subcommand("transfer-shares", "Give share units of a model to someone");
  t->add_option("model", tm, "Model id")->required();
  t->add_option("--to", to, "Wallet name, public identity file or 64-hex account")->required();
  t->add_option("--amount", amount, "Share units (10^9 = the whole model)")->required();
  t->footer(
      "Rewards accrued before the transfer stay yours. Example:\n"
      "  datadao model transfer-shares 1 --to bob --amount 1000000");
  t->callback([&ctx] {
    const wallet::Wallet w = ctx.open_wallet();
    ledger::TransferShares p;
    p.model_id = tm;
    p.to = resolve_account(ctx, to);
    p.amount = amount;
    json out = submit_signed(ctx, w, p);
    emit(ctx, out,
         [&] { std::cout << "sent " << amount << " share units of model " << tm << "\n"; });
  });

  static uint64_t cm = 0;
  auto* rw = app.add_subcommand("rewards", "Rewards from the models you own");
  rw->require_subcommand(1);
  auto* c = rw->add_subcommand("claim", "Move accrued rewards (whole credits) to your credits");
  c->add_option("--model", cm, "Only this model (default: every model with a credit accrued)");
  c->footer("The sub-credit rest stays accrued to you. Example:\n  datadao rewards claim");
  c->callback([&ctx] { claim(ctx, cm); });
}

}  // namespace datadao::cli
