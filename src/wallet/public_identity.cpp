#include "datadao/wallet/public_identity.hpp"

#include <nlohmann/json.hpp>

#include "datadao/store/file.hpp"

#include "datadao/codec/codec.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::wallet {
namespace {

constexpr std::string_view kFormat = "datadao-public-identity";
constexpr uint32_t kVersion = 1;

Error invalid(std::string_view field, std::string why) {
  return make_error(ErrorCode::kInvalidArgument,
                    "public identity: field '" + std::string(field) + "': " + std::move(why));
}

Result<std::string> get_string(const nlohmann::json& j, std::string_view field) {
  auto it = j.find(field);
  if (it == j.end()) return invalid(field, "missing");
  if (!it->is_string()) return invalid(field, "expected a string");
  return it->get<std::string>();
}

template <size_t N>
Result<std::array<uint8_t, N>> get_hex(const nlohmann::json& j, std::string_view field) {
  DD_ASSIGN(std::string s, get_string(j, field));
  auto r = codec::from_hex_fixed<N>(s, "public identity: field '" + std::string(field) + "'");
  if (!r.ok()) return make_error(ErrorCode::kInvalidArgument, r.error().message);
  return *r;
}

}  // namespace

crypto::Bytes public_identity_signed_bytes(const PublicIdentity& identity) {
  codec::Writer w;
  w.str(kFormat).u32(kVersion).str(identity.name).fixed(identity.account).fixed(identity.box_key);
  return w.take();
}

PublicIdentity export_public(const Wallet& wallet) {
  PublicIdentity id;
  id.name = wallet.name;
  id.account = wallet.account();
  id.box_key = wallet.box.public_key;
  id.signature = crypto::sign(wallet.sign, public_identity_signed_bytes(id));
  return id;
}

nlohmann::json to_json(const PublicIdentity& identity) {
  return nlohmann::json{{"format", kFormat},
                        {"version", kVersion},
                        {"name", identity.name},
                        {"account", codec::to_hex(identity.account)},
                        {"box_public_key", codec::to_hex(identity.box_key)},
                        {"signature", codec::to_hex(identity.signature)}};
}

Result<PublicIdentity> public_identity_from_json(const nlohmann::json& j) {
  if (!j.is_object()) {
    return make_error(ErrorCode::kInvalidArgument, "public identity: expected a JSON object");
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "format" && key != "version" && key != "name" && key != "account" &&
        key != "box_public_key" && key != "signature") {
      return invalid(key.substr(0, 40), "unknown field");
    }
  }
  DD_ASSIGN(std::string format, get_string(j, "format"));
  if (format != kFormat) return invalid("format", "expected \"datadao-public-identity\"");
  auto v = j.find("version");
  if (v == j.end()) return invalid("version", "missing");
  if (!v->is_number_unsigned()) return invalid("version", "expected an unsigned integer");
  if (v->get<uint64_t>() != kVersion) {
    return invalid("version", "unknown version " + std::to_string(v->get<uint64_t>()));
  }
  PublicIdentity id;
  DD_ASSIGN(id.name, get_string(j, "name"));
  if (Status s = validate_wallet_name(id.name); !s.ok()) return invalid("name", s.error().message);
  DD_ASSIGN(id.account, get_hex<crypto::kSignPublicKeyBytes>(j, "account"));
  DD_ASSIGN(id.box_key, get_hex<crypto::kBoxPublicKeyBytes>(j, "box_public_key"));
  DD_ASSIGN(id.signature, get_hex<crypto::kSignatureBytes>(j, "signature"));
  if (!crypto::verify(id.account, public_identity_signed_bytes(id), id.signature)) {
    return make_error(ErrorCode::kUnauthenticated,
                      "public identity '" + id.name + "' (account " +
                          codec::to_hex(id.account).substr(0, 16) +
                          "...): signature does not verify; the box key was not endorsed by the "
                          "account key");
  }
  return id;
}

Result<PublicIdentity> read_public_identity_file(const std::filesystem::path& path) {
  const std::string label = "public identity file " + path.string();
  DD_ASSIGN(store::FileContents contents,
            store::read_file_limited(path, kMaxWalletFileBytes, label));
  nlohmann::json j = nlohmann::json::parse(contents.bytes.begin(), contents.bytes.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(ErrorCode::kInvalidArgument, label + ": not JSON");
  auto id = public_identity_from_json(j);
  if (!id.ok()) return id.error().with_context(label);
  return id;
}

}  // namespace datadao::wallet
