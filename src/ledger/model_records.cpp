// Model records: their keys in State, field and record codecs, and the entry check that
// State::validate runs on every stored model record (layout: model_state.hpp).
#include "model_state.hpp"

#include <algorithm>
#include <cstring>

#include "key_codec.hpp"
#include "pool_state.hpp"

namespace datadao::ledger {

bool is_model_word(std::string_view s, size_t max_len, bool allow_dot) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dot && c == '.');
  });
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

}  // namespace detail

}  // namespace datadao::ledger
