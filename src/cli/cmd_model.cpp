#include "cli.hpp"

namespace datadao::cli {

void register_model_commands(CLI::App& app, Context& ctx) {}

}  // namespace datadao::cli
