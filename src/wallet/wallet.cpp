#include "datadao/wallet/wallet.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/store/file.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::wallet {
namespace {

using nlohmann::json;

constexpr size_t kPlaintextBytes = crypto::kSignSeedBytes + crypto::kSignSeedBytes;
constexpr size_t kCiphertextBytes = kPlaintextBytes + crypto::kAeadTagBytes;

// Every field of a wallet file, decoded.
struct WalletFile {
  std::string name;
  uint64_t created_at = 0;
  crypto::PublicKey sign_public_key{};
  crypto::PublicKey box_public_key{};
  crypto::KdfParams kdf;
  std::array<uint8_t, crypto::kKdfSaltBytes> salt{};
  std::array<uint8_t, crypto::kAeadNonceBytes> nonce{};
  crypto::Bytes ciphertext;
};

crypto::Bytes associated_data(const WalletFile& f) {
  codec::Writer w;
  w.str("datadao-wallet-ad")
      .str(kWalletFormat)
      .u32(kWalletVersion)
      .str(f.name)
      .u64(f.created_at)
      .str(kKdfAlg)
      .u64(f.kdf.opslimit)
      .u64(f.kdf.memlimit)
      .fixed(f.salt);
  return w.take();
}

crypto::Hash32 checksum(const WalletFile& f) {
  codec::Writer w;
  w.str("datadao-wallet-checksum")
      .str(kWalletFormat)
      .u32(kWalletVersion)
      .str(f.name)
      .u64(f.created_at)
      .fixed(f.sign_public_key)
      .fixed(f.box_public_key)
      .str(kKdfAlg)
      .u64(f.kdf.opslimit)
      .u64(f.kdf.memlimit)
      .fixed(f.salt)
      .fixed(f.nonce)
      .bytes(f.ciphertext);
  return crypto::blake2b256(w.data());
}

// ordered_json keeps the documented field order, which is easier on a human reading the file.
nlohmann::ordered_json to_json(const WalletFile& f) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["format"] = kWalletFormat;
  j["version"] = kWalletVersion;
  j["name"] = f.name;
  j["created_at"] = f.created_at;
  j["sign_public_key"] = codec::to_hex(f.sign_public_key);
  j["box_public_key"] = codec::to_hex(f.box_public_key);
  j["kdf"] = nlohmann::ordered_json{{"alg", kKdfAlg},
                                    {"opslimit", f.kdf.opslimit},
                                    {"memlimit", f.kdf.memlimit},
                                    {"salt", codec::to_base64(f.salt)}};
  j["nonce"] = codec::to_base64(f.nonce);
  j["ciphertext"] = codec::to_base64(f.ciphertext);
  j["checksum"] = codec::to_hex(checksum(f));
  return j;
}

