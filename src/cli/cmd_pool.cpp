// `datadao pool ...` and `datadao contribution ...`: data DAOs on the ledger. Create a pool for
// one source with a validator, contribute registered files to it (file key and claimed handle
// sealed to the pool's box key, so only the validator reads them), read the validator's scores,
// and govern the pool's parameters with token-weighted proposals and votes.
#include <algorithm>
#include <iostream>
#include <optional>

#include "cli.hpp"
#include "render.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/ledger/pools.hpp"
#include "datadao/proof/contribution.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/vault/vault.hpp"
#include "datadao/wallet/keyring.hpp"

namespace datadao::cli {

using nlohmann::json;

namespace {

bool is_pool_spec(const std::string& s) {
  if (s.empty() || s.size() > ledger::kMaxPoolNameBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '_' || c == '-';
  });
}

// The pool named or numbered `spec`, as the node serves it.
json fetch_pool(const Context& ctx, const std::string& spec) {
  if (!is_pool_spec(spec)) {
    throw CliError(
        ErrorCode::kInvalidArgument,
        "'" + spec + "' is not a pool id or name (names are 1..64 of A-Z a-z 0-9 . _ -)");
  }
  return unwrap(ctx.client().get("/v1/pools/" + spec));
}

std::string pool_path(const json& pool) {
  return "/v1/pools/" + std::to_string(pool.value("id", uint64_t{0}));
}

// An account given as 64 hex, or (with `of`) a wallet name or public identity file; with
// neither, the wallet this command acts as.
ledger::AccountId account_of(const Context& ctx, const std::string& hex, const std::string& of) {
  if (!hex.empty() && !of.empty()) {
    throw CliError(ErrorCode::kInvalidArgument, "give --account or --of, not both");
  }
  if (!hex.empty()) return unwrap(codec::from_hex_fixed<32>(hex, "--account"));
  if (!of.empty()) return resolve_recipient(of).account;
  return ctx.account();
}

// The wallet's account if one is configured and readable without a passphrase, else nothing.
std::optional<ledger::AccountId> own_account(const Context& ctx) {
  try {
    auto info = wallet::read_wallet_info(ctx.wallet_or_default());
    if (info.ok()) return info->account;
  } catch (const CliError&) {
    // No wallet, or several and none chosen: the command still works, without "your" parts.
  }
  return std::nullopt;
}

uint64_t tokens_of(const Context& ctx, const json& pool, const ledger::AccountId& account) {
  json t = unwrap(ctx.client().get(pool_path(pool) + "/tokens/" + codec::to_hex(account)));
  return t.value("tokens", uint64_t{0});
}

std::optional<json> find_contribution(const Context& ctx, const ledger::AccountId& account,
                                      uint64_t pool_id, uint64_t file_id) {
  json list = unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(account) + "/contributions"));
  for (const auto& c : list["contributions"]) {
    if (c.value("pool_id", uint64_t{0}) == pool_id && c.value("file_id", uint64_t{0}) == file_id) {
      return c;
    }
  }
  return std::nullopt;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// "1 exact duplicate", "2 exact duplicates".
std::string count_of(uint64_t n, const std::string& singular) {
  return std::to_string(n) + " " + singular + (n == 1 ? "" : "s");
}

// "a reddit export", "an oura export", "an x export".
std::string a_source(const std::string& source) {
  const bool an = !source.empty() && std::string_view("aeiox").find(source[0]) != std::string::npos;
  return (an ? "an " : "a ") + source;
}

// Sources that have an importer, so a validator can score their exports.
constexpr ingest::Source kImportedSources[] = {ingest::Source::kReddit, ingest::Source::kX,
                                               ingest::Source::kSpotify, ingest::Source::kOura};

std::string imported_source_list() {
  std::string out;
  for (ingest::Source s : kImportedSources) {
    out += (out.empty() ? "" : ", ") + std::string(ingest::source_name(s));
  }
  return out;
}

// Sources whose exports carry no account name: the validator accepts them on the contributing
// wallet and ignores the claimed handle (see datadao/validator/validator.hpp).
bool carries_no_account(const std::string& source) {
  auto s = ingest::parse_source(source);
  return s.ok() && validator::source_names_no_account(*s);
}

