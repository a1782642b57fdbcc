#include "model_state.hpp"

#include <algorithm>
#include <cstring>

#include "key_codec.hpp"
#include "pool_state.hpp"

namespace datadao::ledger {

std::string_view model_status_name(ModelStatus s) {
  switch (s) {
    case ModelStatus::kVoting:
      return "voting";
    case ModelStatus::kConsent:
      return "consent";
    case ModelStatus::kTraining:
      return "training";
    case ModelStatus::kPublished:
      return "published";
    case ModelStatus::kRejected:
      return "rejected";
    case ModelStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view attribution_method_name(AttributionMethod m) {
  switch (m) {
    case AttributionMethod::kKnnShapley:
      return "knn_shapley";
    case AttributionMethod::kTracIn:
      return "tracin";
  }
  return "unknown";
}

unsigned __int128 accrued_units(const Model& model, const ShareHolding& holding) {
  return holding.owed_units + static_cast<unsigned __int128>(holding.shares) *
                                  (model.reward_per_share - holding.reward_debt);
}

uint64_t claimable_credits(const Model& model, const ShareHolding& holding) {
  // accrued <= rewards_paid × kRewardUnitsPerCredit, so the quotient fits in u64.
  return static_cast<uint64_t>(accrued_units(model, holding) / kRewardUnitsPerCredit);
}

bool policy_matches(const ConsentPolicy& policy, const Model& model) {
  if (!policy.enabled || model.personal) return false;
  const ModelTerms& t = model.terms;
  if (policy.require_dp && (!t.dp_required || t.epsilon_milli > policy.max_epsilon_milli)) {
    return false;
  }
  if (t.price_per_call < policy.min_price_per_call) return false;
  if (std::find(policy.purposes.begin(), policy.purposes.end(), model.purpose) ==
      policy.purposes.end()) {
    return false;
  }
  if (model.pools.size() < 2) return true;
  for (uint64_t pool : model.pools) {
    if (std::find(policy.join_pools.begin(), policy.join_pools.end(), pool) ==
        policy.join_pools.end()) {
      return false;
    }
  }
  return true;
}

namespace detail {
namespace {

bool has_dups(std::vector<uint64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return std::adjacent_find(ids.begin(), ids.end()) != ids.end();
}

// Reads a u32 count and checks it against `max` and the bytes left (each item >= min_item).
uint32_t read_count(codec::Reader& r, std::string_view field, size_t max, size_t min_item) {
  uint32_t n = r.u32(field);
  if (r.ok() && n > max) {
    r.fail(ErrorCode::kLimitExceeded, field,
           std::to_string(n) + " items exceed the limit of " + std::to_string(max));
  } else if (r.ok() && uint64_t{n} * min_item > r.remaining()) {
    r.fail(ErrorCode::kInvalidArgument, field,
           "truncated: " + std::to_string(n) + " items need at least " +
               std::to_string(uint64_t{n} * min_item) + " bytes, " + std::to_string(r.remaining()) +
               " left");
  }
  return r.ok() ? n : 0;
}

}  // namespace

// ---- Keys --------------------------------------------------------------------------------------

Bytes model_key(uint64_t model_id) { return Key(kTagModel).id(model_id).take(); }
Bytes pool_model_key(uint64_t pool_id, uint64_t model_id) {
  return Key(kTagPoolModel).id(pool_id).id(model_id).take();
}
Bytes consent_key(uint64_t model_id, uint64_t contribution_id) {
  return Key(kTagConsent).id(model_id).id(contribution_id).take();
}
Bytes denied_key(uint64_t model_id, uint64_t contribution_id) {
  return Key(kTagDenied).id(model_id).id(contribution_id).take();
}
Bytes consent_count_key(uint64_t model_id, const AccountId& contributor, uint64_t pool_id) {
  return Key(kTagConsentCount).id(model_id).fixed(contributor).id(pool_id).take();
}
Bytes training_set_key(uint64_t model_id, uint64_t contribution_id) {
  return Key(kTagTrainingSet).id(model_id).id(contribution_id).take();
}
Bytes policy_key(const AccountId& account) { return Key(kTagPolicy).fixed(account).take(); }
Bytes model_due_key(uint64_t deadline, uint64_t model_id) {
  return Key(kTagModelDue).id(deadline).id(model_id).take();
}
Bytes model_vote_key(uint64_t model_id, uint64_t pool_id, const AccountId& voter) {
  return Key(kTagModelVote).id(model_id).id(pool_id).fixed(voter).take();
}
Bytes contributor_count_key(uint64_t model_id, const AccountId& contributor) {
  return Key(kTagContributorCount).id(model_id).fixed(contributor).take();
}
Bytes holding_key(uint64_t model_id, const AccountId& account) {
  return Key(kTagHolding).id(model_id).fixed(account).take();
}
Bytes held_by_key(const AccountId& account, uint64_t model_id) {
  return Key(kTagHeldBy).fixed(account).id(model_id).take();
}

// ---- Field codecs ------------------------------------------------------------------------------

void write_ids(codec::Writer& w, const std::vector<uint64_t>& ids) {
  w.u32(static_cast<uint32_t>(ids.size()));
  for (uint64_t id : ids) w.u64(id);
}

std::vector<uint64_t> read_ids(codec::Reader& r, std::string_view field, size_t max) {
  std::vector<uint64_t> ids;
  const uint32_t n = read_count(r, field, max, 8);
  ids.reserve(n);
  for (uint32_t i = 0; r.ok() && i < n; ++i) ids.push_back(r.u64(field));
  if (r.ok() && has_dups(ids)) r.fail(ErrorCode::kInvalidArgument, field, "repeats an id");
  return ids;
}

std::vector<uint64_t> read_batch(codec::Reader& r, size_t max) {
  std::vector<uint64_t> ids = read_ids(r, "contribution_ids", max);
  if (r.ok() && ids.empty()) {
    r.fail(ErrorCode::kInvalidArgument, "contribution_ids", "must list at least one id");
  }
  return ids;
}

void write_strs(codec::Writer& w, const std::vector<std::string>& items) {
  w.u32(static_cast<uint32_t>(items.size()));
  for (const std::string& s : items) w.str(s);
}

std::vector<std::string> read_strs(codec::Reader& r, std::string_view field, size_t max,
                                   size_t max_len) {
  std::vector<std::string> out;
  const uint32_t n = read_count(r, field, max, 4);
  out.reserve(n);
  for (uint32_t i = 0; r.ok() && i < n; ++i) out.push_back(r.str(field, max_len));
  std::vector<std::string> sorted = out;
  std::sort(sorted.begin(), sorted.end());
  if (r.ok() && std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    r.fail(ErrorCode::kInvalidArgument, field, "repeats an item");
  }
  return out;
}

void write_terms(codec::Writer& w, const ModelTerms& t) {
  w.boolean(t.dp_required)
      .u64(t.epsilon_milli)
      .u64(t.delta_e12)
      .u32(t.min_contributors)
      .u64(t.price_per_call)
      .u64(t.training_fee)
      .u64(t.consent_blocks)
      .u8(static_cast<uint8_t>(t.attribution));
}

ModelTerms read_terms(codec::Reader& r) {
  ModelTerms t;
  t.dp_required = r.boolean("dp_required");
  t.epsilon_milli = r.u64("epsilon_milli");
  t.delta_e12 = r.u64("delta_e12");
  t.min_contributors = r.u32("min_contributors");
  t.price_per_call = r.u64("price_per_call");
  t.training_fee = r.u64("training_fee");
  t.consent_blocks = r.u64("consent_blocks");
  const uint8_t method = r.u8("attribution");
  if (r.ok() && method != static_cast<uint8_t>(AttributionMethod::kKnnShapley) &&
      method != static_cast<uint8_t>(AttributionMethod::kTracIn)) {
    r.fail(ErrorCode::kInvalidArgument, "attribution",
           "unknown method " + std::to_string(method) + " (1 knn_shapley, 2 tracin)");
  }
  t.attribution = static_cast<AttributionMethod>(method);
  return t;
}

void write_policy_rules(codec::Writer& w, const ConsentPolicy& p) {
  w.boolean(p.enabled).boolean(p.require_dp).u64(p.max_epsilon_milli).u64(p.min_price_per_call);
  write_strs(w, p.purposes);
  write_ids(w, p.join_pools);
}

ConsentPolicy read_policy_rules(codec::Reader& r) {
  ConsentPolicy p;
  p.enabled = r.boolean("enabled");
  p.require_dp = r.boolean("require_dp");
  p.max_epsilon_milli = r.u64("max_epsilon_milli");
  p.min_price_per_call = r.u64("min_price_per_call");
  p.purposes = read_strs(r, "purposes", kMaxPolicyPurposes, kMaxModelPurposeBytes);
  p.join_pools = read_ids(r, "join_pools", kMaxPolicyPools);
  return p;
}

void write_metrics(codec::Writer& w, const std::vector<ModelMetric>& metrics) {
  w.u32(static_cast<uint32_t>(metrics.size()));
  for (const ModelMetric& mt : metrics) w.str(mt.name).u64(static_cast<uint64_t>(mt.value_micro));
}

std::vector<ModelMetric> read_metrics(codec::Reader& r) {
  std::vector<ModelMetric> out;
  const uint32_t n = read_count(r, "metrics", kMaxModelMetrics, 12);
  for (uint32_t i = 0; r.ok() && i < n; ++i) {
    ModelMetric mt;
    mt.name = r.str("metric name", kMaxMetricNameBytes);
    mt.value_micro = static_cast<int64_t>(r.u64("metric value_micro"));
    if (r.ok() && !is_model_word(mt.name, kMaxMetricNameBytes)) {
      r.fail(ErrorCode::kInvalidArgument, "metric name",
             "'" + mt.name + "' must match [a-z0-9_]{1,32}");
    }
    for (const ModelMetric& seen : out) {
      if (r.ok() && seen.name == mt.name) {
        r.fail(ErrorCode::kInvalidArgument, "metrics", "repeats the name '" + mt.name + "'");
      }
    }
    out.push_back(std::move(mt));
  }
  return out;
}

bool is_model_word(std::string_view s, size_t max_len, bool allow_dot) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dot && c == '.');
  });
}

