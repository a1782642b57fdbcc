#include "run_loop.hpp"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli.hpp"

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

void run_rounds(const RoundLoopOptions& o, const std::function<Status()>& round) {
  install_stop_handlers();
  std::chrono::milliseconds backoff = kFirstBackoff;
  bool warned = false;
  while (!g_stop) {
    Status st = round();
    if (!st.ok()) {
      if (o.once) throw CliError(st.error());
      if (!warned) {
        std::cerr << "warning: " << st.error().message << "; retrying (backoff up to "
                  << kMaxBackoff.count() / 1000 << " s)" << std::endl;
        warned = true;
      }
      pause_unless_stopped(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
      continue;
    }
    if (warned) {
      std::cerr << "node reachable again" << std::endl;
      warned = false;
    }
    backoff = kFirstBackoff;
    if (o.once) return;
    pause_unless_stopped(o.interval);
  }
  std::cerr << "stopped" << std::endl;
}

}  // namespace datadao::cli