// The claim sealed for such sources: the ledger wants 1+ bytes, the validator reads none of it.
constexpr std::string_view kNoAccountClaim = "(no account)";

// A contribution cannot be redone (one per file and pool), so before submitting one, do what the
// validator will: fetch the blob from the node (where the validator reads it), decrypt it, run
// the source's importer with the validator's limits, and compare the export's account with the
// handle as proof::same_account does. `handle` is empty for sources without an account.
// Returns the number of records; throws CliError saying what is wrong.
uint64_t check_export(const Context& ctx, const std::string& fid, ingest::Source source,
                      const crypto::Hash32& hash, const crypto::SymmetricKey& key,
                      uint64_t ciphertext_size, const std::string& handle) {
  const validator::ValidatorOptions limits;  // the validator's defaults
  const std::string name(ingest::source_name(source));
  const std::string earns_nothing =
      ": the validator would attest it not authentic and it would earn nothing (--no-check skips "
      "this check)";
  const std::string too_large = fid + " is above the validator's " +
                                std::to_string(limits.max_export_bytes >> 20) +
                                " MiB export limit" + earns_nothing;
  const uint64_t max_cipher = validator::max_ciphertext_for(limits.max_export_bytes);
  if (ciphertext_size > max_cipher) throw CliError(ErrorCode::kLimitExceeded, too_large);
  const std::string url = ctx.resolved_node_url();
  vault::HttpBackend backend(url);
  auto blob = backend.get_bytes(hash, max_cipher);
  if (!blob.ok()) {
    if (blob.error().code == ErrorCode::kNotFound) {
      throw CliError(ErrorCode::kNotFound,
                     fid + "'s blob is not in the node's vault at " + url +
                         ", where the validator reads it: store it there with `datadao vault "
                         "put` (without --vault-dir) first");
    }
    if (blob.error().code == ErrorCode::kLimitExceeded) {
      throw CliError(ErrorCode::kLimitExceeded, too_large);
    }
    throw CliError(blob.error().with_context(fid));
  }
  auto plain = vault::decode_blob(*blob, key, fid, limits.max_export_bytes);
  if (!plain.ok()) {
    if (plain.error().code == ErrorCode::kLimitExceeded) {
      throw CliError(ErrorCode::kLimitExceeded, too_large);
    }
    throw CliError(plain.error().with_context(fid + ": the key in your keyring does not open it"));
  }
  blob->clear();
  blob->shrink_to_fit();
  ingest::ImportSummary summary;
  const Status imported = ingest::import_buffer(
      source, std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()), fid,
      limits.limits, [](const ingest::Record&) { return Status::Ok(); }, &summary);
  crypto::wipe(std::span<uint8_t>(plain->data(), plain->size()));
  if (!imported.ok()) {
    std::string why = imported.error().message;
    if (why.rfind(fid + ": ", 0) == 0) why.erase(0, fid.size() + 2);  // named once is enough
    throw CliError(ErrorCode::kInvalidArgument, fid + " does not import as " + a_source(name) +
                                                    " export: " + why + earns_nothing);
  }
  if (summary.records == 0) {
    throw CliError(ErrorCode::kInvalidArgument,
                   fid + " is " + a_source(name) +
                       " export with no records: it would earn nothing (--no-check skips this "
                       "check)");
  }
  if (handle.empty()) return summary.records;  // no account in such exports
  const std::string not_owned =
      ": the validator would find it not yours and it would earn nothing (--no-check skips this "
      "check)";
  // It is the contributor's own export, so naming its account to them discloses nothing.
  if (summary.account_identity.empty()) {
    throw CliError(ErrorCode::kInvalidArgument, fid + " is " + a_source(name) +
                                                    " export that names no account, so it "
                                                    "cannot be tied to --handle '" +
                                                    handle + "'" + not_owned);
  }
  if (!proof::same_account(summary.account_identity, handle)) {
    throw CliError(ErrorCode::kInvalidArgument,
                   fid + " is the " + name + " export of account '" + summary.account_identity +
                       "', not of --handle '" + handle + "'" + not_owned);
  }
  return summary.records;
}