// Strict field access for one JSON object; every error is kCorruption naming the field.
class Fields {
 public:
  Fields(const json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

  Status only(std::initializer_list<std::string_view> allowed) const {
    std::set<std::string_view> ok(allowed);
    for (const auto& [key, value] : obj_.items()) {
      if (!ok.count(key)) return corrupt("unknown field '" + key.substr(0, 40) + "'");
    }
    return Status::Ok();
  }

  Result<std::string> str(std::string_view key) const {
    DD_ASSIGN(const json* v, get(key));
    if (!v->is_string()) return corrupt_field(key, "expected a string");
    return v->get<std::string>();
  }

  Result<uint64_t> u64(std::string_view key) const {
    DD_ASSIGN(const json* v, get(key));
    if (!v->is_number_unsigned()) return corrupt_field(key, "expected an unsigned integer");
    return v->get<uint64_t>();
  }

  Result<const json*> object(std::string_view key) const {
    DD_ASSIGN(const json* v, get(key));
    if (!v->is_object()) return corrupt_field(key, "expected an object");
    return v;
  }

  template <size_t N>
  Result<std::array<uint8_t, N>> hex(std::string_view key) const {
    DD_ASSIGN(std::string s, str(key));
    auto r = codec::from_hex_fixed<N>(s, field_name(key));
    if (!r.ok()) return make_error(ErrorCode::kCorruption, r.error().message);
    return *r;
  }

  Result<crypto::Bytes> b64(std::string_view key, size_t expected_len) const {
    DD_ASSIGN(std::string s, str(key));
    auto r = codec::from_base64(s, field_name(key));
    if (!r.ok()) return make_error(ErrorCode::kCorruption, r.error().message);
    if (r->size() != expected_len) {
      return corrupt_field(key, "expected " + std::to_string(expected_len) + " bytes, got " +
                                    std::to_string(r->size()));
    }
    return std::move(r).value();
  }

  template <size_t N>
  Result<std::array<uint8_t, N>> b64_fixed(std::string_view key) const {
    DD_ASSIGN(crypto::Bytes b, b64(key, N));
    std::array<uint8_t, N> a{};
    std::copy(b.begin(), b.end(), a.begin());
    return a;
  }

  std::string field_name(std::string_view key) const {
    return prefix_ + "field '" + std::string(key) + "'";
  }
  Error corrupt(std::string why) const { return make_error(ErrorCode::kCorruption, prefix_ + why); }
  Error corrupt_field(std::string_view key, std::string why) const {
    return make_error(ErrorCode::kCorruption, field_name(key) + ": " + why);
  }

 private:
  Result<const json*> get(std::string_view key) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return corrupt("missing field '" + std::string(key) + "'");
    return &*it;
  }

  const json& obj_;
  std::string prefix_;
};

// Decodes the JSON text of a wallet file. Errors are kCorruption without the file name.
Result<WalletFile> parse_wallet_file(const crypto::Bytes& bytes) {
  json j;
  try {
    j = json::parse(bytes.begin(), bytes.end());
  } catch (const json::parse_error& e) {
    return make_error(ErrorCode::kCorruption, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) return make_error(ErrorCode::kCorruption, "not a JSON object");
  Fields top(j, "");
  DD_TRY(top.only({"format", "version", "name", "created_at", "sign_public_key", "box_public_key",
                   "kdf", "nonce", "ciphertext", "checksum"}));
  DD_ASSIGN(std::string format, top.str("format"));
  if (format != kWalletFormat) {
    return top.corrupt_field("format",
                             "expected \"datadao-wallet\", got \"" + format.substr(0, 40) + "\"");
  }
  DD_ASSIGN(uint64_t version, top.u64("version"));
  if (version != kWalletVersion) {
    return top.corrupt_field(
        "version", "unknown version " + std::to_string(version) + " (this build reads version 1)");
  }
  WalletFile f;
  DD_ASSIGN(f.name, top.str("name"));
  if (Status s = validate_wallet_name(f.name); !s.ok()) {
    return top.corrupt_field("name", s.error().message);
  }
  DD_ASSIGN(f.created_at, top.u64("created_at"));
  DD_ASSIGN(f.sign_public_key, top.hex<crypto::kSignPublicKeyBytes>("sign_public_key"));
  DD_ASSIGN(f.box_public_key, top.hex<crypto::kBoxPublicKeyBytes>("box_public_key"));
  DD_ASSIGN(const json* kdf_json, top.object("kdf"));
  Fields kdf(*kdf_json, "field 'kdf': ");
  DD_TRY(kdf.only({"alg", "opslimit", "memlimit", "salt"}));
  DD_ASSIGN(std::string alg, kdf.str("alg"));
  if (alg != kKdfAlg) {
    return kdf.corrupt_field("alg", "unsupported algorithm \"" + alg.substr(0, 40) + "\"");
  }
  DD_ASSIGN(f.kdf.opslimit, kdf.u64("opslimit"));
  DD_ASSIGN(f.kdf.memlimit, kdf.u64("memlimit"));
  DD_ASSIGN(f.salt, kdf.b64_fixed<crypto::kKdfSaltBytes>("salt"));
  DD_ASSIGN(f.nonce, top.b64_fixed<crypto::kAeadNonceBytes>("nonce"));
  DD_ASSIGN(f.ciphertext, top.b64("ciphertext", kCiphertextBytes));
  DD_ASSIGN(crypto::Hash32 stored, top.hex<crypto::kHashBytes>("checksum"));
  if (!crypto::equal_ct(stored, checksum(f))) {
    return make_error(ErrorCode::kCorruption, "checksum mismatch: the file was damaged or edited");
  }
  // Bounds checked after the checksum so that a damaged number is reported as damage.
  if (f.kdf.memlimit > kMaxKdfMemlimit) {
    return kdf.corrupt_field("memlimit",
                             std::to_string(f.kdf.memlimit) + " bytes is above the 1 GiB limit");
  }
  if (f.kdf.opslimit == 0 || f.kdf.opslimit > kMaxKdfOpslimit) {
    return kdf.corrupt_field("opslimit", std::to_string(f.kdf.opslimit) + " is outside [1, " +
                                             std::to_string(kMaxKdfOpslimit) + "]");
  }
  return f;
}

std::string wallet_label(const std::filesystem::path& path) {
  return "wallet file " + path.string();
}

}  // namespace

