// The genesis: its checks (shared with State::from_genesis) and its canonical encoding.
#include <cstring>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/state.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {
namespace {
constexpr std::string_view kGenesisTag = "datadao/genesis/v1";
}  // namespace

namespace detail {

Status check_chain_id(std::string_view chain_id, std::string_view what) {
  if (chain_id.empty() || chain_id.size() > kMaxChainIdBytes || !codec::is_valid_utf8(chain_id)) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": chain id must be 1.." +
                                                       std::to_string(kMaxChainIdBytes) +
                                                       " bytes of UTF-8");
  }
  return Status::Ok();
}

Status validate_genesis(const Genesis& g) {
  DD_TRY(check_chain_id(g.chain_id, "genesis"));
  if (g.allocations.size() > kMaxGenesisAllocations) {
    return make_error(ErrorCode::kLimitExceeded,
                      "genesis: " + std::to_string(g.allocations.size()) +
                          " allocations exceed the limit of " +
                          std::to_string(kMaxGenesisAllocations));
  }
  uint64_t total = 0;
  for (size_t i = 0; i < g.allocations.size(); ++i) {
    const auto& [id, credits] = g.allocations[i];
    if (credits == 0) {
      return make_error(
          ErrorCode::kInvalidArgument,
          "genesis: allocation " + std::to_string(i) + " to account " + short_hex(id) + " is zero");
    }
    if (credits > UINT64_MAX - total) {
      return make_error(ErrorCode::kInvalidArgument,
                        "genesis: total supply overflows u64 at allocation " + std::to_string(i));
    }
    total += credits;
  }
  return Status::Ok();
}

}  // namespace detail

Bytes encode(const Genesis& g) {
  codec::Writer w(kGenesisTag.size() + 16 + g.chain_id.size() + g.allocations.size() * 40);
  w.fixed(crypto::as_bytes(kGenesisTag)).str(g.chain_id).u64(g.timestamp);
  w.u32(static_cast<uint32_t>(g.allocations.size()));
  for (const auto& [id, credits] : g.allocations) w.fixed(id).u64(credits);
  return w.take();
}

Result<Genesis> decode_genesis(ByteView bytes) {
  codec::Reader r(bytes, "genesis");
  std::array<uint8_t, kGenesisTag.size()> tag = r.fixed<kGenesisTag.size()>("tag");
  if (r.ok() && std::memcmp(tag.data(), kGenesisTag.data(), tag.size()) != 0) {
    r.fail(ErrorCode::kInvalidArgument, "tag", "not a datadao/genesis/v1 encoding");
  }
  Genesis g;
  g.chain_id = r.str("chain_id", kMaxChainIdBytes);
  g.timestamp = r.u64("timestamp");
  uint32_t n = r.u32("allocation count");
  if (r.ok() && n > kMaxGenesisAllocations) {
    r.fail(ErrorCode::kLimitExceeded, "allocation count",
           std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxGenesisAllocations));
  }
  if (r.ok() && static_cast<uint64_t>(n) * 40 > r.remaining()) {
    r.fail(ErrorCode::kInvalidArgument, "allocations",
           "truncated: " + std::to_string(n) + " allocations need " + std::to_string(n * 40ull) +
               " bytes, " + std::to_string(r.remaining()) + " left");
  }
  if (r.ok()) g.allocations.reserve(n);
  for (uint32_t i = 0; r.ok() && i < n; ++i) {
    AccountId id = r.fixed<crypto::kSignPublicKeyBytes>("allocation account");
    uint64_t credits = r.u64("allocation credits");
    g.allocations.emplace_back(id, credits);
  }
  DD_TRY(r.finish());
  DD_TRY(detail::validate_genesis(g));
  std::vector<AccountId> ids;
  ids.reserve(g.allocations.size());
  for (const auto& a : g.allocations) ids.push_back(a.first);
  std::sort(ids.begin(), ids.end());
  auto dup = std::adjacent_find(ids.begin(), ids.end());
  if (dup != ids.end()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "genesis: account " + short_hex(*dup) + " is allocated twice");
  }
  return g;
}

}  // namespace datadao::ledger