// ---- Record codecs -----------------------------------------------------------------------------

void write_u128(codec::Writer& w, unsigned __int128 v) {
  w.u64(static_cast<uint64_t>(v >> 64)).u64(static_cast<uint64_t>(v));
}

unsigned __int128 read_u128(codec::Reader& r, std::string_view field) {
  const uint64_t hi = r.u64(field);
  const uint64_t lo = r.u64(field);
  return (static_cast<unsigned __int128>(hi) << 64) | lo;
}

Bytes encode_model(const Model& m) {
  codec::Writer w;
  w.fixed(m.developer).fixed(m.developer_box_key);
  write_ids(w, m.pools);
  w.boolean(m.personal).str(m.kind).str(m.purpose).str(m.description);
  write_strs(w, m.fields);
  w.str(m.spec);
  write_terms(w, m.terms);
  w.u8(static_cast<uint8_t>(m.status))
      .u64(m.created_height)
      .u64(m.vote_deadline)
      .u64(m.consent_deadline);
  // supply_at_creation, yes and no have one entry per pool: no count of their own.
  for (size_t i = 0; i < m.pools.size(); ++i) {
    w.u64(m.supply_at_creation[i]).u64(m.yes[i]).u64(m.no[i]);
  }
  w.u64(m.consents)
      .u64(m.consenting_contributors)
      .u64(m.training_set_size)
      .fixed(m.weights_hash)
      .u64(m.weights_size)
      .bytes(crypto::as_bytes(m.weights_sealed_key))
      .u64(m.epsilon_spent_milli)
      .u64(m.steps);
  write_metrics(w, m.metrics);
  w.fixed(m.server_box_key).bytes(crypto::as_bytes(m.server_sealed_key));
  w.u64(m.closed_height)
      .u64(m.shares_assigned)
      .u64(m.share_holders)
      .u64(m.uses)
      .u64(m.rewards_paid)
      .u64(m.rewards_claimed);
  write_u128(w, m.reward_per_share);
  write_u128(w, m.reward_remainder);
  return w.take();
}

