#include "datadao/validator/validator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/ledger/transaction.hpp"
#include "datadao/node/client.hpp"
#include "datadao/privacy/scrubber.hpp"
#include "datadao/proof/contribution.hpp"
#include "datadao/store/file.hpp"
#include "datadao/vault/vault.hpp"

namespace datadao::validator {

namespace fs = std::filesystem;
using nlohmann::json;

crypto::SymmetricKey pool_secret(const crypto::BoxKeyPair& box, uint64_t pool_id) {
  // Two steps so the box secret key itself is only ever used to derive one hashing key.
  crypto::Hash32 k = crypto::blake2b256_keyed(
      box.secret_key, crypto::as_bytes(std::string_view("datadao validator hash key v1")));
  crypto::SymmetricKey derived;
  std::copy(k.begin(), k.end(), derived.data());
  crypto::wipe(k);

  std::string msg = "datadao pool secret v1";
  for (int i = 0; i < 8; ++i) msg.push_back(static_cast<char>((pool_id >> (8 * i)) & 0xff));
  crypto::Hash32 s = crypto::blake2b256_keyed(derived, crypto::as_bytes(msg));
  crypto::SymmetricKey secret;
  std::copy(s.begin(), s.end(), secret.data());
  crypto::wipe(s);
  return secret;
}

namespace {

constexpr std::string_view kNotSealedNote = "file key/claim not sealed to this pool";

std::string contribution_label(uint64_t id) { return "contribution " + std::to_string(id); }

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// Ciphertext bytes the validator will download for an export of at most `max_plaintext` bytes:
// the default chunking's overhead plus slack for smaller chunks (decode_blob enforces the
// plaintext limit exactly).
// "1 exact duplicate", "2 exact duplicates".
std::string count_of(uint64_t n, std::string_view singular) {
  return std::to_string(n) + " " + std::string(singular) + (n == 1 ? "" : "s");
}

// The score explained in a few words: counts and reasons, never record text or the handle.
std::string make_note(const proof::ContributionScore& s, bool identity_free_source,
                      const privacy::Scrubber& scrubber) {
  std::string note;
  if (!s.authentic) {
    note = "not authentic: " + s.authenticity_reason;
  } else {
    note = "authentic; ";
    if (s.owned) {
      // The ledger decides whether the handle is still free; the note states the finding.
      note += "export account matches the claimed handle";
    } else if (identity_free_source) {
      note +=
          "no account identity in this source's exports: ownership rests on the contributing "
          "wallet";
    } else {
      note += "not owned: " + s.ownership_reason;
    }
    note += "; " + count_of(s.records_total, "record") + ": " + std::to_string(s.accepted) +
            " accepted, " + count_of(s.exact_duplicates, "exact duplicate") + ", " +
            count_of(s.near_duplicates, "near duplicate") + ", " +
            std::to_string(s.low_quality + s.empty) + " low quality";
    if (s.empty > 0 || !s.low_quality_reasons.empty()) {
      note += " (";
      bool first = true;
      auto add = [&](const std::string& reason, uint64_t n) {
        note += (first ? "" : ", ") + reason + " " + std::to_string(n);
        first = false;
      };
      if (s.empty > 0) add("empty", s.empty);
      for (const auto& [reason, n] : s.low_quality_reasons) add(reason, n);
      note += ")";
    }
  }
  // Reasons come from importers; scrub them in case an input excerpt slipped through.
  return cut_utf8(scrubber.scrub(note), ledger::kMaxAttestNoteBytes);
}

Result<uint32_t> narrow(uint64_t v, const char* what) {
  if (v > std::numeric_limits<uint32_t>::max()) {
    return make_error(ErrorCode::kLimitExceeded, std::string(what) + " above 2^32");
  }
  return static_cast<uint32_t>(v);
}

// Seals refined records under a fresh key into the backend. Blobs above the backend's in-memory
// limit go through a temporary file.
Result<std::pair<vault::BlobInfo, crypto::SymmetricKey>> seal_refined(std::string_view jsonl,
                                                                      vault::Backend& backend) {
  const auto bytes = crypto::as_bytes(jsonl);
  if (jsonl.size() + (1u << 20) <= vault::kMaxInMemoryBlobBytes) {
    return vault::seal_bytes(bytes, backend);
  }
  crypto::SymmetricKey key = crypto::random_key();
  DD_ASSIGN(crypto::Bytes blob, vault::encode_blob(bytes, key));
  vault::BlobInfo info;
  info.hash = crypto::blake2b256(blob);
  info.plaintext_size = jsonl.size();
  info.ciphertext_size = blob.size();
  std::error_code ec;
  const fs::path tmp =
      fs::temp_directory_path(ec) / ("datadao-refined-" + codec::to_hex(info.hash));
  DD_TRY(store::write_file_atomic(tmp, blob, store::WriteOptions{.durable = false},
                                  "temporary refined blob"));
  Status put = backend.put_file(info.hash, tmp);
  fs::remove(tmp, ec);
  DD_TRY(put);
  return std::make_pair(info, key);
}

}  // namespace

struct Validator::Impl {
  Impl(const wallet::Wallet& w, const std::string& url, vault::Backend& b, ValidatorOptions o)
      : wallet(w), client(url), backend(b), options(std::move(o)) {}

