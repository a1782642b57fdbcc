#include <chrono>
#include <iostream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/vault/vault.hpp"
#include "datadao/wallet/keyring.hpp"

namespace datadao::cli {

using nlohmann::json;

std::unique_ptr<vault::Backend> make_backend(const Context& ctx, const std::string& vault_dir);

namespace {

json fetch_file(const Context& ctx, uint64_t id) {
  return unwrap(ctx.client().get("/v1/files/" + std::to_string(id)));
}

void print_included(const Context& ctx, const std::string& what, const json& outcome) {
  emit(ctx, outcome, [&] {
    std::cout << what << " (tx " << outcome.value("tx_id", "") << ", block "
              << outcome.value("height", 0) << ")\n";
  });
}

}  // namespace

void register_file_commands(CLI::App& app, Context& ctx) {
  auto* f = app.add_subcommand("file",
                               "Register files on the ledger and control who may read "
                               "them");
  f->require_subcommand(1);

  static std::string hash_hex, source, vault_dir;
  auto* reg = f->add_subcommand("register", "Record a stored blob on the ledger as your file");
  reg->add_option("hash", hash_hex, "Blob hash from `vault put`")->required();
  reg->add_option("--source", source, "Where the data comes from: reddit, x, oura, spotify, ...")
      ->required();
  reg->add_option("--vault-dir", vault_dir, "The blob is in this local directory, not the node");
  reg->footer("Example:\n  datadao --wallet alice file register 3fa2...e1 --source reddit");
  reg->callback([&ctx] {
    auto w = ctx.open_wallet();
    const auto hash = unwrap(codec::from_hex_fixed<32>(hash_hex, "blob hash"));
    // Only what you can open is yours to register: the key must be in your keyring.
    unwrap(wallet::keyring_get(w, hash));
    auto backend = make_backend(ctx, vault_dir);
    auto reader = unwrap(backend->open_reader(hash));
    ledger::RegisterFile p;
    p.blob_hash = hash;
    p.size = reader->size();
    p.source = source;
    p.locator = backend->locator(hash);
    json out = submit_signed(ctx, w, p);
    // The file id is assigned by the ledger: find it among the wallet's files.
    json files = unwrap(ctx.client().get("/v1/files?owner=" + codec::to_hex(w.account())));
    for (const auto& fj : files["files"]) {
      if (fj.value("blob_hash", "") == hash_hex) out["file_id"] = fj.value("id", 0);
    }
    emit(ctx, out, [&] {
      std::cout << "registered file " << out.value("file_id", 0) << " (tx "
                << out.value("tx_id", "") << ", block " << out.value("height", 0) << ")\n";
    });
  });

  static uint64_t file_id = 0;
  static std::string to, purpose;
  static uint64_t expires_in = 0;
  auto* grant = f->add_subcommand(
      "grant", "Give someone read access: your file key, sealed to their box key, on the ledger");
  grant->add_option("file", file_id, "File id")->required()->check(CLI::PositiveNumber);
  grant->add_option("--to", to, "Their public identity file (wallet export-public) or wallet name")
      ->required();
  grant->add_option("--purpose", purpose, "What they may use it for")->required();
  grant->add_option("--expires-in", expires_in, "Seconds until the grant lapses (0 = never)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{100} * 365 * 24 * 3600));
  grant->footer(
      "Example:\n  datadao --wallet alice file grant 1 --to bob.pub.json --purpose 'research'");
  grant->callback([&ctx] {
    auto w = ctx.open_wallet();
    const Recipient r = resolve_recipient(to);
    json fj = fetch_file(ctx, file_id);
    const auto hash = unwrap(codec::from_hex_fixed<32>(fj.value("blob_hash", ""), "blob hash"));
    const auto key = unwrap(wallet::keyring_get(w, hash));
    ledger::GrantAccess p;
    p.file_id = file_id;
    p.grantee = r.account;
    p.grantee_box_key = r.box_key;
    p.sealed_key = vault::share_key(key, r.box_key);
    p.purpose = purpose;
    if (expires_in > 0) {
      p.expires_at = unix_now() + expires_in;
    }
    print_included(ctx, "granted file " + std::to_string(file_id) + " to " + r.name,
                   submit_signed(ctx, w, p));
  });

  static std::string from;
  auto* revoke = f->add_subcommand("revoke",
                                   "Withdraw a grant: the grantee can no longer fetch "
                                   "the key from the ledger");
  revoke->add_option("file", file_id, "File id")->required()->check(CLI::PositiveNumber);
  revoke->add_option("--from", from, "Their public identity file or wallet name")->required();
  revoke->footer("Example:\n  datadao --wallet alice file revoke 1 --from bob.pub.json");
  revoke->callback([&ctx] {
    auto w = ctx.open_wallet();
    const Recipient r = resolve_recipient(from);
    ledger::RevokeAccess p;
    p.file_id = file_id;
    p.grantee = r.account;
    print_included(ctx, "revoked " + r.name + "'s access to file " + std::to_string(file_id),
                   submit_signed(ctx, w, p));
  });

  auto* list = f->add_subcommand("list", "Files you registered and files granted to you");
  list->footer("Example:\n  datadao --wallet bob file list --json");
  list->callback([&ctx] {
    const std::string name = ctx.wallet_or_default();
    auto id = unwrap(wallet::read_wallet_info(name));
    auto client = ctx.client();
    const std::string acct = codec::to_hex(id.account);
    json owned = unwrap(client.get("/v1/files?owner=" + acct))["files"];
    json granted = unwrap(client.get("/v1/grants?grantee=" + acct))["grants"];
    json j = {{"owned", owned}, {"granted", granted}};
    emit(ctx, j, [&] {
      std::cout << "owned by " << name << ":\n";
      if (owned.empty()) std::cout << "  (none)\n";
      for (const auto& fj : owned) {
        std::cout << "  file " << fj.value("id", 0) << "  " << fj.value("source", "") << "  "
                  << fj.value("size", 0) << " bytes  blob "
                  << fj.value("blob_hash", "").substr(0, 16) << "\n";
      }
      std::cout << "granted to " << name << ":\n";
      if (granted.empty()) std::cout << "  (none)\n";
      for (const auto& g : granted) {
        std::cout << "  file " << g.value("file_id", 0) << "  purpose '" << g.value("purpose", "")
                  << "'  " << (g.value("active", false) ? "active" : "inactive")
                  << (g.value("revoked", false) ? " (revoked)" : "") << "\n";
      }
    });
  });
}

}  // namespace datadao::cli
