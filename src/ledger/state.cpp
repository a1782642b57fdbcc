#include "datadao/ledger/state.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>
#include <variant>

#include "datadao/codec/codec.hpp"
#include "datadao/ledger/lthash.hpp"
#include "key_codec.hpp"
#include "model_state.hpp"
#include "pool_state.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {
namespace {

constexpr uint8_t kTagAccount = 0x01;
constexpr uint8_t kTagFile = 0x02;
constexpr uint8_t kTagGrant = 0x03;
constexpr uint8_t kTagMeta = 0x04;
constexpr std::string_view kMetaNextFileId = "next_file_id";
constexpr std::string_view kStateHashTag = "datadao/state/v1";

// Account ids are Ed25519 public keys: their first bytes are already uniformly distributed.
// TODO: transfer recipients are arbitrary 32-byte ids, so a sender paying 1 credit per account
// could grind ids into one bucket; a keyed hash (SipHash with a per-process key) would fix it
// without affecting determinism, since no output depends on hash-map iteration order.
struct IdHash {
  size_t operator()(const AccountId& id) const {
    uint64_t v;
    std::memcpy(&v, id.data(), sizeof v);
    return static_cast<size_t>(v);
  }
};
using GrantKey = std::pair<uint64_t, AccountId>;

Bytes account_key(const AccountId& id) { return detail::Key(kTagAccount).fixed(id).take(); }
Bytes account_value(const Account& a) {
  codec::Writer w(16);
  w.u64(a.credits).u64(a.nonce);
  return w.take();
}
Bytes file_key(uint64_t id) { return detail::Key(kTagFile).id(id).take(); }
Bytes file_value(const FileRecord& f) {
  codec::Writer w;
  w.fixed(f.owner)
      .fixed(f.blob_hash)
      .u64(f.size)
      .str(f.source)
      .str(f.locator)
      .u64(f.registered_height);
  return w.take();
}
Bytes grant_key(const GrantKey& gk) {
  return detail::Key(kTagGrant).id(gk.first).fixed(gk.second).take();
}
Bytes grant_value(const Grant& g) {
  codec::Writer w;
  w.fixed(g.grantee_box_key)
      .bytes(crypto::as_bytes(g.sealed_key))
      .str(g.purpose)
      .u64(g.expires_at)
      .u64(g.granted_height)
      .boolean(g.revoked)
      .u64(g.revoked_height);
  return w.take();
}
Bytes meta_key() { return detail::Key(kTagMeta).text(kMetaNextFileId).take(); }
Bytes meta_value(uint64_t next_file_id) {
  codec::Writer w(8);
  w.u64(next_file_id);
  return w.take();
}

// A stored entry that does not decode is corruption, whatever the decoder called it.
Status as_corruption(Status s) {
  if (s.ok()) return s;
  return make_error(ErrorCode::kCorruption, s.error().message);
}

}  // namespace

// ---- Impl ----------------------------------------------------------------------------------

struct State::Impl {
  std::string chain_id;
  std::unordered_map<AccountId, Account, IdHash> accounts;
  std::map<uint64_t, FileRecord> files;
  std::unordered_map<AccountId, std::set<uint64_t>, IdHash> files_by_owner;
  std::map<std::pair<AccountId, Hash32>, uint64_t> file_by_blob;
  std::map<GrantKey, Grant> grants;
  std::unordered_map<AccountId, std::set<uint64_t>, IdHash> grants_to;
  uint64_t next_file_id = 1;
  std::map<Bytes, Bytes> kv;  // pool and model records (tags 0x10..0x2f), ordered for scans

  LtHash16 acc;   // over the committed entries
  Hash32 hash{};  // digest of acc + chain id

  // Block journal: each key's value as of the last commit_block (recorded on first touch).
  std::unordered_map<AccountId, std::optional<Account>, IdHash> block_accounts;
  std::map<uint64_t, std::optional<FileRecord>> block_files;
  std::map<GrantKey, std::optional<Grant>> block_grants;
  std::optional<uint64_t> block_next_file_id;
  std::map<Bytes, std::optional<Bytes>> block_kv;

