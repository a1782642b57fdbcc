// `datadao import` and `datadao scrub`: see what a contribution holds, and try the scrubber.
// `datadao fixture`: write a synthetic export in a platform's format, to try the whole flow.
#include <cctype>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "render.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::cli {

using nlohmann::json;

void register_data_commands(CLI::App& app, Context& ctx) {
  static std::string source, file;
  auto* imp = app.add_subcommand(
      "import",
      "Parse a platform export (zip) and print its normalised records as JSON lines; "
      "a summary goes to stderr. Nothing is stored or sent.");
  imp->add_option("source", source, "reddit, x, oura or spotify")->required();
  imp->add_option("file", file, "The export as the platform ships it (.zip)")
      ->required()
      ->check(CLI::ExistingFile);
  imp->footer("Example:\n  datadao import reddit export_alice_20241101.zip > records.jsonl");
  imp->callback([&ctx] {
    const auto src = unwrap(ingest::parse_source(source));
    ingest::ImportSummary summary;
    check(ingest::import_file(
        src, file, ingest::Limits{},
        [](const ingest::Record& r) {
          std::cout << ingest::to_json(r).dump() << "\n";
          return Status::Ok();
        },
        &summary));
    std::cout.flush();
    // The records are the output (JSON lines on stdout); the summary is for the person.
    if (ctx.json) {
      std::cerr << ingest::to_json(summary).dump() << "\n";
    } else {
      std::cerr << render_import_summary(summary);
    }
  });

  static std::string secret_hex, kind = "handle";
  auto* scrub =
      app.add_subcommand("scrub",
                         "Redact PII from standard input, line by line, to standard output (the "
                         "validators' scrubber): emails, phones, cards, IBANs, IPs, personal URLs, "
                         "addresses, names; handles become keyed pseudonyms");
  scrub->add_option("--secret", secret_hex,
                    "Pool secret (64 hex) for stable pseudonyms; without it handles become [USER]");
  scrub->add_option("--kind", kind, "Namespace of handles, e.g. reddit")->capture_default_str();
  scrub->footer("Example:\n  echo 'mail jane@example.org or ping u/jane_doe' | datadao scrub");
  scrub->callback([] {
    privacy::ScrubOptions opts;
    opts.handle_kind = kind;
    if (!secret_hex.empty()) {
      auto bytes = unwrap(codec::from_hex_fixed<32>(secret_hex, "--secret"));
      crypto::SymmetricKey key;
      std::copy(bytes.begin(), bytes.end(), key.data());
      crypto::wipe(bytes);
      opts.pseudonym_key = key;
    }
    privacy::Scrubber scrubber(opts);
    std::string line;
    while (std::getline(std::cin, line)) std::cout << scrubber.scrub(line) << "\n";
  });

  static std::string fx_source, fx_user, fx_out;
  static std::vector<std::string> fx_pii;
  static testkit::FixtureOptions fx;
  auto* fixture = app.add_subcommand(
      "fixture",
      "Write a synthetic export (zip) in a platform's exact format, deterministic from a seed, "
      "to try import, vault and pools; prints the account identity it carries");
  fixture->add_option("source", fx_source, "reddit, x, oura or spotify")->required();
  fixture->add_option("--seed", fx.seed, "Same seed and options, same bytes")->required();
  fixture->add_option("--user", fx_user, "Account name in the export (default: from the seed)");
  fixture->add_option("--records", fx.records, "Records per kind (posts, comments, ...)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  fixture->add_option("--duplicates", fx.duplicates, "Texts repeating an earlier text exactly")
      ->check(CLI::Range(size_t{0}, size_t{1'000'000}));
  fixture
      ->add_option("--near-duplicates", fx.near_duplicates,
                   "Texts repeating an earlier text with one word changed")
      ->check(CLI::Range(size_t{0}, size_t{1'000'000}));
  fixture->add_option("--pii", fx_pii, "PII strings to plant, one per text, round robin");
  fixture->add_flag("--realistic-text", fx.realistic_text,
                    "Texts that read like the platform's (subreddit templates, tweets), dated in "
                    "the two years before 2026");
  fixture->add_option("--person-seed", fx.person_seed,
                      "Oura/Spotify: exports of one person share days, sleep and late listening "
                      "(--records is then days; 0: off)");
  fixture->add_option("-o,--out", fx_out, "Where to write the zip")->required();
  fixture->footer(
      "Example:\n  datadao fixture reddit --seed 7 --user alice_r --pii jane@example.org "
      "-o alice_reddit.zip\n  datadao fixture oura --seed 1 --person-seed 42 --records 60 -o "
      "sleep.zip\n  datadao fixture spotify --seed 2 --person-seed 42 --records 60 -o music.zip");
  fixture->callback([&ctx] {
    const auto src = unwrap(ingest::parse_source(fx_source));
    fx.username = fx_user;
    fx.pii = fx_pii;
    auto make = [&]() -> Result<testkit::Fixture> {
      switch (src) {
        case ingest::Source::kReddit:
          return testkit::make_reddit_export(fx);
        case ingest::Source::kX:
          return testkit::make_x_export(fx);
        case ingest::Source::kOura:
          return testkit::make_oura_export(fx);
        case ingest::Source::kSpotify:
          return testkit::make_spotify_export(fx);
      }
      return make_error(ErrorCode::kInvalidArgument, "unknown source '" + fx_source + "'");
    };
    const testkit::Fixture f = unwrap(make());
    std::ofstream out(fx_out, std::ios::binary | std::ios::trunc);
    out.write(f.zip.data(), static_cast<std::streamsize>(f.zip.size()));
    out.close();
    if (!out) throw CliError(ErrorCode::kIoError, fx_out + ": cannot write");
    const std::string name(ingest::source_name(src));
    json j = {{"source", name},
              {"file", fx_out},
              {"bytes", f.zip.size()},
              {"account_identity", f.account_identity},
              {"records", f.by_kind}};
    emit(ctx, j, [&] {
      std::cout << "wrote " << fx_out << " (" << f.zip.size() << " bytes, " << name << " export";
      if (!f.account_identity.empty()) std::cout << " of account '" << f.account_identity << "'";
      std::cout << ":";
      for (const auto& [kind, n] : f.by_kind) std::cout << " " << n << " " << kind;
      std::cout << ")\n";
      if (f.account_identity.empty()) {
        std::string platform = name;
        platform[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(platform[0])));
        std::cout << "(" << platform << " exports carry no account name; --user is not used)\n";
      }
    });
  });
}

}  // namespace datadao::cli
