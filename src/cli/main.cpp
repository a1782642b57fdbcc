// datadao: the command-line front end. Every error becomes a message on stderr (one JSON line
// under --json) and a non-zero exit code: 1 for errors from the network or the data, 2 for usage
// errors. Built twice: `datadao` without libtorch, which hands the model commands to
// `datadao-ml` (DATADAO_ML_BINARY: every command; ml_dispatch.hpp).
#include <cstring>
#include <functional>
#include <iostream>

#include "cli.hpp"
#include "render.hpp"
#ifdef DATADAO_ML_BINARY
#include "datadao/runner/serving.hpp"
#else
#include "ml_dispatch.hpp"
#endif

#ifndef DATADAO_VERSION
#error "DATADAO_VERSION comes from the CMake project version"
#endif

int main(int argc, char** argv) {
  using namespace datadao::cli;
#ifndef DATADAO_ML_BINARY
  if (needs_ml_binary(std::vector<std::string>(argv + 1, argv + argc))) {
    return exec_ml_binary(argv);
  }
#endif
  CLI::App app{
      "datadao: own your exported data, pool it in data DAOs, decide who trains on it.\n"
      "Local state lives under $DATADAO_HOME (default ~/.datadao)."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every command");
  app.set_version_flag("--version", std::string("datadao ") + DATADAO_VERSION);
  Context ctx;
  app.add_option("--node", ctx.node_url,
                 "Node API URL (default: $DATADAO_NODE, else the node of this $DATADAO_HOME, "
                 "else http://127.0.0.1:7420)");
  app.add_option("--wallet,-w", ctx.wallet_name,
                 "Wallet to act as (default: $DATADAO_WALLET, or the only wallet)");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "Read the wallet passphrase from this file (else $DATADAO_PASSPHRASE, else "
                 "a prompt)");
  app.add_flag("--json", ctx.json, "Machine-readable JSON output");
#ifdef DATADAO_ML_BINARY
  ctx.inference_engine = datadao::runner::make_inference_engine;
#endif

  register_wallet_commands(app, ctx);
  register_node_commands(app, ctx);
  register_vault_commands(app, ctx);
  register_file_commands(app, ctx);
  register_ledger_commands(app, ctx);
  register_data_commands(app, ctx);
  register_pool_commands(app, ctx);
  register_validator_commands(app, ctx);
#ifdef DATADAO_ML_BINARY
  register_demo_commands(app, ctx);
#endif
  register_dp_commands(app, ctx);
  register_model_commands(app, ctx);
#ifdef DATADAO_ML_BINARY
  register_model_use_commands(app, ctx);
#endif
  register_rewards_commands(app, ctx);
#ifdef DATADAO_ML_BINARY
  register_runner_commands(app, ctx);
#endif
  register_attribute_commands(app, ctx);

  // Global options (--json, --wallet, ...) are accepted after any subcommand too.
  std::function<void(CLI::App*)> fall = [&](CLI::App* a) {
    for (auto* sub : a->get_subcommands({})) {
      sub->fallthrough();
      fall(sub);
    }
  };
  fall(&app);

  // --json may not have been parsed yet when parsing itself fails.
  bool json_errors = false;
  for (int i = 1; i < argc; ++i) json_errors = json_errors || std::strcmp(argv[i], "--json") == 0;
  auto fail = [&](std::string_view code, const std::string& message, const std::string& hint) {
    if (json_errors || ctx.json) {
      std::cerr << error_json_line(code, message, hint) << "\n";
    } else {
      std::cerr << "error: " << message << "\n";
      if (!hint.empty()) std::cerr << "hint: " << hint << "\n";
    }
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version are "errors" that exit 0; real usage errors exit 2.
    if (e.get_exit_code() == 0 || !json_errors) {
      const int code = app.exit(e);  // prints help, or the usage error and a hint
      return code == 0 ? 0 : 2;
    }
    fail("usage", e.what(), "run with --help for the options");
    return 2;
  } catch (const CliError& e) {
    fail(error_code_name(e.code), e.what(), ctx.node_hint(e.what()));
    return 1;
  } catch (const std::exception& e) {
    fail(datadao::error_code_name(datadao::ErrorCode::kInternal), e.what(), "");
    return 1;
  }
  return 0;
}