  // Transaction journal: previous values, undone in reverse if the transaction fails.
  struct NextFileIdUndo {
    uint64_t value;
  };
  struct KvUndo {
    Bytes key;
    std::optional<Bytes> value;
  };
  using Undo = std::variant<std::pair<AccountId, std::optional<Account>>,
                            std::pair<uint64_t, std::optional<FileRecord>>,
                            std::pair<GrantKey, std::optional<Grant>>, NextFileIdUndo, KvUndo>;
  std::vector<Undo> tx_undo;

  std::optional<Account> get_account(const AccountId& id) const {
    auto it = accounts.find(id);
    if (it == accounts.end()) return std::nullopt;
    return it->second;
  }
  std::optional<FileRecord> get_file(uint64_t id) const {
    auto it = files.find(id);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Grant> get_grant(const GrantKey& k) const {
    auto it = grants.find(k);
    if (it == grants.end()) return std::nullopt;
    return it->second;
  }

  void set_account(const AccountId& id, const std::optional<Account>& a) {
    if (a) {
      accounts[id] = *a;
    } else {
      accounts.erase(id);
    }
  }
  void set_file(uint64_t id, const std::optional<FileRecord>& f) {
    auto it = files.find(id);
    if (it != files.end()) {
      auto owned = files_by_owner.find(it->second.owner);
      if (owned != files_by_owner.end()) {
        owned->second.erase(id);
        if (owned->second.empty()) files_by_owner.erase(owned);
      }
      file_by_blob.erase({it->second.owner, it->second.blob_hash});
      files.erase(it);
    }
    if (f) {
      files.emplace(id, *f);
      files_by_owner[f->owner].insert(id);
      file_by_blob[{f->owner, f->blob_hash}] = id;
    }
  }
  void set_grant(const GrantKey& k, const std::optional<Grant>& g) {
    if (grants.erase(k) > 0) {
      auto to = grants_to.find(k.second);
      if (to != grants_to.end()) {
        to->second.erase(k.first);
        if (to->second.empty()) grants_to.erase(to);
      }
    }
    if (g) {
      grants.emplace(k, *g);
      grants_to[k.second].insert(k.first);
    }
  }

  std::optional<Bytes> get_kv(const Bytes& key) const {
    auto it = kv.find(key);
    if (it == kv.end()) return std::nullopt;
    return it->second;
  }
  void set_kv(const Bytes& key, const std::optional<Bytes>& value) {
    if (value) {
      kv.insert_or_assign(key, *value);
    } else {
      kv.erase(key);
    }
  }

  void undo_tx() {
    for (auto it = tx_undo.rbegin(); it != tx_undo.rend(); ++it) {
      std::visit(
          [this](auto& u) {
            using U = std::decay_t<decltype(u)>;
            if constexpr (std::is_same_v<U, NextFileIdUndo>) {
              next_file_id = u.value;
            } else if constexpr (std::is_same_v<U, KvUndo>) {
              set_kv(u.key, u.value);
            } else if constexpr (std::is_same_v<U, std::pair<AccountId, std::optional<Account>>>) {
              set_account(u.first, u.second);
            } else if constexpr (std::is_same_v<U,
                                                std::pair<uint64_t, std::optional<FileRecord>>>) {
              set_file(u.first, u.second);
            } else {
              set_grant(u.first, u.second);
            }
          },
          *it);
    }
    tx_undo.clear();
  }

  void update_hash() {
    crypto::Blake2b256 h;
    codec::Writer w;
    w.str(kStateHashTag).str(chain_id);
    h.update(crypto::as_bytes(w.data()));
    auto b = acc.bytes();
    h.update(crypto::ByteView(b.data(), b.size()));
    hash = h.finish();
  }

  template <class F>
  void for_each_entry(F&& f) const {
    for (const auto& [id, a] : accounts) f(account_key(id), account_value(a));
    for (const auto& [id, file] : files) f(file_key(id), file_value(file));
    for (const auto& [k, g] : grants) f(grant_key(k), grant_value(g));
    f(meta_key(), meta_value(next_file_id));
    for (const auto& [k, v] : kv) f(k, v);
  }
};

// ---- StateMutator ----------------------------------------------------------------------------

namespace detail {

const Account* StateMutator::account(const AccountId& id) const {
  auto& accounts = state_.impl_->accounts;
  auto it = accounts.find(id);
  return it == accounts.end() ? nullptr : &it->second;
}

void StateMutator::put_account(const AccountId& id, const Account& account) {
  State::Impl& s = *state_.impl_;
  auto it = s.accounts.find(id);
  std::optional<Account> prev;
  if (it != s.accounts.end()) prev = it->second;
  s.tx_undo.emplace_back(std::pair{id, prev});
  s.block_accounts.try_emplace(id, prev);
  if (it != s.accounts.end()) {
    it->second = account;
  } else {
    s.accounts.emplace(id, account);
  }
}

const FileRecord* StateMutator::file(uint64_t id) const {
  auto& files = state_.impl_->files;
  auto it = files.find(id);
  return it == files.end() ? nullptr : &it->second;
}

std::optional<uint64_t> StateMutator::file_by_blob(const AccountId& owner,
                                                   const Hash32& blob_hash) const {
  auto& index = state_.impl_->file_by_blob;
  auto it = index.find({owner, blob_hash});
  if (it == index.end()) return std::nullopt;
  return it->second;
}

uint64_t StateMutator::allocate_file_id() {
  State::Impl& s = *state_.impl_;
  s.tx_undo.emplace_back(State::Impl::NextFileIdUndo{s.next_file_id});
  if (!s.block_next_file_id) s.block_next_file_id = s.next_file_id;
  return s.next_file_id++;
}

void StateMutator::put_file(const FileRecord& file) {
  State::Impl& s = *state_.impl_;
  auto prev = s.get_file(file.id);
  s.tx_undo.emplace_back(std::pair{file.id, prev});
  s.block_files.try_emplace(file.id, prev);
  s.set_file(file.id, file);
}

const Grant* StateMutator::grant(uint64_t file_id, const AccountId& grantee) const {
  auto& grants = state_.impl_->grants;
  auto it = grants.find({file_id, grantee});
  return it == grants.end() ? nullptr : &it->second;
}

void StateMutator::put_grant(const Grant& grant) {
  State::Impl& s = *state_.impl_;
  GrantKey k{grant.file_id, grant.grantee};
  auto prev = s.get_grant(k);
  s.tx_undo.emplace_back(std::pair{k, prev});
  s.block_grants.try_emplace(k, prev);
  s.set_grant(k, grant);
}

void StateMutator::put_entry(const Bytes& key, std::optional<Bytes> value) {
  State::Impl& s = *state_.impl_;
  std::optional<Bytes> prev = s.get_kv(key);
  s.block_kv.try_emplace(key, prev);
  s.tx_undo.emplace_back(State::Impl::KvUndo{key, std::move(prev)});
  s.set_kv(key, value);
}

}  // namespace detail

// ---- State ---------------------------------------------------------------------------------

State::State(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
State::State(State&&) noexcept = default;
State& State::operator=(State&&) noexcept = default;
State::~State() = default;

Result<State> State::from_genesis(const Genesis& genesis) {
  DD_TRY(detail::validate_genesis(genesis));
  auto impl = std::make_unique<Impl>();
  impl->chain_id = genesis.chain_id;
  impl->accounts.reserve(genesis.allocations.size());
  for (const auto& [id, credits] : genesis.allocations) {
    if (!impl->accounts.emplace(id, Account{credits, 0}).second) {
      return make_error(ErrorCode::kInvalidArgument,
                        "genesis: account " + short_hex(id) + " is allocated twice");
    }
    impl->acc.add(crypto::as_bytes(account_key(id)), crypto::as_bytes(account_value({credits, 0})));
  }
  impl->acc.add(crypto::as_bytes(meta_key()), crypto::as_bytes(meta_value(impl->next_file_id)));
  impl->update_hash();
  return State(std::move(impl));
}

Result<State> State::from_entries(std::string chain_id, const std::vector<StateEntry>& entries) {
  DD_TRY(detail::check_chain_id(chain_id, "state"));
  auto impl = std::make_unique<Impl>();
  impl->chain_id = std::move(chain_id);
  bool have_meta = false;
  uint64_t max_file_id = 0;
  for (const StateEntry& e : entries) {
    const Bytes& key = e.key;
    if (!e.value) return detail::bad_key(key, "a state snapshot holds no deleted entries");
    ByteView value = crypto::as_bytes(*e.value);
    codec::Reader r(value, "state entry " + codec::to_hex(crypto::as_bytes(key)));
    if (key.empty()) return detail::bad_key(key, "empty key");
    switch (key[0]) {
      case kTagAccount: {
        if (key.size() != 33) return detail::bad_key(key, "account key must be 33 bytes");
        AccountId id;
        std::copy(key.begin() + 1, key.end(), id.begin());
        Account a;
        a.credits = r.u64("credits");
        a.nonce = r.u64("nonce");
        DD_TRY(as_corruption(r.finish()));
        if (!impl->accounts.emplace(id, a).second) return detail::bad_key(key, "duplicate key");
        break;
      }
      case kTagFile: {
        if (key.size() != 9) return detail::bad_key(key, "file key must be 9 bytes");
        FileRecord f;
        f.id = detail::key_id(key, 1);
        f.owner = r.fixed<32>("owner");
        f.blob_hash = r.fixed<32>("blob_hash");
        f.size = r.u64("size");
        f.source = r.str("source", kMaxSourceBytes);
        f.locator = r.str("locator", kMaxLocatorBytes);
        f.registered_height = r.u64("registered_height");
        DD_TRY(as_corruption(r.finish()));
        if (f.id == 0) return detail::bad_key(key, "file id 0");
        if (impl->files.count(f.id)) return detail::bad_key(key, "duplicate key");
        if (impl->file_by_blob.count({f.owner, f.blob_hash})) {
          return detail::bad_key(key, "owner registered the same blob twice");
        }
        max_file_id = std::max(max_file_id, f.id);
        impl->set_file(f.id, f);
        break;
      }
      case kTagGrant: {
        if (key.size() != 41) return detail::bad_key(key, "grant key must be 41 bytes");
        Grant g;
        g.file_id = detail::key_id(key, 1);
        std::copy(key.begin() + 9, key.end(), g.grantee.begin());
        g.grantee_box_key = r.fixed<32>("grantee_box_key");
        g.sealed_key = r.bytes("sealed_key", kSealedFileKeyBytes);
        g.purpose = r.str("purpose", kMaxPurposeBytes);
        g.expires_at = r.u64("expires_at");
        g.granted_height = r.u64("granted_height");
        g.revoked = r.boolean("revoked");
        g.revoked_height = r.u64("revoked_height");
        DD_TRY(as_corruption(r.finish()));
        GrantKey k{g.file_id, g.grantee};
        if (impl->grants.count(k)) return detail::bad_key(key, "duplicate key");
        impl->set_grant(k, g);
        break;
      }
      case kTagMeta: {
        if (key != meta_key()) return detail::bad_key(key, "unknown meta key");
        if (have_meta) return detail::bad_key(key, "duplicate key");
        impl->next_file_id = r.u64("next_file_id");
        DD_TRY(as_corruption(r.finish()));
        have_meta = true;
        break;
      }
      default:
        if (detail::is_pool_tag(key[0])) {
          DD_TRY(as_corruption(detail::validate_pool_entry(crypto::as_bytes(key), value)));
        } else if (detail::is_model_tag(key[0])) {
          DD_TRY(as_corruption(detail::validate_model_entry(crypto::as_bytes(key), value)));
        } else {
          return detail::bad_key(key, "unknown tag " + std::to_string(key[0]));
        }
        if (!impl->kv.emplace(key, *e.value).second) return detail::bad_key(key, "duplicate key");
        break;
    }
    impl->acc.add(crypto::as_bytes(key), value);
  }
  if (!have_meta) return detail::bad_key(meta_key(), "missing");
  if (impl->next_file_id <= max_file_id) {
    return detail::bad_key(meta_key(), "next file id " + std::to_string(impl->next_file_id) +
                                           " is not above the largest file id " +
                                           std::to_string(max_file_id));
  }
  for (const auto& [k, g] : impl->grants) {
    if (!impl->files.count(k.first)) {
      return detail::bad_key(grant_key(k),
                             "grant for file " + std::to_string(k.first) + " which does not exist");
    }
  }
  impl->update_hash();
  return State(std::move(impl));
}

Status State::apply(const Transaction& tx, const BlockContext& ctx) {
  return apply_impl(tx, ctx, true);
}

Status State::apply_verified(const Transaction& tx, const BlockContext& ctx) {
  return apply_impl(tx, ctx, false);
}

Status State::apply_impl(const Transaction& tx, const BlockContext& ctx, bool check_signature) {
  Impl& s = *impl_;
  auto fail = [&tx](ErrorCode code, const std::string& why) -> Status {
    return make_error(code, "tx " + short_hex(tx_id(tx)) + ": " + why);
  };
  if (tx.version != kTxVersion) {
    return fail(ErrorCode::kInvalidArgument, "unsupported version " + std::to_string(tx.version));
  }
  if (tx.chain_id != s.chain_id) {
    return fail(ErrorCode::kInvalidArgument, "chain id '" +
                                                 tx.chain_id.substr(0, kMaxChainIdBytes) +
                                                 "' but this chain is '" + s.chain_id + "'");
  }
  const size_t encoded_size =
      1 + 4 + tx.chain_id.size() + 32 + 8 + 2 + 4 + tx.payload.size() + crypto::kSignatureBytes;
  if (encoded_size > kMaxTxBytes) {
    return fail(ErrorCode::kLimitExceeded, std::to_string(encoded_size) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(kMaxTxBytes));
  }
  const TxTypeInfo* info = find_tx_type(tx.type);
  if (info == nullptr) {
    return fail(ErrorCode::kInvalidArgument,
                "unknown transaction type " + std::to_string(static_cast<uint16_t>(tx.type)));
  }
  if (check_signature && !verify_signature(tx)) {
    return fail(ErrorCode::kUnauthenticated,
                "signature does not verify for sender " + short_hex(tx.sender));
  }
  auto it = s.accounts.find(tx.sender);
  if (it == s.accounts.end()) {
    return fail(ErrorCode::kFailedPrecondition,
                "account " + short_hex(tx.sender) + " has no credits; receive a transfer first");
  }
  if (it->second.nonce == UINT64_MAX || tx.nonce != it->second.nonce + 1) {
    return fail(ErrorCode::kFailedPrecondition,
                "nonce " + std::to_string(tx.nonce) + " but account " + short_hex(tx.sender) +
                    " expects " + std::to_string(it->second.nonce + 1));
  }
  s.tx_undo.clear();
  detail::StateMutator m(*this);
  Account sender = it->second;
  sender.nonce = tx.nonce;
  m.put_account(tx.sender, sender);
  Status st = info->apply(m, tx, ctx);
  if (!st.ok()) {
    s.undo_tx();
    return fail(st.error().code, st.error().message);
  }
  s.tx_undo.clear();
  return Status::Ok();
}

std::vector<StateEntry> State::commit_block() {
  Impl& s = *impl_;
  std::vector<StateEntry> out;
  auto fold = [&](Bytes key, const std::optional<Bytes>& before, std::optional<Bytes> after) {
    if (before == after) return;
    if (before) s.acc.remove(crypto::as_bytes(key), crypto::as_bytes(*before));
    if (after) s.acc.add(crypto::as_bytes(key), crypto::as_bytes(*after));
    out.push_back(StateEntry{std::move(key), std::move(after)});
  };
  auto opt_value = [](const auto& v, auto&& enc) -> std::optional<Bytes> {
    if (!v) return std::nullopt;
    return enc(*v);
  };
  out.reserve(s.block_accounts.size() + s.block_files.size() + s.block_grants.size() + 1);
  for (const auto& [id, before] : s.block_accounts) {
    auto now = s.get_account(id);
    if (now == before) continue;
    fold(account_key(id), opt_value(before, account_value), opt_value(now, account_value));
  }
  for (const auto& [id, before] : s.block_files) {
    auto now = s.get_file(id);
    if (now == before) continue;
    fold(file_key(id), opt_value(before, file_value), opt_value(now, file_value));
  }
  for (const auto& [k, before] : s.block_grants) {
    auto now = s.get_grant(k);
    if (now == before) continue;
    fold(grant_key(k), opt_value(before, grant_value), opt_value(now, grant_value));
  }
  if (s.block_next_file_id && *s.block_next_file_id != s.next_file_id) {
    fold(meta_key(), meta_value(*s.block_next_file_id), meta_value(s.next_file_id));
  }
  for (const auto& [k, before] : s.block_kv) {
    auto now = s.get_kv(k);
    if (now == before) continue;
    fold(k, before, std::move(now));
  }
  s.block_kv.clear();
  s.block_accounts.clear();
  s.block_files.clear();
  s.block_grants.clear();
  s.block_next_file_id.reset();
  s.tx_undo.clear();
  std::sort(out.begin(), out.end(),
            [](const StateEntry& a, const StateEntry& b) { return a.key < b.key; });
  s.update_hash();
  return out;
}

void State::rollback_block() {
  Impl& s = *impl_;
  for (const auto& [id, before] : s.block_accounts) s.set_account(id, before);
  for (const auto& [id, before] : s.block_files) s.set_file(id, before);
  for (const auto& [k, before] : s.block_grants) s.set_grant(k, before);
  if (s.block_next_file_id) s.next_file_id = *s.block_next_file_id;
  for (const auto& [k, before] : s.block_kv) s.set_kv(k, before);
  s.block_kv.clear();
  s.block_accounts.clear();
  s.block_files.clear();
  s.block_grants.clear();
  s.block_next_file_id.reset();
  s.tx_undo.clear();
}

Hash32 State::state_hash() const { return impl_->hash; }

const std::string& State::chain_id() const { return impl_->chain_id; }

std::vector<StateEntry> State::entries() const {
  std::vector<StateEntry> out;
  out.reserve(impl_->accounts.size() + impl_->files.size() + impl_->grants.size() + 1 +
              impl_->kv.size());
  impl_->for_each_entry([&](Bytes k, Bytes v) {
    out.push_back(StateEntry{std::move(k), std::move(v)});
  });
  std::sort(out.begin(), out.end(),
            [](const StateEntry& a, const StateEntry& b) { return a.key < b.key; });
  return out;
}

std::optional<Account> State::account(const AccountId& id) const { return impl_->get_account(id); }

std::optional<FileRecord> State::file(uint64_t id) const { return impl_->get_file(id); }

std::vector<FileRecord> State::files_owned_by(const AccountId& owner) const {
  std::vector<FileRecord> out;
  auto it = impl_->files_by_owner.find(owner);
  if (it == impl_->files_by_owner.end()) return out;
  for (uint64_t id : it->second) out.push_back(impl_->files.at(id));
  return out;
}

std::vector<Grant> State::grants_for_file(uint64_t file_id) const {
  std::vector<Grant> out;
  for (auto it = impl_->grants.lower_bound({file_id, AccountId{}});
       it != impl_->grants.end() && it->first.first == file_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::vector<Grant> State::grants_to(const AccountId& grantee) const {
  std::vector<Grant> out;
  auto it = impl_->grants_to.find(grantee);
  if (it == impl_->grants_to.end()) return out;
  for (uint64_t file_id : it->second) out.push_back(impl_->grants.at({file_id, grantee}));
  return out;
}

std::optional<Grant> State::grant(uint64_t file_id, const AccountId& grantee) const {
  return impl_->get_grant({file_id, grantee});
}

bool State::grant_active(const Grant& grant, uint64_t now) const {
  return !grant.revoked && (grant.expires_at == 0 || now < grant.expires_at);
}

size_t State::account_count() const { return impl_->accounts.size(); }

uint64_t State::next_file_id() const { return impl_->next_file_id; }

std::optional<Bytes> State::entry(ByteView key) const {
  auto it = impl_->kv.find(Bytes(key.begin(), key.end()));
  if (it == impl_->kv.end()) return std::nullopt;
  return it->second;
}

void State::scan(ByteView prefix,
                 const std::function<bool(const Bytes& key, const Bytes& value)>& fn,
                 ByteView start_after) const {
  const auto& kv = impl_->kv;
  auto it = start_after.empty() ? kv.lower_bound(Bytes(prefix.begin(), prefix.end()))
                                : kv.upper_bound(Bytes(start_after.begin(), start_after.end()));
  for (; it != kv.end(); ++it) {
    const Bytes& k = it->first;
    if (k.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), k.begin())) break;
    if (!fn(k, it->second)) break;
  }
}

}  // namespace datadao::ledger