// The score of a contribution in plain words, one line per part (shared by `contribution show`
// and its --json "explanation").
std::vector<std::string> explain(const json& c, const json& pool) {
  std::vector<std::string> out;
  const std::string source = pool.value("source", "");
  if (!c.value("attested", false)) {
    out.push_back("pending: the pool's validator (" + pool.value("validator", "").substr(0, 16) +
                  ") has not scored it yet; no points until it does");
    return out;
  }
  const json& a = c["attestation"];
  const bool authentic = a.value("authentic", false);
  const bool owned = a.value("owned", false);
  const bool conflict = a.value("handle_conflict", false);
  out.push_back("scored at block " + std::to_string(a.value("height", uint64_t{0})));
  out.push_back("authentic: " + yes_no(authentic) +
                (authentic ? " (the archive has the structure and consistent data of " +
                                 a_source(source) + " export)"
                           : " (the archive is not a consistent " + source + " export)"));
  std::string own = "owned: " + yes_no(owned);
  if (carries_no_account(source)) {
    own += " (this source's exports carry no account; ownership rests on the contributing wallet";
    own += owned ? ")" : authentic ? ", which the validator did not credit)" : ")";
  } else if (!authentic) {
    own += " (not checked: the export is not authentic)";
  } else if (owned) {
    own +=
        " (the export's account is the handle this wallet claimed, and no other wallet holds "
        "it in this pool)";
  } else if (conflict) {
    own +=
        " (handle conflict: the export matches the claimed handle, but another wallet was "
        "credited with that handle in this pool first)";
  } else {
    own += " (the export's account identity is not the handle this wallet claimed)";
  }
  out.push_back(own);
  const uint64_t total = a.value("records_total", uint64_t{0});
  const uint64_t exact = a.value("exact_duplicates", uint64_t{0});
  const uint64_t near = a.value("near_duplicates", uint64_t{0});
  const uint64_t low = a.value("low_quality", uint64_t{0});
  const uint64_t accepted = a.value("accepted", uint64_t{0});
  const uint64_t counted = exact + near + low + accepted;
  std::string records = "records: " + std::to_string(total) +
                        " total = " + count_of(exact, "exact duplicate") + " + " +
                        count_of(near, "near duplicate") + " + " + std::to_string(low) +
                        " low quality + " + std::to_string(accepted) + " accepted";
  if (total > counted) records += " + " + std::to_string(total - counted) + " not scored";
  out.push_back(records);
  const uint64_t points = a.value("points", uint64_t{0});
  const uint64_t tokens = a.value("tokens", uint64_t{0});
  if (authentic && owned && accepted == 0) {
    out.push_back(
        "points: 0 (the export is authentic and owned, but no record was accepted: each is a "
        "duplicate of what the pool holds or of another record in it, or low quality)");
  } else if (authentic && owned) {
    out.push_back("points: " + std::to_string(points) +
                  " (the accepted records, because the export is authentic and owned)");
  } else {
    out.push_back("points: " + std::to_string(points) + " (" + std::to_string(accepted) +
                  " accepted records earn nothing: the export is not " +
                  (authentic ? "owned" : "authentic") + ")");
  }
  // reward_per_point may have changed since; the attested tokens carry the rate used then.
  if (points > 0) {
    out.push_back("tokens: " + std::to_string(tokens) + " = " + std::to_string(points) +
                  " points x " + std::to_string(tokens / points) +
                  " per point (the pool's reward when scored)");
  } else {
    out.push_back("tokens: " + std::to_string(tokens));
  }
  const std::string refined = a.value("refined_blob_hash", "");
  if (refined.find_first_not_of('0') == std::string::npos) {
    out.push_back("refined: none (no accepted records to keep)");
  } else {
    out.push_back("refined: blob " + refined + ", " +
                  std::to_string(a.value("refined_size", uint64_t{0})) +
                  " bytes, PII-free, sealed to the pool");
  }
  const std::string note = a.value("note", "");
  if (!note.empty()) out.push_back("validator's note: " + note);
  return out;
}

