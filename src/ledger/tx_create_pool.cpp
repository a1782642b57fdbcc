// CreatePool: anyone with an account creates a data DAO for one source. The state assigns the
// pool id. Rules: name 1..64 of [A-Za-z0-9._-], not all digits (so that "pool 7" is always an
// id and a name can go in a URL path unescaped), not taken; source as in
// RegisterFile; schema_version >= 1; params in range (pools.hpp); the validator key is not zero.
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const CreatePool& p) {
  codec::Writer w(128 + p.name.size() + p.source.size());
  w.str(p.name).str(p.source).u32(p.schema_version).fixed(p.validator).fixed(p.box_key);
  w.u64(p.params.reward_per_point)
      .u32(p.params.quorum_bps)
      .u64(p.params.voting_period)
      .boolean(p.params.accepting);
  return w.take();
}

Result<CreatePool> decode_payload(ByteView bytes, std::type_identity<CreatePool>) {
  codec::Reader r(bytes, "create_pool payload");
  CreatePool p;
  p.name = r.str("name", kMaxPoolNameBytes);
  p.source = r.str("source", kMaxSourceBytes);
  p.schema_version = r.u32("schema_version");
  p.validator = r.fixed<crypto::kSignPublicKeyBytes>("validator");
  p.box_key = r.fixed<crypto::kBoxPublicKeyBytes>("box_key");
  p.params.reward_per_point = r.u64("reward_per_point");
  p.params.quorum_bps = r.u32("quorum_bps");
  p.params.voting_period = r.u64("voting_period");
  p.params.accepting = r.boolean("accepting");
  DD_TRY(r.finish());
  return p;
}

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxPoolNameBytes) return false;
  bool all_digits = true;
  for (char c : name) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !letter && c != '.' && c != '_' && c != '-') return false;
    all_digits = all_digits && digit;
  }
  return !all_digits;
}

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(CreatePool p, payload_as<CreatePool>(tx));
  auto fail = [](ErrorCode code, const std::string& why) {
    return make_error(code, "create_pool: " + why);
  };
  if (!valid_name(p.name)) {
    return fail(ErrorCode::kInvalidArgument,
                "name must be 1..64 characters of A-Z a-z 0-9 . _ - and not all digits");
  }
  if (!is_valid_source(p.source)) {
    return fail(ErrorCode::kInvalidArgument, "source must match [a-z0-9_-]{1,32}");
  }
  if (p.schema_version == 0)
    return fail(ErrorCode::kInvalidArgument, "schema_version must be >= 1");
  if (p.validator == AccountId{}) return fail(ErrorCode::kInvalidArgument, "validator key is zero");
  if (p.box_key == crypto::PublicKey{}) {
    return fail(ErrorCode::kInvalidArgument, "pool box key is zero");
  }
  if (Status s = detail::check_pool_params(p.params); !s.ok()) {
    return fail(ErrorCode::kInvalidArgument, s.error().message);
  }
  const Bytes name_key = detail::pool_name_key(p.name);
  if (m.entry(crypto::as_bytes(name_key))) {
    return fail(ErrorCode::kAlreadyExists, "a pool named '" + p.name + "' exists");
  }
  Pool pool;
  pool.id = detail::next_id(m, detail::kCounterPool);
  pool.creator = tx.sender;
  pool.name = std::move(p.name);
  pool.source = std::move(p.source);
  pool.schema_version = p.schema_version;
  pool.validator = p.validator;
  pool.box_key = p.box_key;
  pool.params = p.params;
  pool.created_height = ctx.height;
  detail::put_pool(m, pool);
  m.put_entry(name_key, detail::encode_u64(pool.id));
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const CreatePool& p) {
  nlohmann::json j = to_json(p.params);
  j.update({{"name", p.name},
            {"source", p.source},
            {"schema_version", p.schema_version},
            {"validator", codec::to_hex(p.validator)},
            {"box_key", codec::to_hex(p.box_key)}});
  return j;
}

constinit const TxTypeInfo kCreatePoolInfo =
    tx_type_info<CreatePool>(TxType::kCreatePool, "create_pool", &apply);

}  // namespace datadao::ledger