Result<Model> decode_model(uint64_t id, ByteView value) {
  codec::Reader r(value, "model " + std::to_string(id));
  Model m;
  m.id = id;
  m.developer = r.fixed<32>("developer");
  m.developer_box_key = r.fixed<32>("developer_box_key");
  m.pools = read_ids(r, "pools", kMaxModelPools);
  if (r.ok() && m.pools.empty()) r.fail(ErrorCode::kInvalidArgument, "pools", "empty");
  m.personal = r.boolean("personal");
  m.kind = r.str("kind", kMaxModelKindBytes);
  m.purpose = r.str("purpose", kMaxModelPurposeBytes);
  m.description = r.str("description", kMaxModelDescriptionBytes);
  m.fields = read_strs(r, "fields", kMaxModelFields, kMaxModelFieldBytes);
  m.spec = r.str("spec", kMaxModelSpecBytes);
  m.terms = read_terms(r);
  const uint8_t status = r.u8("status");
  if (r.ok() && status > static_cast<uint8_t>(ModelStatus::kCancelled)) {
    r.fail(ErrorCode::kInvalidArgument, "status", "unknown status " + std::to_string(status));
  }
  m.status = static_cast<ModelStatus>(status);
  m.created_height = r.u64("created_height");
  m.vote_deadline = r.u64("vote_deadline");
  m.consent_deadline = r.u64("consent_deadline");
  for (size_t i = 0; r.ok() && i < m.pools.size(); ++i) {
    m.supply_at_creation.push_back(r.u64("supply_at_creation"));
    m.yes.push_back(r.u64("yes"));
    m.no.push_back(r.u64("no"));
  }
  m.consents = r.u64("consents");
  m.consenting_contributors = r.u64("consenting_contributors");
  m.training_set_size = r.u64("training_set_size");
  m.weights_hash = r.fixed<32>("weights_hash");
  m.weights_size = r.u64("weights_size");
  m.weights_sealed_key = r.bytes("weights_sealed_key", kSealedFileKeyBytes);
  m.epsilon_spent_milli = r.u64("epsilon_spent_milli");
  m.steps = r.u64("steps");
  m.metrics = read_metrics(r);
  m.server_box_key = r.fixed<32>("server_box_key");
  m.server_sealed_key = r.bytes("server_sealed_key", kSealedFileKeyBytes);
  m.closed_height = r.u64("closed_height");
  m.shares_assigned = r.u64("shares_assigned");
  m.share_holders = r.u64("share_holders");
  m.uses = r.u64("uses");
  m.rewards_paid = r.u64("rewards_paid");
  m.rewards_claimed = r.u64("rewards_claimed");
  m.reward_per_share = read_u128(r, "reward_per_share");
  m.reward_remainder = read_u128(r, "reward_remainder");
  if (r.ok() && m.shares_assigned > kShareSupply) {
    r.fail(
        ErrorCode::kInvalidArgument, "shares_assigned",
        std::to_string(m.shares_assigned) + " exceeds the supply " + std::to_string(kShareSupply));
  }
  if (r.ok() && m.rewards_claimed > m.rewards_paid) {
    r.fail(ErrorCode::kInvalidArgument, "rewards_claimed",
           std::to_string(m.rewards_claimed) + " exceeds rewards_paid " +
               std::to_string(m.rewards_paid));
  }
  DD_TRY(r.finish());
  return m;
}

