#include "pool_state.hpp"

#include <cstring>

#include "datadao/codec/codec.hpp"
#include "key_codec.hpp"
#include "model_state.hpp"

namespace datadao::ledger {

std::string_view pool_param_name(PoolParam p) {
  switch (p) {
    case PoolParam::kRewardPerPoint:
      return "reward_per_point";
    case PoolParam::kQuorumBps:
      return "quorum_bps";
    case PoolParam::kVotingPeriod:
      return "voting_period";
    case PoolParam::kAccepting:
      return "accepting";
  }
  return "unknown";
}

bool parse_pool_param(std::string_view name, PoolParam* out) {
  for (PoolParam p : {PoolParam::kRewardPerPoint, PoolParam::kQuorumBps, PoolParam::kVotingPeriod,
                      PoolParam::kAccepting}) {
    if (pool_param_name(p) == name) {
      *out = p;
      return true;
    }
  }
  return false;
}

std::string_view proposal_status_name(ProposalStatus s) {
  switch (s) {
    case ProposalStatus::kOpen:
      return "open";
    case ProposalStatus::kPassed:
      return "passed";
    case ProposalStatus::kRejected:
      return "rejected";
  }
  return "unknown";
}

namespace detail {
namespace {

bool valid_param(PoolParam p) {
  auto v = static_cast<uint8_t>(p);
  return v >= 1 && v <= 4;
}

void write_params(codec::Writer& w, const PoolParams& p) {
  w.u64(p.reward_per_point).u32(p.quorum_bps).u64(p.voting_period).boolean(p.accepting);
}
PoolParams read_params(codec::Reader& r) {
  PoolParams p;
  p.reward_per_point = r.u64("reward_per_point");
  p.quorum_bps = r.u32("quorum_bps");
  p.voting_period = r.u64("voting_period");
  p.accepting = r.boolean("accepting");
  return p;
}

}  // namespace

Bytes pool_key(uint64_t pool_id) { return Key(kTagPool).id(pool_id).take(); }
Bytes contribution_key(uint64_t id) { return Key(kTagContribution).id(id).take(); }
Bytes pool_contribution_key(uint64_t pool_id, uint64_t id) {
  return Key(kTagPoolContribution).id(pool_id).id(id).take();
}
Bytes pending_key(uint64_t pool_id, uint64_t id) {
  return Key(kTagPending).id(pool_id).id(id).take();
}
Bytes tokens_key(uint64_t pool_id, const AccountId& holder) {
  return Key(kTagTokens).id(pool_id).fixed(holder).take();
}
Bytes handle_key(uint64_t pool_id, const crypto::Hash32& tag) {
  return Key(kTagHandle).id(pool_id).fixed(tag).take();
}
Bytes pool_file_key(uint64_t pool_id, uint64_t file_id) {
  return Key(kTagPoolFile).id(pool_id).id(file_id).take();
}
Bytes proposal_key(uint64_t pool_id, uint64_t proposal_id) {
  return Key(kTagProposal).id(pool_id).id(proposal_id).take();
}
Bytes vote_key(uint64_t pool_id, uint64_t proposal_id, const AccountId& voter) {
  return Key(kTagVote).id(pool_id).id(proposal_id).fixed(voter).take();
}
Bytes due_key(uint64_t deadline, uint64_t pool_id, uint64_t proposal_id) {
  return Key(kTagDue).id(deadline).id(pool_id).id(proposal_id).take();
}
Bytes by_contributor_key(const AccountId& contributor, uint64_t id) {
  return Key(kTagByContributor).fixed(contributor).id(id).take();
}
Bytes pool_name_key(std::string_view name) { return Key(kTagPoolName).text(name).take(); }
Bytes counter_key(std::string_view name) { return Key(kTagCounter).text(name).take(); }

// ---- Codecs ----------------------------------------------------------------------------------

Bytes encode_pool(const Pool& p) {
  codec::Writer w;
  w.fixed(p.creator)
      .str(p.name)
      .str(p.source)
      .u32(p.schema_version)
      .fixed(p.validator)
      .fixed(p.box_key);
  write_params(w, p.params);
  w.u64(p.token_supply)
      .u64(p.contributions)
      .u64(p.attested)
      .u64(p.next_proposal_id)
      .u64(p.created_height);
  return w.take();
}

Result<Pool> decode_pool(uint64_t id, ByteView value) {
  codec::Reader r(value, "pool " + std::to_string(id));
  Pool p;
  p.id = id;
  p.creator = r.fixed<32>("creator");
  p.name = r.str("name", kMaxPoolNameBytes);
  p.source = r.str("source", kMaxSourceBytes);
  p.schema_version = r.u32("schema_version");
  p.validator = r.fixed<32>("validator");
  p.box_key = r.fixed<32>("box_key");
  p.params = read_params(r);
  p.token_supply = r.u64("token_supply");
  p.contributions = r.u64("contributions");
  p.attested = r.u64("attested");
  p.next_proposal_id = r.u64("next_proposal_id");
  p.created_height = r.u64("created_height");
  DD_TRY(r.finish());
  return p;
}

Bytes encode_contribution(const Contribution& c) {
  codec::Writer w;
  w.u64(c.pool_id)
      .u64(c.file_id)
      .fixed(c.contributor)
      .bytes(crypto::as_bytes(c.sealed_key))
      .bytes(crypto::as_bytes(c.sealed_claim))
      .u64(c.height)
      .boolean(c.attested);
  if (c.attested) {
    const Attestation& a = c.attestation;
    w.boolean(a.authentic)
        .boolean(a.owned)
        .boolean(a.handle_conflict)
        .fixed(a.handle_tag)
        .u32(a.records_total)
        .u32(a.exact_duplicates)
        .u32(a.near_duplicates)
        .u32(a.low_quality)
        .u32(a.accepted)
        .u64(a.points)
        .u64(a.tokens)
        .fixed(a.refined_blob_hash)
        .u64(a.refined_size)
        .bytes(crypto::as_bytes(a.refined_sealed_key))
        .str(a.note)
        .u64(a.height);
  }
  return w.take();
}

Result<Contribution> decode_contribution(uint64_t id, ByteView value) {
  codec::Reader r(value, "contribution " + std::to_string(id));
  Contribution c;
  c.id = id;
  c.pool_id = r.u64("pool_id");
  c.file_id = r.u64("file_id");
  c.contributor = r.fixed<32>("contributor");
  c.sealed_key = r.bytes("sealed_key", kSealedFileKeyBytes);
  c.sealed_claim = r.bytes("sealed_claim", kMaxSealedClaimBytes);
  c.height = r.u64("height");
  c.attested = r.boolean("attested");
  if (c.attested) {
    Attestation& a = c.attestation;
    a.authentic = r.boolean("authentic");
    a.owned = r.boolean("owned");
    a.handle_conflict = r.boolean("handle_conflict");
    a.handle_tag = r.fixed<32>("handle_tag");
    a.records_total = r.u32("records_total");
    a.exact_duplicates = r.u32("exact_duplicates");
    a.near_duplicates = r.u32("near_duplicates");
    a.low_quality = r.u32("low_quality");
    a.accepted = r.u32("accepted");
    a.points = r.u64("points");
    a.tokens = r.u64("tokens");
    a.refined_blob_hash = r.fixed<32>("refined_blob_hash");
    a.refined_size = r.u64("refined_size");
    a.refined_sealed_key = r.bytes("refined_sealed_key", kSealedFileKeyBytes);
    a.note = r.str("note", kMaxAttestNoteBytes);
    a.height = r.u64("attestation height");
  }
  DD_TRY(r.finish());
  return c;
}

Bytes encode_proposal(const Proposal& p) {
  codec::Writer w;
  w.fixed(p.proposer)
      .u8(static_cast<uint8_t>(p.param))
      .u64(p.value)
      .str(p.description)
      .u64(p.created_height)
      .u64(p.deadline)
      .u64(p.supply_at_creation)
      .u64(p.yes)
      .u64(p.no)
      .u8(static_cast<uint8_t>(p.status))
      .u64(p.closed_height);
  return w.take();
}

Result<Proposal> decode_proposal(uint64_t pool_id, uint64_t id, ByteView value) {
  codec::Reader r(value, "proposal " + std::to_string(pool_id) + "/" + std::to_string(id));
  Proposal p;
  p.pool_id = pool_id;
  p.id = id;
  p.proposer = r.fixed<32>("proposer");
  p.param = static_cast<PoolParam>(r.u8("param"));
  if (r.ok() && !valid_param(p.param)) r.fail(ErrorCode::kInvalidArgument, "param", "unknown");
  p.value = r.u64("value");
  p.description = r.str("description", kMaxProposalDescriptionBytes);
  p.created_height = r.u64("created_height");
  p.deadline = r.u64("deadline");
  p.supply_at_creation = r.u64("supply_at_creation");
  p.yes = r.u64("yes");
  p.no = r.u64("no");
  uint8_t status = r.u8("status");
  if (r.ok() && status > 2) r.fail(ErrorCode::kInvalidArgument, "status", "unknown");
  p.status = static_cast<ProposalStatus>(status);
  p.closed_height = r.u64("closed_height");
  DD_TRY(r.finish());
  return p;
}

Bytes encode_vote(const VoteRecord& v) {
  codec::Writer w(17);
  w.boolean(v.approve).u64(v.weight).u64(v.height);
  return w.take();
}

Result<VoteRecord> decode_vote(ByteView value) {
  codec::Reader r(value, "vote");
  VoteRecord v;
  v.approve = r.boolean("approve");
  v.weight = r.u64("weight");
  v.height = r.u64("height");
  DD_TRY(r.finish());
  return v;
}

Bytes encode_u64(uint64_t v) {
  codec::Writer w(8);
  w.u64(v);
  return w.take();
}

Result<uint64_t> decode_u64(ByteView value, std::string_view what) {
  codec::Reader r(value, std::string(what));
  uint64_t v = r.u64("value");
  DD_TRY(r.finish());
  return v;
}

Status validate_pool_entry(ByteView key, ByteView value) {
  const uint8_t tag = key[0];
  auto need = [&](size_t n) { return key.size() == n; };
  auto id_at = [&](size_t off) { return key_id(key, off); };
  switch (tag) {
    case kTagPool:
      if (!need(9)) return bad_key(key, "pool key must be 9 bytes");
      DD_TRY(decode_pool(id_at(1), value));
      return Status::Ok();
    case kTagContribution:
      if (!need(9)) return bad_key(key, "contribution key must be 9 bytes");
      DD_TRY(decode_contribution(id_at(1), value));
      return Status::Ok();
    case kTagPoolContribution:
    case kTagPending:
      if (!need(17) || !value.empty()) return bad_key(key, "index entry must be 17 bytes -> ''");
      return Status::Ok();
    case kTagTokens:
      if (!need(41)) return bad_key(key, "token balance key must be 41 bytes");
      DD_TRY(decode_u64(value, "token balance"));
      return Status::Ok();
    case kTagHandle:
      if (!need(41) || value.size() != 32) return bad_key(key, "handle entry must be 41 -> 32");
      return Status::Ok();
    case kTagPoolFile:
      if (!need(17)) return bad_key(key, "pool file key must be 17 bytes");
      DD_TRY(decode_u64(value, "pool file"));
      return Status::Ok();
    case kTagProposal:
      if (!need(17)) return bad_key(key, "proposal key must be 17 bytes");
      DD_TRY(decode_proposal(id_at(1), id_at(9), value));
      return Status::Ok();
    case kTagVote:
      if (!need(49)) return bad_key(key, "vote key must be 49 bytes");
      DD_TRY(decode_vote(value));
      return Status::Ok();
    case kTagDue:
      if (!need(25) || !value.empty()) return bad_key(key, "due entry must be 25 bytes -> ''");
      return Status::Ok();
    case kTagByContributor:
      if (!need(41) || !value.empty()) return bad_key(key, "index entry must be 41 bytes -> ''");
      return Status::Ok();
    case kTagPoolName:
      if (key.size() < 2 || key.size() > 1 + kMaxPoolNameBytes) {
        return bad_key(key, "pool name key must hold 1..64 bytes");
      }
      DD_TRY(decode_u64(value, "pool name"));
      return Status::Ok();
    case kTagCounter: {
      std::string_view name(reinterpret_cast<const char*>(key.data() + 1), key.size() - 1);
      if (name != kCounterPool && name != kCounterContribution) {
        return bad_key(key, "unknown counter");
      }
      DD_TRY(decode_u64(value, "counter"));
      return Status::Ok();
    }
    default:
      return bad_key(key, "unknown pool tag");
  }
}

// ---- Parameters ------------------------------------------------------------------------------

Status check_param_value(PoolParam param, uint64_t value) {
  auto range = [&](uint64_t lo, uint64_t hi) -> Status {
    if (value < lo || value > hi) {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(pool_param_name(param)) + " " + std::to_string(value) +
                            " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return Status::Ok();
  };
  switch (param) {
    case PoolParam::kRewardPerPoint:
      return range(1, kMaxRewardPerPoint);
    case PoolParam::kQuorumBps:
      return range(1, kBasisPoints);
    case PoolParam::kVotingPeriod:
      return range(1, kMaxVotingPeriodBlocks);
    case PoolParam::kAccepting:
      return range(0, 1);
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown pool parameter " + std::to_string(static_cast<int>(param)));
}

Status check_pool_params(const PoolParams& p) {
  DD_TRY(check_param_value(PoolParam::kRewardPerPoint, p.reward_per_point));
  DD_TRY(check_param_value(PoolParam::kQuorumBps, p.quorum_bps));
  DD_TRY(check_param_value(PoolParam::kVotingPeriod, p.voting_period));
  return Status::Ok();
}

void set_param(PoolParams& params, PoolParam param, uint64_t value) {
  switch (param) {
    case PoolParam::kRewardPerPoint:
      params.reward_per_point = value;
      break;
    case PoolParam::kQuorumBps:
      params.quorum_bps = static_cast<uint32_t>(value);
      break;
    case PoolParam::kVotingPeriod:
      params.voting_period = value;
      break;
    case PoolParam::kAccepting:
      params.accepting = value != 0;
      break;
  }
}

// ---- Typed access ----------------------------------------------------------------------------

std::optional<Pool> get_pool(const StateMutator& m, uint64_t pool_id) {
  return m.state().pool(pool_id);
}
void put_pool(StateMutator& m, const Pool& p) { m.put_entry(pool_key(p.id), encode_pool(p)); }

std::optional<Contribution> get_contribution(const StateMutator& m, uint64_t id) {
  return m.state().contribution(id);
}
void put_contribution(StateMutator& m, const Contribution& c) {
  m.put_entry(contribution_key(c.id), encode_contribution(c));
}

uint64_t get_u64(const StateMutator& m, const Bytes& key, uint64_t if_absent) {
  auto v = m.entry(crypto::as_bytes(key));
  if (!v) return if_absent;
  auto r = decode_u64(crypto::as_bytes(*v), "entry");
  return r.ok() ? *r : if_absent;
}

uint64_t next_id(StateMutator& m, std::string_view counter) {
  Bytes key = counter_key(counter);
  uint64_t id = get_u64(m, key, 1);
  m.put_entry(key, encode_u64(id + 1));
  return id;
}

void tally_due_proposals(StateMutator& m, const BlockContext& ctx) {
  std::vector<Bytes> due;
  m.state().scan(crypto::as_bytes(Bytes{kTagDue}), [&](const Bytes& k, const Bytes&) {
    if (key_id(k, 1) > ctx.height) return false;
    due.push_back(k);
    return true;
  });
  for (const Bytes& k : due) {
    const uint64_t pool_id = key_id(k, 9);
    const uint64_t proposal_id = key_id(k, 17);
    m.put_entry(k, std::nullopt);
    auto prop = m.state().proposal(pool_id, proposal_id);
    auto pool = m.state().pool(pool_id);
    if (!prop || !pool || prop->status != ProposalStatus::kOpen) continue;
    const unsigned __int128 cast = static_cast<unsigned __int128>(prop->yes) + prop->no;
    const bool quorum =
        cast * kBasisPoints >=
        static_cast<unsigned __int128>(pool->params.quorum_bps) * prop->supply_at_creation;
    const bool passed = quorum && prop->yes > prop->no;
    prop->status = passed ? ProposalStatus::kPassed : ProposalStatus::kRejected;
    prop->closed_height = ctx.height;
    m.put_entry(proposal_key(pool_id, proposal_id), encode_proposal(*prop));
    if (passed) {
      set_param(pool->params, prop->param, prop->value);
      put_pool(m, *pool);
    }
  }
}

}  // namespace detail

// ---- State queries ---------------------------------------------------------------------------

namespace {
using detail::key_id;
using detail::opt;
}  // namespace

std::optional<Pool> State::pool(uint64_t id) const {
  auto v = entry(crypto::as_bytes(detail::pool_key(id)));
  if (!v) return std::nullopt;
  return opt(detail::decode_pool(id, crypto::as_bytes(*v)));
}

std::optional<Pool> State::pool_by_name(std::string_view name) const {
  auto v = entry(crypto::as_bytes(detail::pool_name_key(name)));
  if (!v) return std::nullopt;
  auto id = detail::decode_u64(crypto::as_bytes(*v), "pool name");
  if (!id.ok()) return std::nullopt;
  return pool(*id);
}

std::vector<Pool> State::pools() const {
  std::vector<Pool> out;
  scan(crypto::as_bytes(Bytes{detail::kTagPool}), [&](const Bytes& k, const Bytes& v) {
    if (auto p = opt(detail::decode_pool(key_id(k, 1), crypto::as_bytes(v)))) {
      out.push_back(std::move(*p));
    }
    return true;
  });
  return out;
}

std::optional<Contribution> State::contribution(uint64_t id) const {
  auto v = entry(crypto::as_bytes(detail::contribution_key(id)));
  if (!v) return std::nullopt;
  return opt(detail::decode_contribution(id, crypto::as_bytes(*v)));
}

std::vector<Contribution> State::pool_contributions(uint64_t pool_id, uint64_t after, size_t limit,
                                                    bool pending_only) const {
  std::vector<Contribution> out;
  if (limit == 0) return out;
  const uint8_t tag = pending_only ? detail::kTagPending : detail::kTagPoolContribution;
  const Bytes prefix = detail::Key(tag).id(pool_id).take();
  Bytes start;
  if (after > 0) {
    start = pending_only ? detail::pending_key(pool_id, after)
                         : detail::pool_contribution_key(pool_id, after);
  }
  scan(
      crypto::as_bytes(prefix),
      [&](const Bytes& k, const Bytes&) {
        if (auto c = contribution(key_id(k, 9))) out.push_back(std::move(*c));
        return out.size() < limit;
      },
      crypto::as_bytes(start));
  return out;
}

std::vector<Contribution> State::contributions_by(const AccountId& contributor) const {
  std::vector<Contribution> out;
  const Bytes prefix = detail::Key(detail::kTagByContributor).fixed(contributor).take();
  scan(crypto::as_bytes(prefix), [&](const Bytes& k, const Bytes&) {
    if (auto c = contribution(key_id(k, 33))) out.push_back(std::move(*c));
    return true;
  });
  return out;
}

uint64_t State::pool_tokens(uint64_t pool_id, const AccountId& holder) const {
  auto v = entry(crypto::as_bytes(detail::tokens_key(pool_id, holder)));
  if (!v) return 0;
  return opt(detail::decode_u64(crypto::as_bytes(*v), "tokens")).value_or(0);
}

std::optional<AccountId> State::handle_owner(uint64_t pool_id, const crypto::Hash32& tag) const {
  auto v = entry(crypto::as_bytes(detail::handle_key(pool_id, tag)));
  if (!v || v->size() != 32) return std::nullopt;
  AccountId id;
  std::memcpy(id.data(), v->data(), 32);
  return id;
}

std::optional<Proposal> State::proposal(uint64_t pool_id, uint64_t proposal_id) const {
  auto v = entry(crypto::as_bytes(detail::proposal_key(pool_id, proposal_id)));
  if (!v) return std::nullopt;
  return opt(detail::decode_proposal(pool_id, proposal_id, crypto::as_bytes(*v)));
}

std::vector<Proposal> State::proposals(uint64_t pool_id) const {
  std::vector<Proposal> out;
  const Bytes prefix = detail::Key(detail::kTagProposal).id(pool_id).take();
  scan(crypto::as_bytes(prefix), [&](const Bytes& k, const Bytes& v) {
    if (auto p = opt(detail::decode_proposal(pool_id, key_id(k, 9), crypto::as_bytes(v)))) {
      out.push_back(std::move(*p));
    }
    return true;
  });
  return out;
}

std::optional<VoteRecord> State::vote(uint64_t pool_id, uint64_t proposal_id,
                                      const AccountId& voter) const {
  auto v = entry(crypto::as_bytes(detail::vote_key(pool_id, proposal_id, voter)));
  if (!v) return std::nullopt;
  return opt(detail::decode_vote(crypto::as_bytes(*v)));
}

void State::end_block(const BlockContext& ctx) {
  detail::StateMutator m(*this);
  detail::tally_due_proposals(m, ctx);
  detail::close_due_models(m, ctx);
}

std::optional<uint64_t> State::next_proposal_deadline() const {
  std::optional<uint64_t> first;
  scan(crypto::as_bytes(Bytes{detail::kTagDue}), [&](const Bytes& k, const Bytes&) {
    first = detail::key_id(k, 1);
    return false;
  });
  return first;
}

}  // namespace datadao::ledger
