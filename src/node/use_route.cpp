// POST /v1/models/<id>/use: metered inference, paid call by paid call (serving.hpp).
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/node.hpp"
#include "datadao/node/serving.hpp"
#include "http_util.hpp"

namespace datadao::node {

using nlohmann::json;

crypto::Hash32 request_hash(uint64_t model_id, std::string_view op, const json& input,
                            std::string_view salt) {
  codec::Writer w(64 + op.size() + salt.size());
  w.str(kUseDomainTag).u64(model_id).str(op).str(input.dump()).str(salt);
  return crypto::blake2b256(w.take());
}

namespace {

Error bad(const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); }

struct UseRequest {
  std::string op;
  json input;
  std::string salt;
  crypto::Bytes tx_bytes;
  ledger::Transaction tx;
  ledger::UseModel use;
};

Result<UseRequest> parse_request(const std::string& body, uint64_t model_id) {
  // Depth is limited while parsing (the parser itself does not recurse), so nothing below walks
  // a deeply nested document.
  bool too_deep = false;
  json j = json::parse(
      body,
      [&too_deep](int depth, json::parse_event_t, json&) {
        if (depth > kMaxInputDepth + 1) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep) {
    return make_error(ErrorCode::kLimitExceeded,
                      "body nests deeper than " + std::to_string(kMaxInputDepth + 1) + " levels");
  }
  if (j.is_discarded() || !j.is_object()) return bad("body is not a JSON object");
  for (const char* field : {"op", "tx"}) {
    if (!j.contains(field) || !j[field].is_string()) {
      return bad(std::string("body needs \"") + field + "\" (a string)");
    }
  }
  if (!j.contains("input") || !j["input"].is_object()) {
    return bad("body needs \"input\" (an object)");
  }
  UseRequest r;
  r.op = j["op"].get<std::string>();
  r.input = j["input"];
  if (j.contains("salt")) {
    if (!j["salt"].is_string() || j["salt"].get_ref<const std::string&>().size() > kMaxSaltBytes) {
      return bad("salt must be a string of at most " + std::to_string(kMaxSaltBytes) + " bytes");
    }
    r.salt = j["salt"].get<std::string>();
  }
  DD_ASSIGN(r.tx_bytes, codec::from_base64(j["tx"].get<std::string>(), "tx"));
  DD_ASSIGN(r.tx, ledger::decode(r.tx_bytes));
  if (r.tx.type != ledger::TxType::kUseModel) {
    return bad(std::string("tx is a ") + std::string(ledger::type_name(r.tx.type)) +
               " transaction, not use_model");
  }
  DD_ASSIGN(r.use, ledger::decode_payload(r.tx.payload, std::type_identity<ledger::UseModel>{}));
  if (r.use.model_id != model_id) {
    return bad("tx pays for model " + std::to_string(r.use.model_id) + ", not model " +
               std::to_string(model_id));
  }
  if (r.use.request_hash != request_hash(model_id, r.op, r.input, r.salt)) {
    return bad("tx request_hash does not match this request (op, input and salt)");
  }
  return r;
}

uint64_t seed_of(const crypto::Hash32& tx_id) {
  uint64_t s = 0;
  for (int i = 0; i < 8; ++i) s |= static_cast<uint64_t>(tx_id[i]) << (8 * i);
  return s;
}

}  // namespace

void register_use_routes(Routes& routes, Node& node) {
  routes.post(R"(/v1/models/(\d+)/use)", [&node](const httplib::Request& req,
                                                 httplib::Response& res,
                                                 const httplib::ContentReader& reader) {
    auto id = u64_param(req.matches[1], "model id");
    if (!id.ok()) return send_error(res, id.error());
    auto body = read_body(reader, kMaxUseBodyBytes);
    if (!body.ok()) return send_error(res, body.error());
    auto r = parse_request(*body, *id);
    if (!r.ok()) return send_error(res, r.error());
    const crypto::Hash32 tx_id = ledger::tx_id(r->tx);
    struct Seen {
      std::optional<ledger::Model> model;
      std::optional<ledger::TxLocation> paid;
    };
    Seen seen = node.read([&](ledger::Chain& chain) {
      Seen s;
      s.model = chain.state().model(*id);
      auto loc = chain.locate(tx_id);
      if (loc.ok()) s.paid = *loc;
      return s;
    });
    const std::string what = "model " + std::to_string(*id);
    if (!seen.model) return send_error(res, make_error(ErrorCode::kNotFound, what + " not found"));
    const ledger::Model& model = *seen.model;
    if (model.status != ledger::ModelStatus::kPublished) {
      return send_error(
          res, make_error(ErrorCode::kFailedPrecondition,
                          what + " is " + std::string(ledger::model_status_name(model.status)) +
                              ", not published"));
    }
    if (model.server_sealed_key.empty() || model.server_box_key != node.serving_key().public_key) {
      return send_error(
          res, make_error(ErrorCode::kFailedPrecondition, what + " is not served by this node"));
    }
    InferenceEngine* engine = node.inference_engine();
    if (engine == nullptr) {
      return send_error(res,
                        Error{ErrorCode::kFailedPrecondition,
                              "this node runs no inference engine (datadao-ml serves models)"});
    }
    if (Status s = engine->check(model, r->op, r->input); !s.ok()) {
      return send_error(res, s.error());
    }
    uint64_t height = 0;
    if (seen.paid) {
      height = seen.paid->height;  // a retry of a paid call: serve it again, charge nothing
    } else {
      auto outcome = node.submit(r->tx_bytes, /*wait=*/true);
      if (!outcome.ok()) return send_error(res, outcome.error());
      if (outcome->status == TxOutcome::Status::kRejected) {
        json e = {{"error",
                   {{"code", "payment_rejected"},
                    {"message", "the call was not paid: " +
                                    (outcome->error ? outcome->error->message : "rejected")}}}};
        return send_json(res, e, 402);
      }
      if (outcome->status != TxOutcome::Status::kIncluded) {
        json e = {{"error",
                   {{"code", "payment_pending"},
                    {"message",
                     "the payment is not in a block yet; retry with the same tx "
                     "(it will not be charged twice)"}}}};
        return send_json(res, e, 504);
      }
      height = outcome->height;
    }
    auto out = engine->run(model, r->op, r->input, seed_of(tx_id));
    if (!out.ok()) {
      // Paid but not served: the same tx re-serves it once the cause is fixed.
      return send_error(res,
                        out.error().with_context("the call is paid (tx " + codec::to_hex(tx_id) +
                                                 "); retry with the same tx"));
    }
    send_json(res, {{"model_id", *id},
                    {"op", r->op},
                    {"tx_id", codec::to_hex(tx_id)},
                    {"height", height},
                    {"output", *out}});
  });
}

}  // namespace datadao::node
