// Model rules the transaction types share (typed access, consent bookkeeping, the block-end
// tally of votes and consent windows) and the State queries over model records.
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