std::string contribution_status(const json& c) {
  if (!c.value("attested", false)) return "pending";
  const json& a = c["attestation"];
  return std::to_string(a.value("points", uint64_t{0})) + " points, " +
         std::to_string(a.value("tokens", uint64_t{0})) + " tokens";
}

void print_proposal(const json& p, uint64_t height) {
  const std::string status = p.value("status", "");
  std::cout << "  #" << p.value("id", uint64_t{0}) << "  " << p.value("param", "") << " -> "
            << p.value("value", uint64_t{0}) << "  '" << p.value("description", "") << "'  yes "
            << p.value("yes", uint64_t{0}) << " / no " << p.value("no", uint64_t{0})
            << " of supply " << p.value("supply_at_creation", uint64_t{0}) << "  ";
  if (status == "open") {
    std::cout << "open, votes count until block " << p.value("deadline", uint64_t{0}) << " (now "
              << height << ")\n";
  } else {
    std::cout << status << " at block " << p.value("closed_height", uint64_t{0}) << "\n";
  }
}

void register_pool(CLI::App& pool, Context& ctx) {
  static std::string name, source, validator;
  static uint64_t reward = 1000, voting_period = 20;
  static uint32_t quorum_bps = 2000, schema_version = 1;
  auto* create = pool.add_subcommand(
      "create", "Create a data DAO for one source; its validator scores every contribution");
  create->add_option("name", name, "Pool name: 1..64 of A-Z a-z 0-9 . _ - (not all digits)")
      ->required();
  create
      ->add_option("--source", source,
                   "The source it takes, one with an importer: reddit, x, spotify or oura")
      ->required();
  create
      ->add_option("--validator", validator,
                   "The validator: public identity file or wallet name; its box key becomes "
                   "the pool's (contributions are sealed to it)")
      ->required();
  create->add_option("--reward-per-point", reward, "Pool tokens minted per accepted record")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, ledger::kMaxRewardPerPoint));
  create
      ->add_option("--quorum-bps", quorum_bps,
                   "Share of the token supply that must vote, in basis points")
      ->capture_default_str()
      ->check(CLI::Range(uint32_t{1}, ledger::kBasisPoints));
  create->add_option("--voting-period", voting_period, "Blocks a proposal stays open")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, ledger::kMaxVotingPeriodBlocks));
  create->add_option("--schema-version", schema_version, "Version of the refined schema")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  create->footer(
      "Example:\n  datadao --wallet alice pool create reddit-dao --source reddit --validator "
      "val.pub.json");
  create->callback([&ctx] {
    // The ledger takes any source name, but a validator can only score what an importer reads.
    auto src = ingest::parse_source(source);
    if (!src.ok()) {
      throw CLI::ValidationError("--source", "no importer reads '" + source +
                                                 "' exports, so no validator could score them; "
                                                 "sources with importers: " +
                                                 imported_source_list());
    }
    source = std::string(ingest::source_name(*src));  // "twitter" -> "x", as files register
    auto w = ctx.open_wallet();
    const Recipient v = resolve_recipient(validator);
    ledger::CreatePool p;
    p.name = name;
    p.source = source;
    p.schema_version = schema_version;
    p.validator = v.account;
    p.box_key = v.box_key;
    p.params.reward_per_point = reward;
    p.params.quorum_bps = quorum_bps;
    p.params.voting_period = voting_period;
    p.params.accepting = true;
    json out = submit_signed(ctx, w, p);
    json pj = fetch_pool(ctx, name);
    out["pool_id"] = pj.value("id", uint64_t{0});
    out["pool"] = pj;
    emit(ctx, out, [&] {
      std::cout << "created pool " << out["pool_id"] << " '" << name << "' for " << source
                << " data, validated by " << v.name << " (tx " << out.value("tx_id", "")
                << ", block " << out.value("height", uint64_t{0}) << ")\n";
    });
  });

  auto* list = pool.add_subcommand("list", "Every pool on the chain");
  list->footer("Example:\n  datadao pool list --json");
  list->callback([&ctx] {
    json j = unwrap(ctx.client().get("/v1/pools"));
    emit(ctx, j, [&] {
      if (j["pools"].empty()) std::cout << "(no pools)\n";
      for (const auto& p : j["pools"]) {
        std::cout << "pool " << p.value("id", uint64_t{0}) << "  " << p.value("name", "") << "  "
                  << p.value("source", "") << "  " << p.value("contributions", uint64_t{0})
                  << " contributions (" << p.value("attested", uint64_t{0}) << " scored)  supply "
                  << p.value("token_supply", uint64_t{0}) << "  "
                  << (p["params"].value("accepting", false) ? "accepting" : "closed") << "\n";
      }
    });
  });

  static std::string spec;
  auto* show = pool.add_subcommand(
      "show", "A pool's parameters, token supply, counts, open proposals and your tokens");
  show->add_option("pool", spec, "Pool id or name")->required();
  show->footer("Example:\n  datadao --wallet alice pool show reddit-dao");
  show->callback([&ctx] {
    json p = fetch_pool(ctx, spec);
    json props = unwrap(ctx.client().get(pool_path(p) + "/proposals"))["proposals"];
    json open = json::array();
    for (const auto& pr : props) {
      if (pr.value("status", "") == "open") open.push_back(pr);
    }
    json j = p;
    j["open_proposals"] = open;
    if (auto me = own_account(ctx)) j["your_tokens"] = tokens_of(ctx, p, *me);
    const uint64_t height = open.empty() ? 0 : ctx.chain_height();
    emit(ctx, j, [&] {
      const json& pr = p["params"];
      std::cout << pool_label(p) << "\n"
                << "source            " << p.value("source", "") << " (schema version "
                << p.value("schema_version", 0) << ")\n"
                << "creator           " << p.value("creator", "") << "\n"
                << "validator         " << p.value("validator", "") << "\n"
                << "reward per point  " << pr.value("reward_per_point", uint64_t{0}) << "\n"
                << "quorum            " << pr.value("quorum_bps", 0) << " bps of the supply\n"
                << "voting period     " << pr.value("voting_period", uint64_t{0}) << " blocks\n"
                << "accepting         " << yes_no(pr.value("accepting", false)) << "\n"
                << "token supply      " << p.value("token_supply", uint64_t{0}) << "\n"
                << "contributions     " << p.value("contributions", uint64_t{0}) << " ("
                << p.value("attested", uint64_t{0}) << " scored)\n"
                << "created at block  " << p.value("created_height", uint64_t{0}) << "\n";
      if (j.contains("your_tokens")) {
        std::cout << "your tokens       " << j["your_tokens"].get<uint64_t>() << "\n";
      }
      std::cout << "open proposals    " << (open.empty() ? "(none)" : "") << "\n";
      for (const auto& o : open) print_proposal(o, height);
    });
  });

  static uint64_t file_id = 0;
  static std::string handle;
  static bool no_check = false;
  auto* contribute = pool.add_subcommand(
      "contribute",
      "Put one of your registered files in a pool: its key and your export handle are sealed "
      "to the pool, so only the validator can read them");
  contribute->add_option("pool", spec, "Pool id or name")->required();
  contribute->add_option("file", file_id, "Your file id (from `file register`)")
      ->required()
      ->check(CLI::PositiveNumber);
  contribute->add_option("--handle", handle,
                         "Your account name in the export (e.g. your Reddit username); the "
                         "validator checks the export carries it. Not for oura: Oura exports "
                         "carry no account name, ownership rests on your wallet");
  contribute->add_flag("--no-check", no_check,
                       "Skip the local check (decrypt, import, compare the export's account "
                       "with --handle) that runs before anything is sent");
  contribute->footer(
      "A contribution cannot be redone (one per file and pool), so the file is first decrypted "
      "and imported here as the validator will.\n"
      "Examples:\n  datadao --wallet alice pool contribute reddit-dao 1 --handle alice_r\n"
      "  datadao --wallet alice pool contribute oura-dao 2");
  contribute->callback([&ctx] {
    if (handle.size() > ledger::kMaxHandleBytes) {
      throw CLI::ValidationError("--handle", "must be 1..128 bytes");
    }
    auto w = ctx.open_wallet();
    json p = fetch_pool(ctx, spec);
    const std::string pool_source = p.value("source", "");
    auto source_kind = ingest::parse_source(pool_source);
    if (!source_kind.ok()) {
      throw CliError(ErrorCode::kFailedPrecondition,
                     pool_label(p) + " takes '" + pool_source +
                         "' data, which no importer reads: its validator cannot score anything");
    }
    const bool no_account = carries_no_account(pool_source);
    if (!no_account && handle.empty()) {
      throw CLI::ValidationError("--handle", "required: your account name in the " + pool_source +
                                                 " export (only Oura exports carry none)");
    }
    if (no_account && !handle.empty()) {
      std::cerr << "note: --handle is not used: " << pool_source
                << " exports carry no account name; ownership rests on wallet '" << w.name << "'\n";
    }
    const std::string claim = no_account ? std::string(kNoAccountClaim) : handle;
    const uint64_t pool_id = p.value("id", uint64_t{0});
    json f = unwrap(ctx.client().get("/v1/files/" + std::to_string(file_id)));
    const std::string fid = "file " + std::to_string(file_id);
    if (f.value("owner", "") != codec::to_hex(w.account())) {
      throw CliError(ErrorCode::kPermissionDenied, fid + " is not registered by wallet '" + w.name +
                                                       "'; only its owner can "
                                                       "contribute it");
    }
    if (f.value("source", "") != p.value("source", "")) {
      throw CliError(ErrorCode::kInvalidArgument,
                     fid + " is '" + f.value("source", "") + "' data but " + pool_label(p) +
                         " takes only '" + p.value("source", "") + "' data");
    }
    if (!p["params"].value("accepting", false)) {
      throw CliError(ErrorCode::kFailedPrecondition,
                     pool_label(p) +
                         " is not accepting contributions (its token holders "
                         "closed it)");
    }
    if (auto prior = find_contribution(ctx, w.account(), pool_id, file_id)) {
      throw CliError(ErrorCode::kAlreadyExists,
                     fid + " is already in " + pool_label(p) + " as contribution " +
                         std::to_string(prior->value("id", uint64_t{0})));
    }
    const auto hash = unwrap(codec::from_hex_fixed<32>(f.value("blob_hash", ""), "blob hash"));
    const auto box_key = unwrap(codec::from_hex_fixed<32>(p.value("box_key", ""), "pool box key"));
    const auto key = unwrap(wallet::keyring_get(w, hash));
    std::optional<uint64_t> records;
    if (!no_check) {
      records = check_export(ctx, fid, *source_kind, hash, key, f.value("size", uint64_t{0}),
                             no_account ? "" : handle);
    }
    ledger::Contribute c;
    c.pool_id = pool_id;
    c.file_id = file_id;
    c.sealed_key = vault::share_key(key, box_key);
    c.sealed_claim = crypto::seal_to(
        box_key, crypto::ByteView(reinterpret_cast<const uint8_t*>(claim.data()), claim.size()));
    json out = submit_signed(ctx, w, c);
    out["checked"] = records.has_value();
    if (records) out["export_records"] = *records;
    if (auto mine = find_contribution(ctx, w.account(), pool_id, file_id)) {
      out["contribution_id"] = mine->value("id", uint64_t{0});
    }
    emit(ctx, out, [&] {
      if (records) {
        std::cout << "checked: " << fid << " imports as " << a_source(pool_source) << " export ("
                  << count_of(*records, "record")
                  << (no_account ? ", no account name" : ", account matches --handle") << ")\n";
      }
      std::cout << "contribution " << out.value("contribution_id", uint64_t{0}) << ": " << fid
                << " in " << pool_label(p) << ", waiting for the validator (tx "
                << out.value("tx_id", "") << ", block " << out.value("height", uint64_t{0})
                << ")\n";
    });
  });

  static std::string param, description;
  static uint64_t value = 0;
  auto* propose = pool.add_subcommand(
      "propose", "Propose a new value for a pool parameter (token holders only)");
  propose->add_option("pool", spec, "Pool id or name")->required();
  propose
      ->add_option("--param", param,
                   "reward_per_point, quorum_bps, voting_period or accepting (0 or 1)")
      ->required();
  propose->add_option("--value", value, "The new value")->required();
  propose->add_option("--description", description, "Why (up to 256 bytes)")->required();
  propose->footer(
      "Example:\n  datadao --wallet alice pool propose reddit-dao --param reward_per_point "
      "--value 2000 --description 'double the reward'");
  propose->callback([&ctx] {
    ledger::Propose pr;
    if (!ledger::parse_pool_param(param, &pr.param)) {
      throw CliError(ErrorCode::kInvalidArgument,
                     "--param '" + param +
                         "' is not one of reward_per_point, quorum_bps, voting_period, accepting");
    }
    if (description.size() > ledger::kMaxProposalDescriptionBytes) {
      throw CliError(ErrorCode::kInvalidArgument, "--description is longer than 256 bytes");
    }
    auto w = ctx.open_wallet();
    json p = fetch_pool(ctx, spec);
    pr.pool_id = p.value("id", uint64_t{0});
    pr.value = value;
    pr.description = description;
    json out = submit_signed(ctx, w, pr);
    // Ours is the newest proposal by this wallet with these contents.
    json props = unwrap(ctx.client().get(pool_path(p) + "/proposals"))["proposals"];
    const std::string me = codec::to_hex(w.account());
    for (const auto& o : props) {
      if (o.value("proposer", "") == me && o.value("param", "") == param &&
          o.value("value", uint64_t{0}) == value && o.value("description", "") == description) {
        out["proposal_id"] = o.value("id", uint64_t{0});
        out["deadline"] = o.value("deadline", uint64_t{0});
      }
    }
    emit(ctx, out, [&] {
      std::cout << "proposal " << out.value("proposal_id", uint64_t{0}) << " in " << pool_label(p)
                << ": " << param << " -> " << value << "; votes count until block "
                << out.value("deadline", uint64_t{0}) << " (tx " << out.value("tx_id", "")
                << ", block " << out.value("height", uint64_t{0}) << ")\n";
    });
  });

  static uint64_t proposal_id = 0;
  static bool yes = false, no = false;
  auto* vote = pool.add_subcommand(
      "vote", "Vote on an open proposal with your pool tokens (once per proposal)");
  vote->add_option("pool", spec, "Pool id or name")->required();
  vote->add_option("proposal", proposal_id, "Proposal id (from `pool proposals`)")
      ->required()
      ->check(CLI::PositiveNumber);
  auto* yes_flag = vote->add_flag("--yes", yes, "Vote for");
  auto* no_flag = vote->add_flag("--no", no, "Vote against");
  yes_flag->excludes(no_flag);
  vote->footer("Example:\n  datadao --wallet bob pool vote reddit-dao 1 --yes");
  vote->callback([&ctx] {
    if (!yes && !no) throw CLI::ValidationError("vote", "say --yes or --no");
    auto w = ctx.open_wallet();
    json p = fetch_pool(ctx, spec);
    const uint64_t weight = tokens_of(ctx, p, w.account());
    if (weight == 0) {
      throw CliError(ErrorCode::kPermissionDenied, "wallet '" + w.name + "' holds no tokens of " +
                                                       pool_label(p) + ", so it cannot vote");
    }
    ledger::Vote v;
    v.pool_id = p.value("id", uint64_t{0});
    v.proposal_id = proposal_id;
    v.approve = yes;
    json out = submit_signed(ctx, w, v);
    out["weight"] = weight;
    emit(ctx, out, [&] {
      std::cout << "voted " << (yes ? "yes" : "no") << " on proposal " << proposal_id << " of "
                << pool_label(p) << " with " << weight << " tokens (tx " << out.value("tx_id", "")
                << ", block " << out.value("height", uint64_t{0}) << ")\n";
    });
  });

  auto* proposals = pool.add_subcommand("proposals", "A pool's proposals, open and closed");
  proposals->add_option("pool", spec, "Pool id or name")->required();
  proposals->footer("Example:\n  datadao pool proposals reddit-dao");
  proposals->callback([&ctx] {
    json p = fetch_pool(ctx, spec);
    json j = unwrap(ctx.client().get(pool_path(p) + "/proposals"));
    j["height"] = ctx.chain_height();
    emit(ctx, j, [&] {
      std::cout << "proposals of " << pool_label(p) << ":\n";
      if (j["proposals"].empty()) std::cout << "  (none)\n";
      for (const auto& o : j["proposals"]) print_proposal(o, j["height"].get<uint64_t>());
    });
  });

  static std::string account_hex, of;
  auto* tokens = pool.add_subcommand("tokens", "Pool tokens held by an account");
  tokens->add_option("pool", spec, "Pool id or name")->required();
  tokens->add_option("--account", account_hex, "Account (64 hex)");
  tokens->add_option("--of", of, "Wallet name or public identity file (default: --wallet)");
  tokens->footer("Example:\n  datadao pool tokens reddit-dao --of bob");
  tokens->callback([&ctx] {
    json p = fetch_pool(ctx, spec);
    const auto account = account_of(ctx, account_hex, of);
    json j = unwrap(ctx.client().get(pool_path(p) + "/tokens/" + codec::to_hex(account)));
    emit(ctx, j, [&] {
      std::cout << j.value("tokens", uint64_t{0}) << " tokens of " << pool_label(p) << " held by "
                << j.value("account", "") << "\n";
    });
  });
}

