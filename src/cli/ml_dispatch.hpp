// `datadao` links no libtorch (its static initialisers cost every process ~0.7 s); the commands
// that train, run or serve a model live in `datadao-ml`, installed beside it. `datadao` hands
// those over with execv, argv unchanged, so a user only ever types `datadao`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datadao::cli {

// The name of the full binary, looked up in the directory of the running `datadao`.
inline constexpr std::string_view kMlBinaryName = "datadao-ml";

// True if this command line runs in `datadao-ml`: `demo ...`, `runner ...`, `node start`,
// `model generate|predict|audit`, and help that lists those (`--help` with no command, or
// on `node`, `model`, `demo` or `runner`; not `--version`). `args` excludes argv[0]. Global options (--node URL,
// --wallet/-w NAME, --passphrase-file FILE, their `=` forms, --json) may come anywhere.
bool needs_ml_binary(const std::vector<std::string>& args);

// Replaces this process with `datadao-ml` beside /proc/self/exe. Returns only on failure,
// with the exit code after printing an error that names the missing file.
int exec_ml_binary(char** argv);

}  // namespace datadao::cli
