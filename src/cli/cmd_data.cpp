// `datadao import` and `datadao scrub`: see what a contribution holds, and try the scrubber.
#include <iostream>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/privacy/pii.hpp"

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
    std::cerr << ingest::to_json(summary).dump(ctx.json ? -1 : 2) << "\n";
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
}

}  // namespace datadao::cli
