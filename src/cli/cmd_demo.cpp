#include "cli.hpp"

namespace datadao::cli {

// TODO(issue 3): being written this session; registers nothing yet.
void register_demo_commands(CLI::App&, Context&) {}

}  // namespace datadao::cli
