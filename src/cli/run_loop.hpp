// Plumbing shared by the long-running commands (validator run, runner run): SIGINT/SIGTERM stop
// the loop between steps (a second signal ends the process at once), and pauses wake early on a
// stop.
#pragma once

#include <atomic>
#include <chrono>

namespace datadao::cli {

inline constexpr std::chrono::milliseconds kFirstBackoff{500};
inline constexpr std::chrono::milliseconds kMaxBackoff{30000};

// Set by the handlers install_stop_handlers() installs.
extern std::atomic<bool> g_stop;
void install_stop_handlers();
// Sleeps `d`, waking early when a stop signal arrives.
void pause_unless_stopped(std::chrono::milliseconds d);

}  // namespace datadao::cli
