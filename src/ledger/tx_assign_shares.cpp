// AssignShares: the runner (validator of the model's pools[0]) assigns share units of a model in
// kTraining to its contributors, in chunks. Rules: not a personal model; 1..kMaxShareChunk entries
// with distinct accounts and shares > 0 (the decoder checks these); each account has a
// contribution listed by RecordTrainingSet (0x29 count > 0) and holds no shares of the model yet;
// the model's shares_assigned plus the chunk's sum stays <= kShareSupply. Each entry creates a
// holding with reward_debt 0 (nothing has accrued before publication).
#include <algorithm>

#include "datadao/codec/codec.hpp"
#include "datadao/common/u128.hpp"
#include "datadao/ledger/transaction.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const AssignShares& p) {
  codec::Writer w(12 + 40 * p.entries.size());
  w.u64(p.model_id).u32(static_cast<uint32_t>(p.entries.size()));
  for (const ShareEntry& e : p.entries) w.fixed(e.account).u64(e.shares);
  return w.take();
}

Result<AssignShares> decode_payload(ByteView bytes, std::type_identity<AssignShares>) {
  constexpr size_t kEntryBytes = 40;
  codec::Reader r(bytes, "assign_shares payload");
  AssignShares p;
  p.model_id = r.u64("model_id");
  const uint32_t n = r.u32("entries");
  if (r.ok() && (n == 0 || n > kMaxShareChunk)) {
    r.fail(n == 0 ? ErrorCode::kInvalidArgument : ErrorCode::kLimitExceeded, "entries",
           std::to_string(n) + " entries, must be 1.." + std::to_string(kMaxShareChunk));
  } else if (r.ok() && uint64_t{n} * kEntryBytes > r.remaining()) {
    r.fail(ErrorCode::kInvalidArgument, "entries",
           "truncated: " + std::to_string(n) + " entries need " +
               std::to_string(uint64_t{n} * kEntryBytes) + " bytes, " +
               std::to_string(r.remaining()) + " left");
  }
  if (r.ok()) p.entries.reserve(n);
  for (uint32_t i = 0; r.ok() && i < n; ++i) {
    ShareEntry e;
    e.account = r.fixed<crypto::kSignPublicKeyBytes>("entry account");
    e.shares = r.u64("entry shares");
    if (r.ok() && e.shares == 0) {
      r.fail(ErrorCode::kInvalidArgument, "entry shares",
             "account " + short_hex(e.account) + ": shares must be > 0");
    }
    p.entries.push_back(e);
  }
  if (r.ok()) {
    std::vector<AccountId> accounts;
    accounts.reserve(p.entries.size());
    for (const ShareEntry& e : p.entries) accounts.push_back(e.account);
    std::sort(accounts.begin(), accounts.end());
    auto dup = std::adjacent_find(accounts.begin(), accounts.end());
    if (dup != accounts.end()) {
      r.fail(ErrorCode::kInvalidArgument, "entries", "repeats account " + short_hex(*dup));
    }
  }
  DD_TRY(r.finish());
  return p;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext&) {
  DD_ASSIGN(AssignShares p, payload_as<AssignShares>(tx));
  const std::string what = "assign_shares of model " + std::to_string(p.model_id);
  auto fail = [&](ErrorCode code, const std::string& why) {
    return make_error(code, what + ": " + why);
  };
  Result<Model> training = detail::model_in_training(m, p.model_id, tx.sender);
  if (!training.ok()) return training.error().with_context(what);
  Model model = std::move(training).value();
  if (model.personal) {
    return fail(ErrorCode::kFailedPrecondition,
                "a personal model's proposer receives all shares at publication");
  }
  // Each entry <= kShareSupply was not checked yet: sum in 128 bits.
  unsigned __int128 sum = 0;
  for (const ShareEntry& e : p.entries) {
    const std::string who = "account " + short_hex(e.account);
    if (!m.entry(crypto::as_bytes(detail::contributor_count_key(model.id, e.account)))) {
      return fail(ErrorCode::kPermissionDenied, who + " has no contribution in the training set");
    }
    if (std::optional<ShareHolding> h = detail::get_holding(m, model.id, e.account)) {
      return fail(ErrorCode::kAlreadyExists,
                  who + " was already assigned " + std::to_string(h->shares) + " shares");
    }
    sum += e.shares;
  }
  if (model.shares_assigned + sum > kShareSupply) {
    return fail(ErrorCode::kFailedPrecondition,
                "assigning " + u128_to_string(sum) + " shares to the " +
                    std::to_string(model.shares_assigned) +
                    " already assigned exceeds the supply " + std::to_string(kShareSupply));
  }
  // Every check has passed: mutate.
  for (const ShareEntry& e : p.entries) {
    detail::put_holding(m, model.id, e.account, ShareHolding{e.shares, model.reward_per_share, 0});
  }
  model.shares_assigned += static_cast<uint64_t>(sum);
  model.share_holders += p.entries.size();
  detail::put_model(m, model);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const AssignShares& p) {
  nlohmann::json entries = nlohmann::json::array();
  for (const ShareEntry& e : p.entries) {
    entries.push_back({{"account", codec::to_hex(e.account)}, {"shares", e.shares}});
  }
  return {{"model_id", p.model_id}, {"entries", std::move(entries)}};
}

constinit const TxTypeInfo kAssignSharesInfo =
    tx_type_info<AssignShares>(TxType::kAssignShares, "assign_shares", &apply);

}  // namespace datadao::ledger