void register_contribution(CLI::App& contribution, Context& ctx) {
  static uint64_t id = 0;
  auto* show = contribution.add_subcommand(
      "show", "A contribution and its score, explained: authenticity, ownership, records");
  show->add_option("id", id, "Contribution id")->required()->check(CLI::PositiveNumber);
  show->footer("Example:\n  datadao contribution show 1");
  show->callback([&ctx] {
    json c = unwrap(ctx.client().get("/v1/contributions/" + std::to_string(id)));
    json p = fetch_pool(ctx, std::to_string(c.value("pool_id", uint64_t{0})));
    json j = c;
    j["pool_name"] = p.value("name", "");
    j["explanation"] = explain(c, p);
    emit(ctx, j, [&] {
      std::cout << "contribution " << id << ": file " << c.value("file_id", uint64_t{0}) << " in "
                << pool_label(p) << ", by " << c.value("contributor", "") << ", block "
                << c.value("height", uint64_t{0}) << "\n";
      for (const auto& line : j["explanation"])
        std::cout << "  " << line.get<std::string>() << "\n";
    });
  });

  static std::string of;
  auto* list = contribution.add_subcommand("list", "An account's contributions and their scores");
  list->add_option("--of", of, "Wallet name or public identity file (default: --wallet)");
  list->footer("Example:\n  datadao contribution list --of bob");
  list->callback([&ctx] {
    const auto account = account_of(ctx, "", of);
    json j = unwrap(ctx.client().get("/v1/accounts/" + codec::to_hex(account) + "/contributions"));
    emit(ctx, j, [&] {
      if (j["contributions"].empty()) std::cout << "(no contributions)\n";
      for (const auto& c : j["contributions"]) {
        std::cout << "contribution " << c.value("id", uint64_t{0}) << "  pool "
                  << c.value("pool_id", uint64_t{0}) << "  file " << c.value("file_id", uint64_t{0})
                  << "  " << contribution_status(c) << "\n";
      }
    });
  });
}

}  // namespace

void register_pool_commands(CLI::App& app, Context& ctx) {
  auto* pool = app.add_subcommand(
      "pool",
      "Data DAOs: pools of one source's exports, scored by a validator, governed by tokens");
  pool->require_subcommand(1);
  register_pool(*pool, ctx);

  auto* contribution =
      app.add_subcommand("contribution", "Contributions to pools and their scores");
  contribution->require_subcommand(1);
  register_contribution(*contribution, ctx);
}

}  // namespace datadao::cli
