#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/wallet/home.hpp"
#include "datadao/wallet/passphrase.hpp"
#include "datadao/wallet/public_identity.hpp"
#include "datadao/wallet/wallet.hpp"

namespace datadao::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json info_json(const wallet::WalletInfo& w) {
  return {{"name", w.name},
          {"account", codec::to_hex(w.account)},
          {"box_public_key", codec::to_hex(w.box_key)},
          {"created_at", w.created_at}};
}

void print_info(const Context& ctx, const wallet::WalletInfo& w) {
  emit(ctx, info_json(w), [&] {
    std::cout << "wallet   " << w.name << "\n"
              << "account  " << codec::to_hex(w.account) << "\n"
              << "box key  " << codec::to_hex(w.box_key) << "\n";
  });
}

}  // namespace

void register_wallet_commands(CLI::App& app, Context& ctx) {
  auto* w = app.add_subcommand("wallet", "Create and inspect wallets (keys under a passphrase)");
  w->require_subcommand(1);

  static std::string name;
  static std::string kdf = "moderate";
  auto* create = w->add_subcommand("create",
                                   "Create a wallet: an Ed25519 account key and an "
                                   "X25519 box key, encrypted under a passphrase");
  create->add_option("name", name, "Wallet name ([A-Za-z0-9_-], up to 64)")->required();
  create->add_option("--kdf", kdf,
                     "Passphrase hardening (Argon2id): moderate (256 MiB, about a second per "
                     "unlock) or interactive (64 MiB, for small machines and scripts)")
      ->check(CLI::IsMember({"moderate", "interactive"}))
      ->capture_default_str();
  create->footer("Example:\n  DATADAO_PASSPHRASE='long secret phrase' datadao wallet create alice");
  create->callback([&ctx] {
    std::optional<fs::path> file;
    if (!ctx.passphrase_file.empty()) file = ctx.passphrase_file;
    const std::string pass = unwrap(wallet::read_passphrase(file, /*confirm_new=*/true));
    const crypto::KdfParams params =
        kdf == "interactive" ? crypto::KdfParams::interactive() : crypto::KdfParams::moderate();
    auto created = unwrap(wallet::create_wallet(name, pass, params));
    if (!ctx.json) {
      std::cout << "created " << unwrap(wallet::wallet_path(name)).string() << "\n";
    }
    print_info(ctx, wallet::WalletInfo{created.name, created.account(), created.box.public_key,
                                       created.created_at});
  });

  auto* show = w->add_subcommand("show", "Show a wallet's public keys (no passphrase needed)");
  show->add_option("name", name, "Wallet name or file (default: --wallet)");
  show->footer("Example:\n  datadao wallet show alice --json");
  show->callback([&ctx] {
    const std::string n = name.empty() ? ctx.wallet_or_default() : name;
    print_info(ctx, unwrap(wallet::read_wallet_info(n)));
  });

  static std::string out;
  auto* exp = w->add_subcommand("export-public",
                                "Write the wallet's public identity (account and box key, signed "
                                "by the account key) as JSON, for people who will share with you");
  exp->add_option("name", name, "Wallet name (default: --wallet)");
  exp->add_option("-o,--out", out, "Output file (default: stdout)");
  exp->footer("Example:\n  datadao wallet export-public bob -o bob.pub.json");
  exp->callback([&ctx] {
    const std::string text =
        wallet::to_json(wallet::export_public(ctx.open_wallet())).dump(2) + "\n";
    if (out.empty()) {
      std::cout << text;
    } else {
      std::ofstream f(out);
      f << text;
      if (!f) throw CliError(ErrorCode::kIoError, out + ": cannot write");
      if (!ctx.json) std::cerr << "wrote " << out << "\n";
    }
  });

  auto* list = w->add_subcommand("list", "List the wallets in $DATADAO_HOME");
  list->footer("Example:\n  DATADAO_HOME=/tmp/dd/alice datadao wallet list --json");
  list->callback([&ctx] {
    json arr = json::array();
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(wallet::datadao_home() / "wallets", ec)) {
      if (e.path().extension() == ".wallet") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      auto info = wallet::read_wallet_info(p.stem().string());
      if (info.ok()) arr.push_back(info_json(*info));
    }
    emit(ctx, arr, [&] {
      for (const auto& j : arr) {
        std::cout << j.value("name", "") << "  " << j.value("account", "") << "\n";
      }
    });
  });
}

}  // namespace datadao::cli