Bytes encode_holding(const ShareHolding& h) {
  codec::Writer w(40);
  w.u64(h.shares);
  write_u128(w, h.reward_debt);
  write_u128(w, h.owed_units);
  return w.take();
}

Result<ShareHolding> decode_holding(ByteView value) {
  codec::Reader r(value, "share holding");
  ShareHolding h;
  h.shares = r.u64("shares");
  h.reward_debt = read_u128(r, "reward_debt");
  h.owed_units = read_u128(r, "owed_units");
  if (r.ok() && h.shares > kShareSupply) {
    r.fail(ErrorCode::kInvalidArgument, "shares",
           std::to_string(h.shares) + " exceeds the supply " + std::to_string(kShareSupply));
  }
  DD_TRY(r.finish());
  return h;
}

Bytes encode_consent(const ConsentRecord& c) {
  codec::Writer w(9);
  w.boolean(c.by_policy).u64(c.height);
  return w.take();
}

Result<ConsentRecord> decode_consent(ByteView value) {
  codec::Reader r(value, "consent");
  ConsentRecord c;
  c.by_policy = r.boolean("by_policy");
  c.height = r.u64("height");
  DD_TRY(r.finish());
  return c;
}

Bytes encode_policy(const ConsentPolicy& p) {
  codec::Writer w;
  write_policy_rules(w, p);
  w.u64(p.height);
  return w.take();
}

