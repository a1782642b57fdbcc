#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/node/api_server.hpp"
#include "datadao/node/node.hpp"
#include "datadao/store/file.hpp"
#include "datadao/vault/backend.hpp"
#include "datadao/wallet/home.hpp"

namespace datadao::cli {

using nlohmann::json;

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

// "alice=1000000", "bob.pub.json=5", "<64 hex>=7" -> (account, credits)
std::pair<ledger::AccountId, uint64_t> parse_alloc(const std::string& spec) {
  const auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    throw CliError(ErrorCode::kInvalidArgument,
                   "--alloc '" + spec +
                       "': expected WHO=CREDITS (WHO: wallet name, public "
                       "identity file or 64-hex account)");
  }
  const std::string who = spec.substr(0, eq), amount = spec.substr(eq + 1);
  uint64_t credits = 0;
  try {
    size_t used = 0;
    credits = std::stoull(amount, &used);
    if (used != amount.size() || amount[0] == '-') throw std::invalid_argument("");
  } catch (...) {
    throw CliError(ErrorCode::kInvalidArgument,
                   "--alloc '" + spec + "': credits must be a whole number of base units");
  }
  ledger::AccountId account{};
  if (who.size() == 64 && who.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    account = unwrap(codec::from_hex_fixed<32>(who, "--alloc account"));
  } else {
    account = resolve_recipient(who).account;
  }
  return {account, credits};
}

}  // namespace

void register_node_commands(CLI::App& app, Context& ctx) {
  auto* n = app.add_subcommand("node", "Run a node: the ledger, its API and the blob store");
  n->require_subcommand(1);

  static std::string chain_id;
  static std::vector<std::string> allocs;
  static uint16_t port = node::kDefaultPort;
  static uint32_t block_ms = 100;
  auto* init = n->add_subcommand("init",
                                 "Create a node in $DATADAO_HOME/node with a genesis "
                                 "block (credits exist only from genesis)");
  init->add_option("--chain-id", chain_id, "Chain id (default: datadao-local-<random>)");
  init->add_option("--alloc", allocs, "Genesis credits: WHO=CREDITS (repeatable)");
  init->add_option("--port", port, "API port")->capture_default_str()->check(CLI::Range(1, 65535));
  init->add_option("--block-interval-ms", block_ms, "How long a block collects transactions")
      ->capture_default_str()
      ->check(CLI::Range(1, 60000));
  init->footer("Example:\n  datadao node init --alloc alice=1000000 --alloc bob.pub.json=1000");
  init->callback([&ctx] {
    node::NodeConfig cfg;
    if (chain_id.empty()) {
      std::array<uint8_t, 4> r{};
      crypto::random_bytes(r);
      chain_id = "datadao-local-" + codec::to_hex(r);
    }
    cfg.chain_id = chain_id;
    cfg.port = port;
    cfg.block_interval_ms = block_ms;
    ledger::Genesis genesis;
    genesis.chain_id = chain_id;
    genesis.timestamp = unix_now();
    for (const auto& a : allocs) genesis.allocations.push_back(parse_alloc(a));
    const auto paths = node::NodePaths::under(wallet::datadao_home());
    check(wallet::ensure_dir(wallet::datadao_home()));
    check(node::init_node(paths, cfg, genesis));
    auto op = unwrap(node::load_operator_key(paths));
    json j = {{"dir", paths.dir.string()},
              {"chain_id", chain_id},
              {"port", port},
              {"operator_key", codec::to_hex(op.public_key)},
              {"allocations", genesis.allocations.size()}};
    emit(ctx, j, [&] {
      std::cout << "node initialised in " << paths.dir.string() << "\n"
                << "chain id      " << chain_id << "\n"
                << "operator key  " << codec::to_hex(op.public_key) << "\n"
                << "genesis       " << genesis.allocations.size() << " funded account(s)\n"
                << "start it with: datadao node start\n";
    });
  });

  static int start_port = -1;
  static std::string host, port_file;
  auto* start = n->add_subcommand("start", "Serve the API and produce blocks until Ctrl-C");
  start->add_option("--port", start_port, "Override the configured port (0 = any free port)")
      ->check(CLI::Range(0, 65535));
  start->add_option("--host", host, "Override the listen address (default 127.0.0.1)");
  start->add_option("--port-file", port_file,
                    "Write the port actually bound here (useful with --port 0 = any free port)");
  start->footer("Example:\n  datadao node start &   # then: datadao node status");
  start->callback([&ctx] {
    const auto paths = node::NodePaths::under(wallet::datadao_home());
    auto nd = unwrap(node::Node::open(paths));
    // Metered inference for models whose weights key was sealed to this node (serving.hpp).
    if (!ctx.inference_engine) {
      throw CliError(ErrorCode::kInternal, "this binary cannot serve models: run datadao-ml");
    }
    nd->set_inference_engine(ctx.inference_engine(nd->serving_key(), nd->blobs()));
    node::ApiServer api(*nd);
    const int p = start_port >= 0 ? start_port : nd->config().port;
    const std::string h = host.empty() ? nd->config().listen_host : host;
    check(api.start(h, p));
    nd->start();
    auto write_port = [&](const std::string& file) {  // readers never see a partial file
      check(store::write_file_atomic(file, std::to_string(api.port()) + "\n",
                                     store::WriteOptions{.mode = 0644, .durable = false}));
    };
    if (!port_file.empty()) write_port(port_file);
    write_port(paths.api_port().string());  // how this home's CLI finds the node
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const uint64_t height = nd->read([](const ledger::Chain& c) { return c.height(); });
    std::cerr << "datadao node: chain " << nd->config().chain_id << " at height " << height
              << ", API on http://" << h << ":" << api.port() << std::endl;
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "datadao node: stopping" << std::endl;
    api.stop();
    nd->stop();
    std::error_code ec;
    std::filesystem::remove(paths.api_port(), ec);
  });

  auto* status = n->add_subcommand("status", "Show the node's chain id, height and head");
  status->footer("Example:\n  datadao node status --json");
  status->callback([&ctx] {
    auto client = ctx.client();
    json j = unwrap(client.get("/v1/status"));
    emit(ctx, j, [&] {
      std::cout << "chain id      " << j.value("chain_id", "") << "\n"
                << "height        " << j.value("height", 0) << "\n"
                << "head hash     " << j.value("head_hash", "") << "\n"
                << "state hash    " << j.value("state_hash", "") << "\n"
                << "operator key  " << j.value("operator_key", "") << "\n"
                << "accounts      " << j.value("accounts", 0) << "\n";
    });
  });
}

}  // namespace datadao::cli