  wallet::Wallet wallet;
  node::NodeClient client;
  vault::Backend& backend;
  ValidatorOptions options;

  uint64_t pool_id = 0;
  std::string pool_name;
  ingest::Source source = ingest::Source::kReddit;
  crypto::PublicKey box_key{};
  std::string chain_id;
  crypto::SymmetricKey secret;
  std::optional<privacy::Scrubber> scrubber;
  proof::PoolIndex index;
  std::set<uint64_t> indexed;   // contributions whose refined records are in the index
  std::set<uint64_t> in_doubt;  // attestations submitted whose outcome we did not see

  // Sources whose exports carry no account identity (see the header's DECISION).
  bool identity_free() const { return source_names_no_account(source); }

  int64_t now() const {
    if (options.clock) return options.clock();
    return static_cast<int64_t>(unix_now());
  }

  std::string page_path(uint64_t after, bool pending) const {
    return "/v1/pools/" + std::to_string(pool_id) + "/contributions?limit=" +
           std::to_string(std::clamp<uint32_t>(options.page_size, 1, 1000)) +
           (pending ? "&pending=1" : "") + (after > 0 ? "&after=" + std::to_string(after) : "");
  }

  // Adds the refined blob recorded in an attested contribution to the index.
  Status index_recorded(const json& c) {
    DD_ASSIGN(uint64_t id, node::u64_field(c, "id", "contribution"));
    const std::string what = contribution_label(id);
    if (indexed.count(id)) return Status::Ok();
    DD_ASSIGN(const json* att, node::object_field(c, "attestation", what));
    DD_ASSIGN(crypto::Hash32 hash, node::hash_field(*att, "refined_blob_hash", what));
    DD_ASSIGN(crypto::Bytes sealed, node::base64_field(*att, "refined_sealed_key", what));
    auto key = vault::receive_key(wallet.box, sealed);
    if (!key.ok()) {
      return make_error(ErrorCode::kCorruption,
                        what + ": refined blob key is not sealed to this pool");
    }
    DD_ASSIGN(crypto::Bytes blob, backend.get_bytes(hash, max_ciphertext_for(kMaxRefinedBytes)));
    auto plain = vault::decode_blob(blob, *key, what + " refined blob", kMaxRefinedBytes);
    if (!plain.ok()) return plain.error().with_context(what);
    const std::string_view jsonl(reinterpret_cast<const char*>(plain->data()), plain->size());
    Status added = proof::add_refined_to_index(index, jsonl);
    if (!added.ok()) {
      return make_error(ErrorCode::kCorruption, what + " refined blob: " + added.error().message);
    }
    indexed.insert(id);
    return Status::Ok();
  }

  Status rebuild_index() {
    uint64_t after = 0;
    for (;;) {
      DD_ASSIGN(json page, client.get(page_path(after, /*pending=*/false)));
      if (!page.contains("contributions") || !page["contributions"].is_array()) {
        return make_error(ErrorCode::kCorruption, "contribution page: no 'contributions' list");
      }
      for (const json& c : page["contributions"]) {
        if (!c.value("attested", false) || !c.contains("attestation")) continue;
        if (c["attestation"].value("points", uint64_t{0}) == 0) continue;
        DD_TRY(index_recorded(c));
      }
      if (!page.contains("next_after") || page["next_after"].is_null()) return Status::Ok();
      DD_ASSIGN(after, node::u64_field(page, "next_after", "contribution page"));
    }
  }

