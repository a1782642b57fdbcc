// The loop of the long-running commands (validator run, runner run): rounds until SIGINT/SIGTERM
// stops it between rounds (a second signal ends the process at once), with pauses that wake
// early on a stop, and a backoff when the node goes away.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "datadao/common/result.hpp"

namespace datadao::cli {

inline constexpr std::chrono::milliseconds kFirstBackoff{500};
inline constexpr std::chrono::milliseconds kMaxBackoff{30000};

// Set by the handlers install_stop_handlers() installs.
extern std::atomic<bool> g_stop;
void install_stop_handlers();
// Sleeps `d`, waking early when a stop signal arrives.
void pause_unless_stopped(std::chrono::milliseconds d);

struct RoundLoopOptions {
  bool once = false;                         // one round, then return
  std::chrono::milliseconds interval{2000};  // pause between good rounds
};

// Runs `round` until stopped. A round returns an Error for trouble it may outlive (the node or
// the vault unreachable): with `once` that is a CliError; otherwise the loop warns once, waits
// (kFirstBackoff doubling up to kMaxBackoff) and retries, and says "node reachable again" after
// the next good round. A round throws CliError for what will not fix itself.
void run_rounds(const RoundLoopOptions& options, const std::function<Status()>& round);

}  // namespace datadao::cli
