// `datadao demo contributions`: the contributions demo, end to end on real parts. A node (SQLite
// ledger, HTTP API and vault on loopback) runs in this process; N synthetic users generate
// exports of Reddit, X, Spotify and Oura in the platforms' formats (with planted duplicates,
// near-duplicates, texts copied from another user and PII), seal them into the vault, register
// and contribute them to four pools; one validator per pool validates, refines and attests; the
// demo prints every contributor's scores and pool tokens.
//
// Then it checks what the pools promise, and exits non-zero if any check fails (CTest runs it):
//   - every refined blob opens with its pool's key, and none holds a planted PII string or any
//     user's account name;
//   - a re-upload of another user's export (the planted duplicate) earns nothing;
//   - texts copied from another user count as duplicates, never as accepted records;
//   - tokens = points x reward per point, and a pool's supply is the sum of its contributors'.
//
// Demo wallets live in memory only (no passphrase files): they exist for one run.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/node.hpp"
#include "datadao/proof/contribution.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/vault/vault.hpp"
#include "demo_net.hpp"

namespace datadao::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr uint64_t kRewardPerPoint = 1000;
const char* const kSources[] = {"reddit", "x", "spotify", "oura"};

struct DemoOptions {
  size_t users = 50;
  size_t records = 20;
  std::string dir;
  bool keep = false;
};

// The PII planted in user i's texts: one of each type the scrubber must remove.
std::vector<std::string> planted_pii(size_t i) {
  char phone[32], ip[32];
  std::snprintf(phone, sizeof phone, "+1 415 555 %04zu", 100 + i);
  std::snprintf(ip, sizeof ip, "203.0.113.%zu", 1 + i % 250);
  const std::string n = std::to_string(i);
  return {"maria.lopez" + n + "@example.org",
          phone,
          "4111 1111 1111 1111",
          "GB82 WEST 1234 5698 7654 32",
          ip,
          "https://www.facebook.com/maria.lopez" + n,
          "@friend_of_" + n,
          "u/neighbour_" + n,
          "Maria Lopez",
          n + "21 Baker Street"};
}

// Texts the scrubber is not expected to keep, in forms that must not survive refinement.
std::vector<std::string> forbidden_strings(size_t i, const std::string& username) {
  std::vector<std::string> out = planted_pii(i);
  // Fragments too: a partial leak must fail as well as a whole one.
  char phone_tail[16];
  std::snprintf(phone_tail, sizeof phone_tail, "555 %04zu", 100 + i);
  const std::string n = std::to_string(i);
  for (std::string f :
       {std::string("4111111111111111"), std::string("1111 1111"), "maria.lopez" + n,
        "lopez" + n + "@", std::string(phone_tail), std::string("WEST 1234"), n + "21 Baker",
        std::string("Baker Street"), "friend_of_" + n, "neighbour_" + n, std::string("Lopez")}) {
    out.push_back(f);
  }
  out.push_back(username);
  return out;
}

class Demo {
 public:
  explicit Demo(DemoOptions o) : o_(std::move(o)) {}
  ~Demo() { stop_node(); }  // also when a step throws
  void run();

 private:
  struct User {
    wallet::Wallet w;
    std::string handle;
    size_t index = 0;
  };
  struct Submission {
    size_t user = 0;  // index into users_, or users_.size() for the copier
    std::string source;
    std::string label;
    bool reupload = false;
    bool copies = false;  // holds texts copied from another user
    std::vector<std::string> copied;
    uint64_t contribution_id = 0;
  };

  void start_node();
  void stop_node();
  void create_pools();
  void contribute(const wallet::Wallet& w, const std::string& handle, const std::string& zip,
                  const std::string& source, Submission s);
  void contribute_all();
  void validate_all();
  void print_scores();
  void check(bool ok, const std::string& what);
  void verify();

  DemoOptions o_;
  DemoNet net_;
  std::vector<User> users_;
  User copier_;
  std::map<std::string, wallet::Wallet> validators_;  // by source
  std::map<std::string, uint64_t> pool_ids_;          // by source
  std::map<std::string, std::vector<std::string>> forbidden_;
  std::vector<Submission> submissions_;
  int failures_ = 0;
};

void Demo::start_node() {
  // Every demo account needs an account on the ledger to send transactions: 1 credit each.
  std::vector<std::pair<ledger::AccountId, uint64_t>> credits;
  for (const auto& u : users_) credits.emplace_back(u.w.account(), 1);
  credits.emplace_back(copier_.w.account(), 1);
  for (const auto& [src, v] : validators_) credits.emplace_back(v.account(), 1);
  net_.start(o_.dir, std::move(credits));
}

