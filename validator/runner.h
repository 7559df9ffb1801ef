// Runs synthesized tests, each in its own child process (a fresh Python running pytest) in
// its own scratch directory, with a wall-clock timeout, a memory limit, its own network
// namespace where the OS allows, and the Python sandbox (python/tritonpile_sandbox.py: no
// writes outside the scratch directory, no sockets, no forks). A crash, hang or error in one
// entry is that entry's outcome; the run always goes on.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "validator/validation.h"

namespace tritonpile::validator {

struct RunnerOptions {
  std::string python;          // interpreter with torch, triton and pytest
  std::string plugin_dir;      // holds tritonpile_report.py
  std::string device = "auto"; // auto | cuda | interpret
  int jobs = 1;                // children at once in the interpreter
  int gpus = 0;                // on cuda: one worker per GPU, each alone on its GPU (see the probe)
  std::chrono::seconds timeout{300};
  std::string scratch_root;    // empty: the system temp directory
  std::string triton_cache_dir;  // shared by every child and kept across runs; empty: Triton's default
  uint64_t max_rss_bytes = 8ull << 30;  // a child using more is killed and classed "oom"
  // Fork each child from a server that imported torch and triton once (fast); otherwise start
  // a fresh Python per entry. Either way each entry gets a process of its own.
  bool fork_server = true;
};

// The torch/triton versions and device the children will see; entries validated under
// another environment are validated again.
struct Environment {
  std::string torch_version;
  std::string triton_version;
  std::string device;  // "cuda" or "interpret"
  int gpus = 0;        // GPUs torch sees
  std::string key() const { return torch_version + "/" + triton_version + "/" + device; }
};

StatusOr<Environment> probe_environment(const RunnerOptions& options);

// Validates every job (options.device resolved: "cuda" or "interpret"); calls on_result (from worker threads, serialised) as each finishes.
// On cuda there is one worker per GPU, so kernels are timed on a GPU nothing else uses.
std::vector<ValidationResult> run_validations(
    const std::vector<ValidationJob>& jobs, const RunnerOptions& options,
    const std::function<void(const ValidationResult&)>& on_result);

}  // namespace tritonpile::validator