Status check_new_passphrase(std::string_view passphrase) {
  if (passphrase.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "the passphrase is empty");
  }
  if (passphrase.size() > kMaxPassphraseBytes) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "the passphrase is longer than " + std::to_string(kMaxPassphraseBytes) + " bytes");
  }
  size_t chars = 0;
  for (char c : passphrase) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars < kMinPassphraseChars) {
    return make_error(ErrorCode::kInvalidArgument, "the passphrase is too short: at least " +
                                                       std::to_string(kMinPassphraseChars) +
                                                       " characters are required");
  }
  return Status::Ok();
}

Result<std::filesystem::path> resolve_wallet_path(std::string_view name_or_path) {
  if (is_valid_wallet_name(name_or_path)) return wallet_path(name_or_path);
  if (name_or_path.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "no wallet name or path given");
  }
  return std::filesystem::path(name_or_path);
}

Result<Wallet> create_wallet(std::string_view name, std::string_view passphrase,
                             const crypto::KdfParams& params) {
  DD_TRY(validate_wallet_name(name));
  const std::string label = "wallet '" + std::string(name) + "'";
  if (Status s = check_new_passphrase(passphrase); !s.ok()) return s.error().with_context(label);
  const crypto::KdfParams floor = crypto::KdfParams::interactive();
  if (params.opslimit < floor.opslimit || params.memlimit < floor.memlimit ||
      params.opslimit > kMaxKdfOpslimit || params.memlimit > kMaxKdfMemlimit) {
    return make_error(ErrorCode::kInvalidArgument,
                      label + ": KDF parameters (opslimit " + std::to_string(params.opslimit) +
                          ", memlimit " + std::to_string(params.memlimit) +
                          ") must be at least interactive() and at most opslimit " +
                          std::to_string(kMaxKdfOpslimit) + ", memlimit 1 GiB");
  }
  DD_ASSIGN(std::filesystem::path path, wallet_path(name));
  // Cheap early check so that an existing wallet is reported before the slow KDF runs; the
  // link() in write_file_atomic is what actually guarantees no overwrite.
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    return make_error(ErrorCode::kAlreadyExists,
                      label + " already exists at " + path.string() + "; it is never overwritten");
  }
  DD_TRY(ensure_dir(path.parent_path()));

  crypto::SecretBytes plaintext{crypto::Bytes(kPlaintextBytes)};
  crypto::random_bytes(plaintext.bytes());
  const crypto::ByteView sign_seed = plaintext.view().first(crypto::kSignSeedBytes);
  const crypto::ByteView box_seed = plaintext.view().subspan(crypto::kSignSeedBytes);

  Wallet w;
  w.name = std::string(name);
  w.sign = crypto::SigningKeyPair::from_seed(sign_seed);
  w.box = crypto::BoxKeyPair::from_seed(box_seed);
  w.created_at = unix_now();

  WalletFile f;
  f.name = w.name;
  f.created_at = w.created_at;
  f.sign_public_key = w.sign.public_key;
  f.box_public_key = w.box.public_key;
  f.kdf = params;
  crypto::random_bytes(f.salt);
  crypto::random_bytes(f.nonce);
  auto key = crypto::derive_key(passphrase, f.salt, params);
  if (!key.ok()) return key.error().with_context(label);
  f.ciphertext = crypto::aead_encrypt(*key, f.nonce, plaintext.view(), associated_data(f));

  const std::string text = to_json(f).dump(2) + "\n";
  Status s = store::write_file_atomic(path, text,
                                      store::WriteOptions{.publish = store::Publish::kNoReplace},
                                      label + " (" + path.string() + ")");
  if (!s.ok()) return s.error();
  return w;
}