void Demo::create_pools() {
  for (const char* src : kSources) {
    ledger::CreatePool cp;
    cp.name = std::string(src) + "-dao";
    cp.source = src;
    cp.validator = validators_.at(src).account();
    cp.box_key = validators_.at(src).box.public_key;
    cp.params = {kRewardPerPoint, 2000, 20, true};
    net_.submit(users_.front().w, cp);
    pool_ids_[src] = unwrap(net_.client().pool(cp.name))["id"].get<uint64_t>();
    std::cout << "pool " << pool_ids_[src] << " " << cp.name << " (validator "
              << validators_.at(src).name << ")\n";
  }
}

void Demo::contribute(const wallet::Wallet& w, const std::string& handle, const std::string& zip,
                      const std::string& source, Submission s) {
  s.contribution_id = net_.contribute(w, pool_ids_.at(source),
                                      validators_.at(source).box.public_key, source, handle, zip);
  submissions_.push_back(std::move(s));
}

void Demo::contribute_all() {
  std::cout << "\n== " << users_.size() << " users export their data and contribute it\n";
  std::map<std::string, testkit::Fixture> first_exports;  // user 0's, re-uploaded by the copier
  std::map<std::string, std::vector<std::string>> previous_texts;  // by source
  for (auto& u : users_) {
    for (const char* src : kSources) {
      testkit::FixtureOptions fo;
      fo.seed = 1000 * (1 + std::string(src).size()) + u.index;
      fo.username = u.handle;
      fo.records = o_.records;
      Submission s{u.index, src, u.w.name, false, false, {}, 0};
      const std::string source = src;
      testkit::Fixture fx;
      if (source == "reddit" || source == "x") {
        fo.duplicates = 1;
        fo.near_duplicates = 1;
        fo.pii = planted_pii(u.index);
        // Every fifth user tweets two of the previous user's tweets as their own. (X only: the
        // fixture plants copies in the last texts, which for Reddit are messages, mostly received
        // ones that are refused as someone else's words before uniqueness is even asked.)
        auto& previous = previous_texts[source];
        if (source == "x" && u.index % 5 == 4 && !previous.empty()) {
          const size_t first = 0;
          // The second copy is edited (its last word changed): a near-duplicate.
          std::string edited = previous[first + 3];
          edited = edited.substr(0, edited.rfind(' ') + 1) + "indeed";
          fo.copied_texts = {previous[first + 2], edited};
          s.copies = true;
          s.copied = fo.copied_texts;
        }
        fx =
            unwrap(source == "reddit" ? testkit::make_reddit_export(fo) : testkit::make_x_export(fo));
        previous = fx.texts;
      } else if (source == "spotify") {
        fo.spotify_extended = u.index % 2 == 1;
        fx = unwrap(testkit::make_spotify_export(fo));
      } else {
        fx = unwrap(testkit::make_oura_export(fo));
      }
      for (auto& f : forbidden_strings(u.index, u.handle)) forbidden_[source].push_back(f);
      if (u.index == 0) first_exports[source] = fx;
      contribute(u.w, fx.account_identity.empty() ? u.handle : fx.account_identity, fx.zip, source,
                 s);
    }
    if (u.index % 10 == 9) std::cout << "  " << (u.index + 1) << " users contributed\n";
  }
  // The planted duplicates: a copier re-uploads user 0's Reddit and Oura exports, byte for
  // byte, claiming the handle inside (the Oura export carries none).
  for (const char* src : {"reddit", "oura"}) {
    const auto& fx = first_exports.at(src);
    Submission s{users_.size(), src, copier_.w.name, true, false, {}, 0};
    contribute(copier_.w, fx.account_identity.empty() ? copier_.handle : fx.account_identity,
               fx.zip, src, s);
  }
  std::cout << "  " << submissions_.size() << " contributions on the ledger\n";
}

void Demo::validate_all() {
  std::cout << "\n== each pool's validator scores, refines and attests\n";
  for (const char* src : kSources) {
    auto v = unwrap(validator::Validator::open(validators_.at(src), net_.url(),
                                               std::to_string(pool_ids_.at(src)), net_.vault()));
    auto report = unwrap(v->run_once());
    if (report.stopped) throw CliError(*report.stopped);
    for (const auto& d : report.deferred) {
      check(false, "contribution " + std::to_string(d.id) + " deferred: " + d.error.message);
    }
    std::cout << "  " << src << "-dao: " << report.attested.size() << " attested, "
              << v->indexed_records() << " records in the pool index\n";
  }
}

