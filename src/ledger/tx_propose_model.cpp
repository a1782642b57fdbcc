// ProposeModel: a developer proposes a model on 1..4 pools and escrows the training fee. Rules:
// the pools exist and are distinct; kind and purpose [a-z0-9_]{1,32}; description <= 512 and spec
// <= 1024 bytes of UTF-8; fields distinct [a-z0-9_.]{1,32}, at most 16; the developer's box key
// is not zero; terms: consent_blocks 1..kMaxConsentBlocks, min_contributors >= 1, with DP
// epsilon_milli > 0 and delta_e12 in 1..10^10, without DP both 0; the sender holds >=
// training_fee credits. A personal model names one pool in which the sender has an attested
// contribution with points > 0, needs min_contributors = 1, and starts in kConsent. Otherwise the
// vote stays open until height + the longest voting_period of its pools (inclusive), so every
// pool gets at least its own voting period, and is tallied at the end of that block.
#include <algorithm>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const ProposeModel& p) {
  codec::Writer w(256 + p.description.size() + p.spec.size());
  detail::write_ids(w, p.pools);
  w.boolean(p.personal).str(p.kind).str(p.purpose).str(p.description);
  detail::write_strs(w, p.fields);
  w.str(p.spec);
  detail::write_terms(w, p.terms);
  w.fixed(p.developer_box_key);
  return w.take();
}

Result<ProposeModel> decode_payload(ByteView bytes, std::type_identity<ProposeModel>) {
  codec::Reader r(bytes, "propose_model payload");
  ProposeModel p;
  p.pools = detail::read_ids(r, "pools", kMaxModelPools);
  p.personal = r.boolean("personal");
  p.kind = r.str("kind", kMaxModelKindBytes);
  p.purpose = r.str("purpose", kMaxModelPurposeBytes);
  p.description = r.str("description", kMaxModelDescriptionBytes);
  p.fields = detail::read_strs(r, "fields", kMaxModelFields, kMaxModelFieldBytes);
  p.spec = r.str("spec", kMaxModelSpecBytes);
  p.terms = detail::read_terms(r);
  p.developer_box_key = r.fixed<crypto::kBoxPublicKeyBytes>("developer_box_key");
  DD_TRY(r.finish());
  return p;
}

namespace {

Status check_terms(const ModelTerms& t) {
  auto bad = [](const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); };
  if (t.consent_blocks < 1 || t.consent_blocks > kMaxConsentBlocks) {
    return bad("consent_blocks " + std::to_string(t.consent_blocks) + " is outside 1.." +
               std::to_string(kMaxConsentBlocks));
  }
  if (t.min_contributors < 1) return bad("min_contributors 0 must be >= 1");
  if (t.dp_required) {
    if (t.epsilon_milli == 0) return bad("epsilon_milli 0 must be > 0 when dp_required");
    if (t.delta_e12 < 1 || t.delta_e12 > kDeltaScale / 100) {
      return bad("delta_e12 " + std::to_string(t.delta_e12) + " is outside 1.." +
                 std::to_string(kDeltaScale / 100) + " (1e-12 <= delta <= 0.01)");
    }
  } else if (t.epsilon_milli != 0 || t.delta_e12 != 0) {
    return bad("epsilon_milli " + std::to_string(t.epsilon_milli) + " and delta_e12 " +
               std::to_string(t.delta_e12) + " must be 0 without dp_required");
  }
  return Status::Ok();
}