  // Attestations whose outcome was not seen (node went away, or still pending): if they landed
  // with points, their records join the index now.
  Status resolve_in_doubt() {
    for (auto it = in_doubt.begin(); it != in_doubt.end();) {
      DD_ASSIGN(json c, client.get("/v1/contributions/" + std::to_string(*it)));
      if (c.value("attested", false) && c.contains("attestation") &&
          c["attestation"].value("points", uint64_t{0}) > 0) {
        DD_TRY(index_recorded(c));
      }
      it = in_doubt.erase(it);
    }
    return Status::Ok();
  }

  enum class Step { kDone, kNodeDown };

  // Submits the attestation and records the ledger's view of it in `report`.
  Step attest(const ledger::Attest& a, const proof::Evaluation* eval, RoundReport& report) {
    const std::string what = contribution_label(a.contribution_id);
    auto nonce = client.next_nonce(wallet.account());
    if (!nonce.ok()) {
      report.deferred.push_back({a.contribution_id, nonce.error().with_context(what)});
      return nonce.error().code == ErrorCode::kIoError ? Step::kNodeDown : Step::kDone;
    }
    auto out = client.submit(ledger::make_tx(chain_id, wallet.sign, *nonce, a), /*wait=*/true);
    if (!out.ok()) {
      report.deferred.push_back({a.contribution_id, out.error().with_context(what)});
      if (out.error().code == ErrorCode::kIoError) {
        in_doubt.insert(a.contribution_id);  // it may have reached the node
        return Step::kNodeDown;
      }
      return Step::kDone;
    }
    const std::string status = out->value("status", "");
    if (status != "included") {
      std::string why = status == "rejected" && out->contains("error")
                            ? (*out)["error"].value("message", "no reason given")
                            : "not in a block yet (" + status + ")";
      if (status != "rejected") in_doubt.insert(a.contribution_id);
      report.deferred.push_back({a.contribution_id, make_error(ErrorCode::kFailedPrecondition,
                                                               what + ": attestation " + why)});
      return Step::kDone;
    }
    auto c = client.get("/v1/contributions/" + std::to_string(a.contribution_id));
    if (!c.ok()) {
      in_doubt.insert(a.contribution_id);
      report.deferred.push_back({a.contribution_id, c.error().with_context(what)});
      return c.error().code == ErrorCode::kIoError ? Step::kNodeDown : Step::kDone;
    }
    const json& att = (*c).contains("attestation") ? (*c)["attestation"] : json::object();
    AttestedContribution r;
    r.id = a.contribution_id;
    r.contributor = c->value("contributor", "");
    r.authentic = att.value("authentic", false);
    r.owned = att.value("owned", false);
    r.handle_conflict = att.value("handle_conflict", false);
    r.records_total = att.value("records_total", uint64_t{0});
    r.exact_duplicates = att.value("exact_duplicates", uint64_t{0});
    r.near_duplicates = att.value("near_duplicates", uint64_t{0});
    r.low_quality = att.value("low_quality", uint64_t{0});
    r.accepted = att.value("accepted", uint64_t{0});
    r.points = att.value("points", uint64_t{0});
    r.tokens = att.value("tokens", uint64_t{0});
    r.note = att.value("note", "");
    report.attested.push_back(r);
    if (r.points == 0) return Step::kDone;
    // The ledger counted the records: they join the index. Ours unless another attestation of
    // this contribution landed first (then read the one the ledger holds).
    Status added;
    if (eval != nullptr &&
        att.value("refined_blob_hash", "") == codec::to_hex(a.refined_blob_hash)) {
      added = proof::add_to_index(index, *eval);
      if (added.ok()) indexed.insert(a.contribution_id);
    } else {
      added = index_recorded(*c);
    }
    if (!added.ok()) {
      report.deferred.push_back(
          {a.contribution_id, added.error().with_context(what + ": attested, but not indexed")});
    }
    return Step::kDone;
  }

  Step not_authentic(uint64_t id, std::string note, RoundReport& report) {
    ledger::Attest a;
    a.contribution_id = id;
    a.note = cut_utf8(std::move(note), ledger::kMaxAttestNoteBytes);
    return attest(a, nullptr, report);
  }

  Step defer(uint64_t id, const Error& e, RoundReport& report) {
    report.deferred.push_back({id, e.with_context(contribution_label(id))});
    return e.code == ErrorCode::kIoError ? Step::kNodeDown : Step::kDone;
  }

