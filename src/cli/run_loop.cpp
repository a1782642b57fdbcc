#include "run_loop.hpp"

#include <algorithm>
#include <csignal>
#include <thread>

namespace datadao::cli {

std::atomic<bool> g_stop{false};

namespace {
extern "C" void on_stop_signal(int) { g_stop = true; }
}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void pause_unless_stopped(std::chrono::milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!g_stop && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), d));
  }
}

}  // namespace datadao::cli
