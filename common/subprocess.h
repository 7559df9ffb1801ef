// Runs a child process to completion or to its wall-clock limit. The child leads its own
// process group, so a timeout kills it together with everything it spawned.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace tritonpile {

struct ProcessSpec {
  std::vector<std::string> argv;               // argv[0] is the program path
  std::string working_dir;                     // empty: inherit
  std::map<std::string, std::string> env_set; // added to (or replacing in) the parent's env
  std::vector<std::string> env_unset;
  std::chrono::milliseconds timeout{60000};
  std::string output_path;                     // stdout and stderr go here; empty: /dev/null
  bool isolate_network = false;  // a network namespace of its own, where the OS allows it
  uint64_t max_rss_bytes = 0;    // killed (memory_exceeded) when its resident set grows past; 0: no limit
};

struct ProcessOutcome {
  bool timed_out = false;
  bool memory_exceeded = false;
  int exit_code = -1;     // valid when the child exited
  int term_signal = 0;    // non-zero when a signal ended it
  double wall_seconds = 0;
};

// Fails only when the child could not be started; what the child did is in the outcome.
StatusOr<ProcessOutcome> run_process(const ProcessSpec& spec);

}  // namespace tritonpile
