// The wall clock for the I/O layers (node, wallet, validator, CLI). The ledger state machine
// never reads it: time reaches the state only through the block. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace datadao {

// Seconds since the Unix epoch (UTC).
inline uint64_t unix_now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace datadao
