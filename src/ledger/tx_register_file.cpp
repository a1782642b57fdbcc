// RegisterFile: records an encrypted blob owned by the sender; the state assigns the file id.
// Rules: size > 0; source is [a-z0-9_-]{1,32}; locator <= 512 bytes; one file per
// (owner, blob hash).
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/transaction.hpp"
#include "registry.hpp"
#include "state_mutator.hpp"

namespace datadao::ledger {

Bytes encode_payload(const RegisterFile& p) {
  codec::Writer w(56 + p.source.size() + p.locator.size());
  w.fixed(p.blob_hash).u64(p.size).str(p.source).str(p.locator);
  return w.take();
}

Result<RegisterFile> decode_payload(ByteView bytes, std::type_identity<RegisterFile>) {
  codec::Reader r(bytes, "register_file payload");
  RegisterFile p;
  p.blob_hash = r.fixed<crypto::kHashBytes>("blob_hash");
  p.size = r.u64("size");
  p.source = r.str("source", kMaxSourceBytes);
  p.locator = r.str("locator", kMaxLocatorBytes);
  DD_TRY(r.finish());
  return p;
}

bool is_valid_source(std::string_view s) {
  if (s.empty() || s.size() > kMaxSourceBytes) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

namespace {

Status apply(detail::StateMutator& m, const Transaction& tx, const BlockContext& ctx) {
  DD_ASSIGN(RegisterFile p, payload_as<RegisterFile>(tx));
  if (p.size == 0)
    return make_error(ErrorCode::kInvalidArgument, "register_file: size must be > 0");
  if (!is_valid_source(p.source)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "register_file: source must match [a-z0-9_-]{1,32}");
  }
  if (p.locator.size() > kMaxLocatorBytes) {
    return make_error(ErrorCode::kLimitExceeded, "register_file: locator exceeds " +
                                                     std::to_string(kMaxLocatorBytes) + " bytes");
  }
  if (auto existing = m.file_by_blob(tx.sender, p.blob_hash)) {
    return make_error(ErrorCode::kAlreadyExists,
                      "register_file: blob " + short_hex(p.blob_hash) +
                          " is already registered by this owner as file " +
                          std::to_string(*existing));
  }
  FileRecord f;
  f.id = m.allocate_file_id();
  f.owner = tx.sender;
  f.blob_hash = p.blob_hash;
  f.size = p.size;
  f.source = std::move(p.source);
  f.locator = std::move(p.locator);
  f.registered_height = ctx.height;
  m.put_file(f);
  return Status::Ok();
}

}  // namespace

nlohmann::json to_json(const RegisterFile& p) {
  return {{"blob_hash", codec::to_hex(p.blob_hash)},
          {"size", p.size},
          {"source", p.source},
          {"locator", p.locator}};
}

constinit const TxTypeInfo kRegisterFileInfo =
    tx_type_info<RegisterFile>(TxType::kRegisterFile, "register_file", &apply);

}  // namespace datadao::ledger