Result<ConsentPolicy> decode_policy(ByteView value) {
  codec::Reader r(value, "consent policy");
  ConsentPolicy p = read_policy_rules(r);
  p.height = r.u64("height");
  DD_TRY(r.finish());
  return p;
}

Status validate_model_entry(ByteView key, ByteView value) {
  auto need = [&](size_t n) { return key.size() == n; };
  auto marker = [&](size_t n, std::string_view what) -> Status {
    if (!need(n) || !value.empty()) {
      return bad_key(key, std::string(what) + " must be " + std::to_string(n) + " bytes -> ''");
    }
    return Status::Ok();
  };
  switch (key[0]) {
    case kTagModel:
      if (!need(9)) return bad_key(key, "model key must be 9 bytes");
      DD_TRY(decode_model(key_id(key, 1), value));
      return Status::Ok();
    case kTagPoolModel:
      return marker(17, "pool model entry");
    case kTagConsent:
      if (!need(17)) return bad_key(key, "consent key must be 17 bytes");
      DD_TRY(decode_consent(value));
      return Status::Ok();
    case kTagDenied:
      return marker(17, "opt-out entry");
    case kTagConsentCount: {
      if (!need(49)) return bad_key(key, "consent count key must be 49 bytes");
      DD_ASSIGN(uint64_t n, decode_u64(value, "consent count"));
      if (n == 0) return bad_key(key, "a consent count is never stored as 0");
      return Status::Ok();
    }
    case kTagTrainingSet:
      return marker(17, "training set entry");
    case kTagPolicy:
      if (!need(33)) return bad_key(key, "consent policy key must be 33 bytes");
      DD_TRY(decode_policy(value));
      return Status::Ok();
    case kTagModelDue:
      return marker(17, "model deadline entry");
    case kTagModelVote:
      if (!need(49)) return bad_key(key, "model vote key must be 49 bytes");
      DD_TRY(decode_vote(value));
      return Status::Ok();
    case kTagContributorCount: {
      if (!need(41)) return bad_key(key, "training set contributor key must be 41 bytes");
      DD_ASSIGN(uint64_t n, decode_u64(value, "training set contributor count"));
      if (n == 0) return bad_key(key, "a training set contributor count is never stored as 0");
      return Status::Ok();
    }
    case kTagHolding: {
      if (!need(41)) return bad_key(key, "share holding key must be 41 bytes");
      DD_ASSIGN(ShareHolding h, decode_holding(value));
      if (h.shares == 0 && h.owed_units == 0) {
        return bad_key(key, "an empty share holding is never stored");
      }
      return Status::Ok();
    }
    case kTagHeldBy:
      return marker(41, "models held entry");
    case kTagModelCounter: {
      std::string_view name(reinterpret_cast<const char*>(key.data() + 1), key.size() - 1);
      if (name != kCounterModel) return bad_key(key, "unknown counter");
      DD_TRY(decode_u64(value, "counter"));
      return Status::Ok();
    }
    default:
      return bad_key(key, "unknown model tag");
  }
}

// ---- Typed access and rules --------------------------------------------------------------------

std::optional<Model> get_model(const StateMutator& m, uint64_t model_id) {
  return m.state().model(model_id);
}

uint64_t next_model_id(StateMutator& m) {
  const Bytes key = Key(kTagModelCounter).text(kCounterModel).take();
  const uint64_t id = get_u64(m, key, 1);
  m.put_entry(key, encode_u64(id + 1));
  return id;
}

void put_model(StateMutator& m, const Model& model) {
  m.put_entry(model_key(model.id), encode_model(model));
}

std::optional<ShareHolding> get_holding(const StateMutator& m, uint64_t model_id,
                                        const AccountId& account) {
  return m.state().share_holding(model_id, account);
}

