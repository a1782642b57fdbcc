#include "ml_dispatch.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace datadao::cli {

bool needs_ml_binary(const std::vector<std::string>& args) {
  std::vector<std::string_view> words;  // the command path, at most two words
  bool help = false, version = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--node" || a == "--wallet" || a == "-w" || a == "--passphrase-file") {
      ++i;  // its value is not a command word
      continue;
    }
    if (a == "--help" || a == "-h" || a == "--help-all") {
      help = true;
      continue;
    }
    if (a == "--version") version = true;
    if (a.starts_with("-")) continue;  // --json, --x=y, -wNAME, a subcommand's own options
    if (words.size() < 2) words.push_back(a);
  }
  if (words.empty()) return !version;  // `datadao`, `datadao --help`: list every command
  const std::string_view top = words[0];
  const std::string_view sub = words.size() > 1 ? words[1] : std::string_view{};
  if (top == "demo" || top == "runner") return true;
  if (top == "node") return sub == "start" || (help && sub.empty());
  if (top == "model") {
    return sub == "generate" || sub == "predict" || sub == "audit" || (help && sub.empty());
  }
  return false;
}

int exec_ml_binary(char** argv) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "error: cannot find the running binary (/proc/self/exe): " << ec.message()
              << "\n";
    return 1;
  }
  const auto full = self.parent_path() / kMlBinaryName;
  ::execv(full.c_str(), argv);
  const int err = errno;
  std::cerr << "error: this command runs in " << kMlBinaryName << " (the build with libtorch), "
            << "which could not be started from " << full.string() << ": " << std::strerror(err)
            << "\n";
  return 1;
}

}  // namespace datadao::cli
