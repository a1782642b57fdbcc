#include "cli.hpp"

namespace datadao::cli {

void register_dp_commands(CLI::App& app, Context& ctx) {}

}  // namespace datadao::cli