void put_holding(StateMutator& m, uint64_t model_id, const AccountId& account,
                 const ShareHolding& h) {
  const Bytes key = holding_key(model_id, account);
  if (h.shares == 0 && h.owed_units == 0) {
    m.put_entry(key, std::nullopt);
    m.put_entry(held_by_key(account, model_id), std::nullopt);
    return;
  }
  if (!m.entry(crypto::as_bytes(key))) m.put_entry(held_by_key(account, model_id), Bytes{});
  m.put_entry(key, encode_holding(h));
}

void settle(const Model& model, ShareHolding& h) {
  h.owed_units +=
      static_cast<unsigned __int128>(h.shares) * (model.reward_per_share - h.reward_debt);
  h.reward_debt = model.reward_per_share;
}

Status credit(StateMutator& m, const AccountId& account, uint64_t amount) {
  const Account* a = m.account(account);
  Account next = a ? *a : Account{};
  if (next.credits > UINT64_MAX - amount) {
    return make_error(ErrorCode::kInternal, "crediting " + std::to_string(amount) + " to account " +
                                                short_hex(account) + " would overflow");
  }
  next.credits += amount;
  m.put_account(account, next);
  return Status::Ok();
}

Result<Model> model_taking_consent(const StateMutator& m, uint64_t model_id, uint64_t height) {
  std::optional<Model> model = get_model(m, model_id);
  if (!model) return make_error(ErrorCode::kNotFound, "no such model");
  switch (model->status) {
    case ModelStatus::kVoting:
      return std::move(*model);
    case ModelStatus::kConsent:
      if (height > model->consent_deadline) {
        return make_error(
            ErrorCode::kFailedPrecondition,
            "the consent window closed at height " + std::to_string(model->consent_deadline));
      }
      return std::move(*model);
    case ModelStatus::kTraining:
    case ModelStatus::kPublished:
      // Training starts at the end of the consent deadline's block.
      return make_error(ErrorCode::kFailedPrecondition,
                        "consent is frozen: training started at height " +
                            std::to_string(model->consent_deadline));
    case ModelStatus::kRejected:
    case ModelStatus::kCancelled:
      break;
  }
  return make_error(ErrorCode::kFailedPrecondition,
                    "the model was " + std::string(model_status_name(model->status)) +
                        " at height " + std::to_string(model->closed_height));
}

Result<Model> model_in_training(const StateMutator& m, uint64_t model_id, const AccountId& sender) {
  std::optional<Model> model = get_model(m, model_id);
  if (!model) return make_error(ErrorCode::kNotFound, "no such model");
  std::optional<Pool> pool = get_pool(m, model->pools[0]);
  if (!pool) {
    return make_error(ErrorCode::kInternal,
                      "its pool " + std::to_string(model->pools[0]) + " is missing");
  }
  if (sender != pool->validator) {
    return make_error(ErrorCode::kPermissionDenied,
                      "sender " + short_hex(sender) +
                          " is not the model's runner (the validator of pool " +
                          std::to_string(pool->id) + ")");
  }
  if (model->status != ModelStatus::kTraining) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "the model is " + std::string(model_status_name(model->status)) + ", not training");
  }
  return std::move(*model);
}

Result<Model> published_model(const StateMutator& m, uint64_t model_id) {
  std::optional<Model> model = get_model(m, model_id);
  if (!model) return make_error(ErrorCode::kNotFound, "no such model");
  if (model->status != ModelStatus::kPublished) {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "the model is " + std::string(model_status_name(model->status)) + ", not published");
  }
  return std::move(*model);
}

Result<Contribution> consentable(const StateMutator& m, const Model& model, uint64_t id) {
  std::optional<Contribution> c = get_contribution(m, id);
  const std::string what = "contribution " + std::to_string(id);
  if (!c) return make_error(ErrorCode::kNotFound, what + " not found");
  if (!c->attested || c->attestation.points == 0) {
    return make_error(ErrorCode::kFailedPrecondition,
                      what + (c->attested ? " scored 0 points" : " is not attested yet"));
  }
  if (std::find(model.pools.begin(), model.pools.end(), c->pool_id) == model.pools.end()) {
    return make_error(ErrorCode::kInvalidArgument,
                      what + " is in pool " + std::to_string(c->pool_id) + ", which model " +
                          std::to_string(model.id) + " does not draw on");
  }
  return std::move(*c);
}