  Step process(const json& c, RoundReport& report) {
    auto id_r = node::u64_field(c, "id", "contribution");
    if (!id_r.ok()) return defer(0, id_r.error(), report);
    const uint64_t id = *id_r;
    const std::string what = contribution_label(id);
    auto sealed_key = node::base64_field(c, "sealed_key", what);
    auto sealed_claim = node::base64_field(c, "sealed_claim", what);
    auto file = node::object_field(c, "file", what);
    auto contributor = node::hash_field(c, "contributor", what);
    if (!sealed_key.ok()) return defer(id, sealed_key.error(), report);
    if (!sealed_claim.ok()) return defer(id, sealed_claim.error(), report);
    if (!file.ok()) return defer(id, file.error(), report);
    if (!contributor.ok()) return defer(id, contributor.error(), report);
    auto blob_hash = node::hash_field(**file, "blob_hash", what + " file");
    auto blob_size = node::u64_field(**file, "size", what + " file");
    if (!blob_hash.ok()) return defer(id, blob_hash.error(), report);
    if (!blob_size.ok()) return defer(id, blob_size.error(), report);

    auto key = vault::receive_key(wallet.box, *sealed_key);
    auto claim = crypto::unseal(wallet.box, *sealed_claim);
    if (!key.ok() || !claim.ok()) return not_authentic(id, std::string(kNotSealedNote), report);
    const std::string handle(claim->bytes().begin(), claim->bytes().end());

    const uint64_t max_cipher = max_ciphertext_for(options.max_export_bytes);
    const std::string too_large =
        "not authentic: encrypted export is " + std::to_string(*blob_size) + " bytes, above the " +
        std::to_string(options.max_export_bytes >> 20) + " MiB export limit";
    if (*blob_size > max_cipher) return not_authentic(id, too_large, report);
    auto blob = backend.get_bytes(*blob_hash, max_cipher);
    if (!blob.ok()) {
      if (blob.error().code == ErrorCode::kLimitExceeded) {
        return not_authentic(id, too_large, report);
      }
      return defer(id, blob.error(), report);  // missing, unreachable or damaged in transit
    }
    auto plain = vault::decode_blob(*blob, *key, what + " export", options.max_export_bytes);
    if (!plain.ok()) {
      switch (plain.error().code) {
        case ErrorCode::kLimitExceeded:
          return not_authentic(id, too_large, report);
        case ErrorCode::kUnauthenticated:
        case ErrorCode::kCorruption:
          // The blob matched its hash, so the contributor's key or blob is at fault.
          return not_authentic(id, "not authentic: the file key does not open the export", report);
        default:
          return defer(id, plain.error(), report);
      }
    }
    blob->clear();
    blob->shrink_to_fit();

    proof::EvaluateOptions eo;
    eo.limits = options.limits;
    eo.now_unix = now();
    eo.min_jaccard = options.min_jaccard;
    eo.accept_without_identity = identity_free();
    const std::string_view zip(reinterpret_cast<const char*>(plain->data()), plain->size());
    auto eval = proof::evaluate_contribution(source, zip, handle, eo, index, *scrubber);
    crypto::wipe(std::span<uint8_t>(plain->data(), plain->size()));
    if (!eval.ok()) return defer(id, eval.error(), report);
    const proof::ContributionScore& s = eval->score;

    ledger::Attest a;
    a.contribution_id = id;
    a.authentic = s.authentic;
    auto total = narrow(s.records_total, "records");
    if (!total.ok()) return not_authentic(id, "not authentic: more than 2^32 records", report);
    a.records_total = *total;
    a.exact_duplicates = static_cast<uint32_t>(s.exact_duplicates);
    a.near_duplicates = static_cast<uint32_t>(s.near_duplicates);
    a.low_quality = static_cast<uint32_t>(s.low_quality + s.empty);
    a.accepted = static_cast<uint32_t>(s.accepted);
    if (s.owned) {
      a.owned = true;
      a.handle_tag = proof::handle_tag(secret, source, handle);
    } else if (identity_free() && s.authentic) {
      // Ownership rests on the contributing wallet: its account stands in for the handle. Owned
      // even when nothing is accepted, so that points 0 is explained by the records (e.g. all
      // duplicates of a re-upload), not by ownership.
      a.owned = true;
      a.handle_tag = proof::handle_tag(secret, source, "wallet:" + codec::to_hex(*contributor));
    }
    a.note = make_note(s, identity_free(), *scrubber);
    if (a.authentic && a.owned && a.accepted > 0) {
      auto sealed = seal_refined(eval->refined_jsonl, backend);
      if (!sealed.ok()) return defer(id, sealed.error(), report);
      a.refined_blob_hash = sealed->first.hash;
      a.refined_size = sealed->first.ciphertext_size;
      a.refined_sealed_key = vault::share_key(sealed->second, box_key);
    }
    return attest(a, &*eval, report);
  }
};

Validator::Validator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Validator::~Validator() = default;

Result<std::unique_ptr<Validator>> Validator::open(const wallet::Wallet& wallet,
                                                   const std::string& node_url,
                                                   const std::string& pool, vault::Backend& backend,
                                                   ValidatorOptions options) {
  auto impl = std::make_unique<Impl>(wallet, node_url, backend, std::move(options));
  DD_ASSIGN(json p, impl->client.pool(pool));
  const std::string what = "pool '" + pool + "'";
  DD_ASSIGN(impl->pool_id, node::u64_field(p, "id", what));
  DD_ASSIGN(impl->pool_name, node::string_field(p, "name", what));
  DD_ASSIGN(crypto::Hash32 validator, node::hash_field(p, "validator", what));
  DD_ASSIGN(impl->box_key, node::hash_field(p, "box_key", what));
  DD_ASSIGN(std::string source, node::string_field(p, "source", what));
  if (validator != wallet.account()) {
    return make_error(ErrorCode::kPermissionDenied,
                      "wallet '" + wallet.name + "' (account " +
                          ledger::short_hex(wallet.account()) + ") is not the validator of " +
                          what + " (validator " + ledger::short_hex(validator) + ")");
  }
  if (impl->box_key != wallet.box.public_key) {
    return make_error(ErrorCode::kPermissionDenied,
                      "wallet '" + wallet.name + "' does not hold the box key of " + what +
                          ": contributions are sealed to " + ledger::short_hex(impl->box_key) +
                          ", the wallet's box key is " + ledger::short_hex(wallet.box.public_key));
  }
  auto src = ingest::parse_source(source);
  if (!src.ok()) {
    return make_error(ErrorCode::kFailedPrecondition,
                      what + " takes source '" + source +
                          "', which no importer reads (sources with importers: reddit, x, "
                          "spotify, oura); it cannot be validated");
  }
  impl->source = *src;
  DD_ASSIGN(impl->chain_id, impl->client.chain_id());
  impl->secret = pool_secret(wallet.box, impl->pool_id);
  privacy::ScrubOptions so;
  so.pseudonym_key = impl->secret;
  so.handle_kind = std::string(ingest::source_name(impl->source));
  impl->scrubber.emplace(std::move(so));
  DD_TRY(impl->rebuild_index());
  return std::unique_ptr<Validator>(new Validator(std::move(impl)));
}

Result<RoundReport> Validator::run_once() {
  Impl& m = *impl_;
  DD_TRY(m.resolve_in_doubt());
  RoundReport report;
  uint64_t after = 0;
  bool first = true;
  for (;;) {
    auto page = m.client.get(m.page_path(after, /*pending=*/true));
    if (!page.ok()) {
      if (first) return page.error();
      report.stopped = page.error();
      return report;
    }
    first = false;
    if (!page->contains("contributions") || !(*page)["contributions"].is_array()) {
      return make_error(ErrorCode::kCorruption, "contribution page: no 'contributions' list");
    }
    for (const json& c : (*page)["contributions"]) {
      if (m.process(c, report) == Impl::Step::kNodeDown) {
        report.stopped = make_error(ErrorCode::kIoError,
                                    "the node or the vault became unreachable; the rest of the "
                                    "pending contributions wait for the next round");
        return report;
      }
    }
    if (!page->contains("next_after") || (*page)["next_after"].is_null()) return report;
    auto next = node::u64_field(*page, "next_after", "contribution page");
    if (!next.ok()) return next.error();
    after = *next;
  }
}

uint64_t Validator::pool_id() const { return impl_->pool_id; }
const std::string& Validator::pool_name() const { return impl_->pool_name; }
uint64_t Validator::indexed_records() const { return impl_->index.next_record_id - 1; }

}  // namespace datadao::validator