void Demo::print_scores() {
  std::cout
      << "\n== scores and pool tokens per contributor\n"
      << "records = exact + near (duplicates of what the pool holds, or of the export itself)\n"
      << "        + low (quality: e.g. received messages, someone else's words) + accepted\n"
      << "owned: the export's account is the claimed handle (Oura: no account, the wallet's)"
      << "; taken: another wallet holds it\n"
      << "points = accepted if authentic and owned; tokens = points x " << kRewardPerPoint
      << "\n(`datadao contribution show ID` explains one contribution in words)\n";
  for (const char* src : kSources) {
    std::cout << "\n" << src << "-dao\n";
    std::cout << std::left << std::setw(14) << "contributor" << std::right << std::setw(8)
              << "records" << std::setw(7) << "exact" << std::setw(6) << "near" << std::setw(6)
              << "low" << std::setw(9) << "accepted" << std::setw(7) << "owned" << std::setw(8)
              << "points" << std::setw(10) << "tokens"
              << "\n";
    for (const auto& s : submissions_) {
      if (s.source != src) continue;
      json c = unwrap(net_.client().get("/v1/contributions/" + std::to_string(s.contribution_id)));
      const json a = c.value("attestation", json::object());
      std::cout << std::left << std::setw(14) << s.label << std::right << std::setw(8)
                << a.value("records_total", 0) << std::setw(7) << a.value("exact_duplicates", 0)
                << std::setw(6) << a.value("near_duplicates", 0) << std::setw(6)
                << a.value("low_quality", 0) << std::setw(9) << a.value("accepted", 0)
                << std::setw(7)
                << (a.value("handle_conflict", false) ? "taken"
                    : a.value("owned", false)         ? "yes"
                                                      : "no")
                << std::setw(8) << a.value("points", 0) << std::setw(10) << a.value("tokens", 0)
                << (s.reupload ? "  re-upload of user00's export" : "")
                << (s.copies ? "  tweeted 2 of the previous user's tweets (1 edited)" : "") << "\n";
    }
    json p = unwrap(net_.client().pool(std::to_string(pool_ids_.at(src))));
    std::cout << "token supply " << p["token_supply"] << "\n";
  }
}

void Demo::check(bool ok, const std::string& what) {
  if (ok) return;
  ++failures_;
  std::cerr << "CHECK FAILED: " << what << "\n";
}