size_t pools_consented(const StateMutator& m, const Model& model, const AccountId& contributor) {
  size_t n = 0;
  for (uint64_t pool : model.pools) {
    if (m.entry(crypto::as_bytes(consent_count_key(model.id, contributor, pool)))) ++n;
  }
  return n;
}

void add_consent(StateMutator& m, Model& model, const Contribution& c, const ConsentRecord& rec) {
  const Bytes ck = consent_count_key(model.id, c.contributor, c.pool_id);
  const uint64_t count = get_u64(m, ck, 0);
  if (count == 0 && pools_consented(m, model, c.contributor) + 1 == model.pools.size()) {
    model.consenting_contributors += 1;  // this pool was the last one missing
  }
  m.put_entry(ck, encode_u64(count + 1));
  m.put_entry(consent_key(model.id, c.id), encode_consent(rec));
  model.consents += 1;
}

void remove_consent(StateMutator& m, Model& model, const Contribution& c) {
  const Bytes ck = consent_count_key(model.id, c.contributor, c.pool_id);
  const uint64_t count = get_u64(m, ck, 0);
  if (count == 1 && pools_consented(m, model, c.contributor) == model.pools.size()) {
    model.consenting_contributors -= 1;  // this pool's last consent goes
  }
  m.put_entry(ck, count > 1 ? std::optional<Bytes>(encode_u64(count - 1)) : std::nullopt);
  m.put_entry(consent_key(model.id, c.id), std::nullopt);
  model.consents -= 1;
}

namespace {

// Every pool reaches its quorum of the supply at proposal time, with more yes than no.
bool vote_passes(const StateMutator& m, const Model& model) {
  for (size_t i = 0; i < model.pools.size(); ++i) {
    std::optional<Pool> pool = get_pool(m, model.pools[i]);
    if (!pool) return false;
    const unsigned __int128 cast = static_cast<unsigned __int128>(model.yes[i]) + model.no[i];
    const bool quorum =
        cast * kBasisPoints >=
        static_cast<unsigned __int128>(pool->params.quorum_bps) * model.supply_at_creation[i];
    if (!quorum || model.yes[i] <= model.no[i]) return false;
  }
  return true;
}

void close(StateMutator& m, Model& model, ModelStatus status, uint64_t height) {
  model.status = status;
  model.closed_height = height;
  if (status == ModelStatus::kRejected || status == ModelStatus::kCancelled) {
    // Conservation (credits + escrow = genesis supply) rules out overflow.
    (void)credit(m, model.developer, model.terms.training_fee);
  }
}

}  // namespace

void close_due_models(StateMutator& m, const BlockContext& ctx) {
  std::vector<Bytes> due;
  m.state().scan(crypto::as_bytes(Key(kTagModelDue).take()), [&](const Bytes& k, const Bytes&) {
    if (key_id(k, 1) > ctx.height) return false;
    due.push_back(k);
    return true;
  });
  for (const Bytes& k : due) {
    m.put_entry(k, std::nullopt);
    std::optional<Model> model = get_model(m, key_id(k, 9));
    if (!model) continue;
    if (model->status == ModelStatus::kVoting) {
      if (vote_passes(m, *model)) {
        model->status = ModelStatus::kConsent;
        model->closed_height = ctx.height;
        model->consent_deadline = ctx.height + model->terms.consent_blocks;
        m.put_entry(model_due_key(model->consent_deadline, model->id), Bytes{});
      } else {
        close(m, *model, ModelStatus::kRejected, ctx.height);
      }
    } else if (model->status == ModelStatus::kConsent) {
      const bool enough = model->consenting_contributors >= model->terms.min_contributors;
      close(m, *model, enough ? ModelStatus::kTraining : ModelStatus::kCancelled, ctx.height);
    } else {
      continue;
    }
    put_model(m, *model);
  }
}

}  // namespace detail

// ---- State queries -----------------------------------------------------------------------------