namespace {

// Reads, checks the mode of, and parses a wallet file (everything load_wallet does before the
// passphrase is needed).
Result<WalletFile> read_wallet_file(std::string_view name_or_path, std::filesystem::path& path,
                                    std::string& label) {
  DD_ASSIGN(path, resolve_wallet_path(name_or_path));
  const bool by_name = is_valid_wallet_name(name_or_path);
  label = wallet_label(path);

  auto contents = store::read_file_limited(path, kMaxWalletFileBytes, label);
  if (!contents.ok()) {
    if (by_name && contents.error().code == ErrorCode::kNotFound) {
      return make_error(ErrorCode::kNotFound, "wallet '" + std::string(name_or_path) +
                                                  "' not found (no file " + path.string() + ")");
    }
    return contents.error();
  }
  if ((contents->mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(contents->mode & 07777));
    return make_error(ErrorCode::kPermissionDenied,
                      label + ": mode " + mode +
                          " gives group or others access to an encrypted key; refusing to use "
                          "it (run: chmod 600 " +
                          path.string() + ")");
  }
  auto parsed = parse_wallet_file(contents->bytes);
  if (!parsed.ok()) return parsed.error().with_context(label);
  if (by_name && parsed->name != name_or_path) {
    return make_error(ErrorCode::kCorruption, label + ": holds wallet '" + parsed->name +
                                                  "', not '" + std::string(name_or_path) + "'");
  }
  return parsed;
}

}  // namespace

Result<WalletInfo> read_wallet_info(std::string_view name_or_path) {
  std::filesystem::path path;
  std::string label;
  DD_ASSIGN(WalletFile f, read_wallet_file(name_or_path, path, label));
  return WalletInfo{f.name, f.sign_public_key, f.box_public_key, f.created_at};
}

Result<Wallet> load_wallet(std::string_view name_or_path, std::string_view passphrase) {
  std::filesystem::path path;
  std::string label;
  DD_ASSIGN(const WalletFile f, read_wallet_file(name_or_path, path, label));

  auto key = crypto::derive_key(passphrase, f.salt, f.kdf);
  if (!key.ok()) {
    return make_error(ErrorCode::kCorruption,
                      label + ": field 'kdf': parameters rejected: " + key.error().message);
  }
  auto plaintext = crypto::aead_decrypt(*key, f.nonce, f.ciphertext, associated_data(f));
  if (!plaintext.ok()) {
    return make_error(ErrorCode::kUnauthenticated,
                      "wrong passphrase for wallet '" + f.name + "' (" + path.string() + ")");
  }
  if (plaintext->size() != kPlaintextBytes) {
    return make_error(ErrorCode::kCorruption,
                      label + ": decrypted key material has the wrong size");
  }
  Wallet w;
  w.name = f.name;
  w.created_at = f.created_at;
  w.sign = crypto::SigningKeyPair::from_seed(plaintext->view().first(crypto::kSignSeedBytes));
  w.box = crypto::BoxKeyPair::from_seed(plaintext->view().subspan(crypto::kSignSeedBytes));
  if (!crypto::equal_ct(w.sign.public_key, f.sign_public_key)) {
    return make_error(ErrorCode::kCorruption,
                      label + ": sign_public_key does not match the encrypted signing key");
  }
  if (!crypto::equal_ct(w.box.public_key, f.box_public_key)) {
    return make_error(ErrorCode::kCorruption,
                      label + ": box_public_key does not match the encrypted box key");
  }
  return w;
}

}  // namespace datadao::wallet
