#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "render.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ledger/chain.hpp"
#include "datadao/wallet/public_identity.hpp"

namespace datadao::cli {

using nlohmann::json;

ledger::AccountId resolve_account(const Context& ctx, const std::string& who) {
  if (who.empty()) return ctx.account();
  if (who.size() == 64 && who.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    return unwrap(codec::from_hex_fixed<32>(who, "account"));
  }
  return resolve_recipient(who).account;
}

namespace {

constexpr size_t kMaxProofFileBytes = 1 << 20;

}  // namespace

void register_ledger_commands(CLI::App& app, Context& ctx) {
  static std::string who;
  auto* account = app.add_subcommand("account", "Accounts on the ledger");
  account->require_subcommand(1);
  auto* show = account->add_subcommand("show", "Credits and nonce of an account");
  show->add_option("who", who,
                   "Wallet name, public identity file or 64-hex account "
                   "(default: --wallet)");
  show->footer("Example:\n  datadao account show alice");
  show->callback([&ctx] {
    const auto id = resolve_account(ctx, who);
    json j = unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(id)));
    // What the account owns: pool tokens, model shares and rewards it can claim.
    json h = unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(id) + "/holdings"));
    j["pool_tokens"] = h.value("pool_tokens", json::array());
    j["models"] = h.value("models", json::array());
    emit(ctx, j, [&] { print_account(j); });
  });

  static uint64_t amount = 0;
  auto* transfer = app.add_subcommand("transfer", "Send credits (integer base units)");
  transfer->add_option("--to", who, "Wallet name, public identity file or 64-hex account")
      ->required();
  transfer->add_option("--amount", amount, "Credits in base units")
      ->required()
      ->check(CLI::PositiveNumber);
  transfer->footer("Example:\n  datadao --wallet alice transfer --to bob.pub.json --amount 500");
  transfer->callback([&ctx] {
    auto w = ctx.open_wallet();
    ledger::Transfer p;
    p.to = resolve_account(ctx, who);
    p.amount = amount;
    json out = submit_signed(ctx, w, p);
    emit(ctx, out, [&] {
      std::cout << "sent " << amount << " credits (tx " << out.value("tx_id", "") << ", block "
                << out.value("height", 0) << ")\n";
    });
  });

  static std::string tx_id;
  auto* tx = app.add_subcommand("tx", "Transactions");
  tx->require_subcommand(1);
  auto* txshow = tx->add_subcommand("show", "Show a transaction and the block it is in");
  txshow->add_option("id", tx_id, "Transaction id (64 hex)")->required();
  txshow->footer("Example:\n  datadao tx show 9c1e...07 --json");
  txshow->callback([&ctx] {
    unwrap(codec::from_hex_fixed<32>(tx_id, "transaction id"));
    json j = unwrap(ctx.client().get("/v1/tx/" + tx_id));
    emit(ctx, j, [&] { std::cout << render_tx(j); });
  });

  static std::string out, proof_file, node_key;
  auto* proof = app.add_subcommand("proof", "Inclusion proofs of transactions");
  proof->require_subcommand(1);
  auto* pget = proof->add_subcommand("get", "Fetch the inclusion proof of a transaction");
  pget->add_option("id", tx_id, "Transaction id (64 hex)")->required();
  pget->add_option("-o,--out", out, "Write the proof here (default: stdout)");
  pget->footer("Example:\n  datadao proof get 9c1e...07 -o grant.proof.json");
  pget->callback([&ctx] {
    unwrap(codec::from_hex_fixed<32>(tx_id, "transaction id"));
    json j = unwrap(ctx.client().get("/v1/proof/" + tx_id));
    if (out.empty()) {
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::ofstream f(out);
    f << j.dump(2) << "\n";
    if (!f) throw CliError(ErrorCode::kIoError, out + ": cannot write");
    std::cerr << "wrote " << out << "\n";
  });

  auto* pverify = proof->add_subcommand(
      "verify",
      "Verify a proof offline: the header's signature, and that the transaction is in "
      "the header's Merkle root (RFC 6962)");
  pverify->add_option("--proof", proof_file, "Proof file from `proof get`")->required();
  pverify->add_option("--node-key", node_key,
                      "The operator key you trust (64 hex, from `node status`); without it the "
                      "header's signature is checked against the key it names");
  pverify->footer("Example:\n  datadao proof verify --proof grant.proof.json --node-key 5be1...");
  pverify->callback([&ctx] {
    std::ifstream f(proof_file, std::ios::binary);
    if (!f) throw CliError(ErrorCode::kNotFound, proof_file + ": cannot open");
    std::string text(kMaxProofFileBytes + 1, '\0');
    f.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(f.gcount()));
    if (text.size() > kMaxProofFileBytes) {
      throw CliError(ErrorCode::kLimitExceeded, proof_file + ": larger than 1 MiB");
    }
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw CliError(ErrorCode::kInvalidArgument, proof_file + ": not JSON");
    auto p = unwrap(ledger::tx_proof_from_json(j));
    crypto::PublicKey trusted{};
    if (!node_key.empty()) trusted = unwrap(codec::from_hex_fixed<32>(node_key, "--node-key"));
    if (auto st = ledger::verify_tx_proof(p, trusted); !st.ok()) {
      throw CliError(st.error().with_context("proof " + proof_file + " is NOT valid"));
    }
    auto txr = ledger::decode(p.tx_bytes);
    json res = {{"valid", true},
                {"tx_id", txr.ok() ? codec::to_hex(ledger::tx_id(*txr)) : ""},
                {"height", p.header.header.height},
                {"leaf_index", p.proof.leaf_index},
                {"tree_size", p.proof.tree_size},
                {"signer", codec::to_hex(p.header.header.proposer)},
                {"signer_trusted", !node_key.empty()}};
    emit(ctx, res, [&] {
      std::cout << "valid: transaction " << res.value("tx_id", "") << "\n"
                << "  is leaf " << p.proof.leaf_index << " of " << p.proof.tree_size << " in block "
                << p.header.header.height << ", whose header is signed by "
                << codec::to_hex(p.header.header.proposer)
                << (node_key.empty() ? " (not checked against a trusted key: pass --node-key)"
                                     : " (the key you trust)")
                << "\n";
    });
  });
}

}  // namespace datadao::cli