void Demo::verify() {
  std::cout << "\n== checks\n";
  size_t blobs = 0, refined_bytes = 0, records = 0;
  std::map<std::string, std::vector<std::string>> refined_texts;  // by source
  for (const char* src : kSources) {
    const uint64_t pool = pool_ids_.at(src);
    const auto& box = validators_.at(src).box;
    uint64_t sum = 0;
    std::set<crypto::Hash32> keys;  // uniqueness keys of every accepted record in the pool
    json all = json::array();
    for (json after = 0; !after.is_null();) {
      json page = unwrap(net_.client().get("/v1/pools/" + std::to_string(pool) +
                                           "/contributions?limit=1000&after=" + after.dump()));
      for (auto& c : page["contributions"]) all.push_back(std::move(c));
      after = page["next_after"];
    }
    for (const auto& c : all) {
      check(c.value("attested", false), "contribution " + c["id"].dump() + " is not attested");
      if (!c.contains("attestation")) continue;
      const json& a = c["attestation"];
      const uint64_t points = a["points"].get<uint64_t>();
      check(a["tokens"].get<uint64_t>() == points * kRewardPerPoint,
            "tokens of contribution " + c["id"].dump() + " are not points x reward");
      sum += a["tokens"].get<uint64_t>();
      const auto hash =
          unwrap(codec::from_hex_fixed<32>(a["refined_blob_hash"].get<std::string>(), "refined"));
      if (hash == crypto::Hash32{}) continue;
      // Decrypt the refined blob exactly as a pool member with the pool key would.
      const crypto::Bytes sealed =
          unwrap(codec::from_base64(a["refined_sealed_key"].get<std::string>(), "refined key"));
      const auto key = unwrap(vault::receive_key(box, sealed));
      const crypto::Bytes plain = unwrap(vault::open_bytes(net_.vault(), hash, key));
      const std::string text(plain.begin(), plain.end());
      ++blobs;
      refined_bytes += text.size();
      records += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      size_t start = 0;
      while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        json rec = json::parse(text.substr(start, end - start), nullptr, false);
        start = end + 1;
        check(!rec.is_discarded(), "a refined line is not JSON");
        if (rec.is_discarded()) continue;
        auto key = proof::uniqueness_key(rec);
        check(key.ok(), "a refined line has no uniqueness key");
        if (!key.ok()) continue;
        check(keys.insert(key->content_hash).second,
              std::string(src) + "-dao accepted the same record twice (contribution " +
                  c["id"].dump() + ")");
        if (rec.contains("text")) refined_texts[src].push_back(rec["text"].get<std::string>());
      }
      for (const auto& f : forbidden_.at(src)) {
        check(text.find(f) == std::string::npos,
              std::string(src) + " refined blob of contribution " + c["id"].dump() +
                  " contains planted PII or an account name (" + std::to_string(f.size()) +
                  " bytes, not shown)");
      }
    }
    json p = unwrap(net_.client().pool(std::to_string(pool)));
    check(p["token_supply"].get<uint64_t>() == sum,
          std::string(src) + " token supply is not the sum of its contributors' tokens");
  }
  size_t reuploads = 0, copies = 0;
  for (const auto& s : submissions_) {
    json a = unwrap(net_.client().get("/v1/contributions/" + std::to_string(s.contribution_id)))
                 .value("attestation", json::object());
    if (s.reupload) {
      ++reuploads;
      check(a.value("points", 1) == 0 && a.value("tokens", 1) == 0,
            "the re-upload of user 0's " + s.source + " export earned something");
      // Every record the original had accepted is recognised as an exact duplicate (not merely
      // refused for a handle conflict).
      check(a.value("exact_duplicates", 0) > 0 &&
                a.value("exact_duplicates", 0) + a.value("low_quality", 0) ==
                    a.value("records_total", 1),
            "the re-upload of user 0's " + s.source + " export was not all exact duplicates");
    } else {
      check(a.value("points", 0) > 0, s.label + "'s " + s.source + " contribution earned nothing");
    }
    if (s.copies) {
      // Their own planted duplicate and near-duplicate, plus the verbatim and the edited copy.
      check(a.value("exact_duplicates", 0) >= 2 && a.value("near_duplicates", 0) >= 2,
            s.label + "'s copied tweets were not both caught (exact " +
                std::to_string(a.value("exact_duplicates", 0)) + ", near " +
                std::to_string(a.value("near_duplicates", 0)) + ")");
    }
    for (const auto& copied : s.copied) {
      // A piece of the copied text (from before its last word, which the edit changed; PII sits
      // after the first word) is in the pool at most once: the original's, never the copy's.
      ++copies;
      const size_t cut = copied.rfind(' ');
      const std::string tail = copied.substr(cut > 40 ? cut - 40 : 0, std::min<size_t>(cut, 40));
      size_t found = 0;
      for (const auto& t : refined_texts[s.source]) found += t.find(tail) != std::string::npos;
      check(found <= 1, s.label + "'s copied text was accepted again (" + std::to_string(found) +
                            " copies in the pool)");
    }
  }
  std::cout << "  " << blobs << " refined blobs decrypted with the pool keys (" << records
            << " records, " << refined_bytes << " bytes): no planted PII, no account name\n";
  std::cout << "  " << reuploads << " re-uploads of another user's export earned 0 tokens\n";
  std::cout << "  " << copies << " texts copied from another user: none accepted twice; no record "
            << "accepted twice in any pool\n";
  std::cout << "  tokens = points x reward and supply = sum of holdings in every pool\n";
}

void Demo::run() {
  for (size_t i = 0; i < o_.users; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "user%02zu", i);
    users_.push_back({demo_wallet(name), std::string("dd_") + name, i});
  }
  copier_ = {demo_wallet("copier"), "dd_copier", o_.users};
  for (const char* src : kSources) validators_[src] = demo_wallet(std::string(src) + "-validator");
  start_node();
  create_pools();
  contribute_all();
  validate_all();
  print_scores();
  verify();
  stop_node();
  if (failures_ > 0) {
    throw CliError(ErrorCode::kFailedPrecondition,
                   std::to_string(failures_) + " demo check(s) failed (see above)");
  }
  std::cout << "\ndemo passed: every check held\n";
}

void Demo::stop_node() { net_.stop(o_.keep); }

}  // namespace

void register_demo_commands(CLI::App& app, Context&) {
  auto* d = app.add_subcommand("demo", "Self-contained demonstrations on real parts");
  d->require_subcommand(1);
  static DemoOptions opts;
  auto* c = d->add_subcommand(
      "contributions",
      "Synthetic users contribute Reddit, X, Spotify and Oura exports to four data DAOs; the "
      "validators score, refine and attest; prints scores and tokens, then checks that no "
      "planted PII survived and that duplicates earned nothing");
  c->add_option("--users", opts.users, "Synthetic users")->check(CLI::Range(2, 1000));
  c->add_option("--records", opts.records, "Records per kind in each export")
      ->check(CLI::Range(4, 10000));
  c->add_option("--dir", opts.dir, "Directory for the node (default: a fresh temporary one)");
  c->add_flag("--keep", opts.keep, "Keep the node directory afterwards");
  c->footer("Example:\n  datadao demo contributions --users 50");
  c->callback([] { Demo(opts).run(); });
  register_demo_models_command(*d);
}

}  // namespace datadao::cli
