#include <iostream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/vault/vault.hpp"
#include "datadao/wallet/keyring.hpp"

namespace datadao::cli {

using nlohmann::json;

std::unique_ptr<vault::Backend> make_backend(const Context& ctx, const std::string& vault_dir) {
  if (!vault_dir.empty()) return std::make_unique<vault::LocalDirBackend>(vault_dir);
  return std::make_unique<vault::HttpBackend>(ctx.resolved_node_url());
}

// The file key for `hash`: the wallet's own keyring, else an active grant on the ledger.
crypto::SymmetricKey key_for_blob(const Context& ctx, const wallet::Wallet& w,
                                  const crypto::Hash32& hash) {
  auto own = wallet::keyring_get(w, hash);
  if (own.ok()) return std::move(own).value();
  if (own.error().code != ErrorCode::kNotFound) throw CliError(own.error());

  auto client = ctx.client();
  json grants = unwrap(client.get("/v1/grants?grantee=" + codec::to_hex(w.account())));
  const std::string want = codec::to_hex(hash);
  std::optional<json> inactive;
  for (const auto& g : grants["grants"]) {
    if (!g.contains("file") || g["file"].value("blob_hash", "") != want) continue;
    if (!g.value("active", false)) {
      inactive = g;
      continue;
    }
    auto sealed = unwrap(codec::from_base64(g.value("sealed_key", ""), "sealed key"));
    return unwrap(vault::receive_key(w.box, sealed));
  }
  if (inactive) {
    const auto& g = *inactive;
    throw CliError(ErrorCode::kPermissionDenied,
                   "access to file " + std::to_string(g.value("file_id", 0)) + " was " +
                       (g.value("revoked", false)
                            ? "revoked at block " + std::to_string(g.value("revoked_height", 0))
                            : std::string("granted until ") +
                                  std::to_string(g.value("expires_at", 0)) + " and has expired"));
  }
  throw CliError(ErrorCode::kNotFound, "wallet '" + w.name + "' holds no key for blob " +
                                           want.substr(0, 16) +
                                           " (not in its keyring, and no grant on the ledger)");
}

void register_vault_commands(CLI::App& app, Context& ctx) {
  auto* v = app.add_subcommand("vault", "Encrypted, content-addressed blob storage");
  v->require_subcommand(1);
  static std::string vault_dir;
  static const std::string dir_help = "Use a local directory instead of the node's blob store";

  static std::string path;
  auto* put = v->add_subcommand(
      "put",
      "Encrypt a file with a fresh random key and store the ciphertext; the key is kept "
      "in your wallet's keyring");
  put->add_option("file", path, "File to store")->required()->check(CLI::ExistingFile);
  put->add_option("--vault-dir", vault_dir, dir_help);
  put->footer("Example:\n  datadao --wallet alice vault put reddit_export.zip");
  put->callback([&ctx] {
    auto w = ctx.open_wallet();
    auto backend = make_backend(ctx, vault_dir);
    auto [info, key] = unwrap(vault::seal_file(path, *backend));
    check(wallet::keyring_put(w, info.hash, key));
    json j = {{"blob_hash", codec::to_hex(info.hash)},
              {"plaintext_size", info.plaintext_size},
              {"ciphertext_size", info.ciphertext_size},
              {"locator", backend->locator(info.hash)}};
    // info named in the capture: clang 14 cannot capture a structured binding implicitly
    emit(ctx, j, [&, &info = info] {
      std::cout << "stored   " << codec::to_hex(info.hash) << "\n"
                << "size     " << info.plaintext_size << " bytes (" << info.ciphertext_size
                << " encrypted)\n"
                << "where    " << backend->locator(info.hash) << "\n"
                << "key      in the keyring of wallet '" << w.name << "'\n";
    });
  });

  static std::string hash_hex, out;
  auto* get = v->add_subcommand(
      "get", "Fetch a blob and decrypt it with your key or a key granted to you on the ledger");
  get->add_option("hash", hash_hex, "Blob hash (64 hex)")->required();
  get->add_option("-o,--out", out, "Where to write the plaintext")->required();
  get->add_option("--vault-dir", vault_dir, dir_help);
  get->footer("Example:\n  datadao --wallet bob vault get 3fa2...e1 -o export.zip");
  get->callback([&ctx] {
    auto w = ctx.open_wallet();
    const auto hash = unwrap(codec::from_hex_fixed<32>(hash_hex, "blob hash"));
    const auto key = key_for_blob(ctx, w, hash);
    auto backend = make_backend(ctx, vault_dir);
    auto info = unwrap(vault::open_blob(*backend, hash, key, out));
    json j = {{"blob_hash", hash_hex}, {"out", out}, {"plaintext_size", info.plaintext_size}};
    emit(ctx, j, [&] {
      std::cout << "decrypted " << info.plaintext_size << " bytes to " << out
                << " (hash and every chunk verified)\n";
    });
  });
}

}  // namespace datadao::cli