namespace {
using detail::opt;

// Ids from the last 8 bytes of keys under `prefix`, id > after, at most limit. Keys under the
// prefix end in the id, so `prefix | after` is where to start.
std::vector<uint64_t> ids_under(const State& s, Bytes prefix, uint64_t after, size_t limit) {
  std::vector<uint64_t> out;
  if (limit == 0) return out;
  Bytes start;
  if (after > 0) start = detail::Key(prefix).id(after).take();
  s.scan(
      crypto::as_bytes(prefix),
      [&](const Bytes& k, const Bytes&) {
        out.push_back(detail::key_id(k, k.size() - 8));
        return out.size() < limit;
      },
      crypto::as_bytes(start));
  return out;
}

Bytes prefix_of(uint8_t tag, uint64_t id) { return detail::Key(tag).id(id).take(); }
}  // namespace

std::optional<Model> State::model(uint64_t id) const {
  auto v = entry(crypto::as_bytes(detail::model_key(id)));
  if (!v) return std::nullopt;
  return opt(detail::decode_model(id, crypto::as_bytes(*v)));
}

std::vector<Model> State::models(uint64_t after, size_t limit) const {
  std::vector<Model> out;
  for (uint64_t id : ids_under(*this, Bytes{detail::kTagModel}, after, limit)) {
    if (auto m = model(id)) out.push_back(std::move(*m));
  }
  return out;
}

std::vector<Model> State::models_of_pool(uint64_t pool_id, uint64_t after, size_t limit) const {
  std::vector<Model> out;
  for (uint64_t id : ids_under(*this, prefix_of(detail::kTagPoolModel, pool_id), after, limit)) {
    if (auto m = model(id)) out.push_back(std::move(*m));
  }
  return out;
}

std::optional<ConsentRecord> State::consent(uint64_t model_id, uint64_t contribution_id) const {
  auto v = entry(crypto::as_bytes(detail::consent_key(model_id, contribution_id)));
  if (!v) return std::nullopt;
  return opt(detail::decode_consent(crypto::as_bytes(*v)));
}

bool State::consent_denied(uint64_t model_id, uint64_t contribution_id) const {
  return entry(crypto::as_bytes(detail::denied_key(model_id, contribution_id))).has_value();
}

std::vector<uint64_t> State::model_consents(uint64_t model_id, uint64_t after, size_t limit) const {
  return ids_under(*this, prefix_of(detail::kTagConsent, model_id), after, limit);
}

std::vector<uint64_t> State::model_training_set(uint64_t model_id, uint64_t after,
                                                size_t limit) const {
  return ids_under(*this, prefix_of(detail::kTagTrainingSet, model_id), after, limit);
}

std::optional<ConsentPolicy> State::consent_policy(const AccountId& account) const {
  auto v = entry(crypto::as_bytes(detail::policy_key(account)));
  if (!v) return std::nullopt;
  return opt(detail::decode_policy(crypto::as_bytes(*v)));
}

std::optional<uint64_t> State::next_model_deadline() const {
  std::optional<uint64_t> first;
  scan(crypto::as_bytes(Bytes{detail::kTagModelDue}), [&](const Bytes& k, const Bytes&) {
    first = detail::key_id(k, 1);
    return false;
  });
  return first;
}

std::optional<ShareHolding> State::share_holding(uint64_t model_id,
                                                 const AccountId& account) const {
  auto v = entry(crypto::as_bytes(detail::holding_key(model_id, account)));
  if (!v) return std::nullopt;
  return opt(detail::decode_holding(crypto::as_bytes(*v)));
}

std::vector<std::pair<AccountId, ShareHolding>> State::share_holders(
    uint64_t model_id, const std::optional<AccountId>& after, size_t limit) const {
  std::vector<std::pair<AccountId, ShareHolding>> out;
  if (limit == 0) return out;
  const Bytes prefix = prefix_of(detail::kTagHolding, model_id);
  const Bytes start = after ? detail::holding_key(model_id, *after) : Bytes{};
  scan(
      crypto::as_bytes(prefix),
      [&](const Bytes& k, const Bytes& v) {
        AccountId a{};
        std::copy(k.begin() + 9, k.end(), a.begin());
        if (auto h = opt(detail::decode_holding(crypto::as_bytes(v)))) out.emplace_back(a, *h);
        return out.size() < limit;
      },
      crypto::as_bytes(start));
  return out;
}

std::vector<uint64_t> State::models_held_by(const AccountId& account, uint64_t after,
                                            size_t limit) const {
  return ids_under(*this, detail::Key(detail::kTagHeldBy).fixed(account).take(), after, limit);
}

}  // namespace datadao::ledger
