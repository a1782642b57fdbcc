#include "cli.hpp"

namespace datadao::cli {

void register_runner_commands(CLI::App& app, Context& ctx) {}

}  // namespace datadao::cli