Status check_text(const ProposeModel& p) {
  auto bad = [](const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); };
  if (!is_model_word(p.kind, kMaxModelKindBytes)) {
    return bad("kind '" + p.kind + "' must match [a-z0-9_]{1,32}");
  }
  if (!is_model_word(p.purpose, kMaxModelPurposeBytes)) {
    return bad("purpose '" + p.purpose + "' must match [a-z0-9_]{1,32}");
  }
  for (const std::string& f : p.fields) {
    if (!is_model_word(f, kMaxModelFieldBytes, /*allow_dot=*/true)) {
      return bad("field '" + f + "' must match [a-z0-9_.]{1,32}");
    }
  }
  return Status::Ok();
}

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(ProposeModel p, payload_as<ProposeModel>(tx));
  auto fail = [](ErrorCode code, const std::string& why) {
    return make_error(code, "propose_model: " + why);
  };
  if (p.pools.empty()) return fail(ErrorCode::kInvalidArgument, "pools: names no pool");
  if (Status s = check_text(p); !s.ok()) return s.error().with_context("propose_model");
  if (Status s = check_terms(p.terms); !s.ok()) return s.error().with_context("propose_model");
  if (p.developer_box_key == crypto::PublicKey{}) {
    return fail(ErrorCode::kInvalidArgument, "developer_box_key is zero");
  }
  Model model;
  uint64_t voting_period = 0;
  for (uint64_t pool_id : p.pools) {
    std::optional<Pool> pool = detail::get_pool(m, pool_id);
    if (!pool) return fail(ErrorCode::kNotFound, "pool " + std::to_string(pool_id) + " not found");
    voting_period = std::max(voting_period, pool->params.voting_period);
    model.supply_at_creation.push_back(pool->token_supply);
  }
  if (p.personal) {
    if (p.pools.size() != 1) {
      return fail(ErrorCode::kInvalidArgument,
                  "a personal model names exactly one pool, not " + std::to_string(p.pools.size()));
    }
    if (p.terms.min_contributors != 1) {
      return fail(ErrorCode::kInvalidArgument,
                  "min_contributors " + std::to_string(p.terms.min_contributors) +
                      " must be 1 for a personal model (its proposer is its only contributor)");
    }
    const auto own = m.state().contributions_by(tx.sender);
    const bool scored = std::any_of(own.begin(), own.end(), [&](const Contribution& c) {
      return c.pool_id == p.pools[0] && c.attested && c.attestation.points > 0;
    });
    if (!scored) {
      return fail(ErrorCode::kFailedPrecondition,
                  "a personal model needs an attested contribution with points > 0 by sender " +
                      short_hex(tx.sender) + " in pool " + std::to_string(p.pools[0]));
    }
  }
  Account dev = *m.account(tx.sender);  // State checked the sender exists
  if (dev.credits < p.terms.training_fee) {
    return fail(ErrorCode::kFailedPrecondition,
                "training_fee " + std::to_string(p.terms.training_fee) + " exceeds the " +
                    std::to_string(dev.credits) + " credits of " + short_hex(tx.sender));
  }
  // Every check has passed: escrow the fee and record the model.
  dev.credits -= p.terms.training_fee;
  m.put_account(tx.sender, dev);
  model.id = detail::next_model_id(m);
  model.developer = tx.sender;
  model.developer_box_key = p.developer_box_key;
  model.pools = std::move(p.pools);
  model.personal = p.personal;
  model.kind = std::move(p.kind);
  model.purpose = std::move(p.purpose);
  model.description = std::move(p.description);
  model.fields = std::move(p.fields);
  model.spec = std::move(p.spec);
  model.terms = p.terms;
  model.yes.assign(model.pools.size(), 0);
  model.no.assign(model.pools.size(), 0);
  model.created_height = ctx.height;
  model.closed_height = ctx.height;
  if (model.personal) {
    model.status = ModelStatus::kConsent;
    model.consent_deadline = ctx.height + model.terms.consent_blocks;
    m.put_entry(detail::model_due_key(model.consent_deadline, model.id), Bytes{});
  } else {
    model.status = ModelStatus::kVoting;
    model.vote_deadline = ctx.height + voting_period;
    m.put_entry(detail::model_due_key(model.vote_deadline, model.id), Bytes{});
  }
  for (uint64_t pool_id : model.pools) {
    m.put_entry(detail::pool_model_key(pool_id, model.id), Bytes{});
  }
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const ProposeModel& p) {
  return {{"pools", p.pools},
          {"personal", p.personal},
          {"kind", p.kind},
          {"purpose", p.purpose},
          {"description", p.description},
          {"fields", p.fields},
          {"spec", p.spec},
          {"terms", to_json(p.terms)},
          {"developer_box_key", codec::to_hex(p.developer_box_key)}};
}

constinit const TxTypeInfo kProposeModelInfo =
    tx_type_info<ProposeModel>(TxType::kProposeModel, "propose_model", &apply);

}  // namespace datadao::ledger
