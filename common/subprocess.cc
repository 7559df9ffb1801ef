#include "common/subprocess.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

extern char** environ;

namespace tritonpile {
namespace {

// Resident set size of a process, from /proc; 0 when it cannot be read.
uint64_t resident_bytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/statm", static_cast<int>(pid));
  FILE* file = std::fopen(path, "r");
  if (!file) return 0;
  unsigned long size = 0, resident = 0;
  int read = std::fscanf(file, "%lu %lu", &size, &resident);
  std::fclose(file);
  return read == 2 ? static_cast<uint64_t>(resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// Everything the child needs is built before fork(): after it, only async-signal-safe calls.
std::vector<std::string> build_environment(const ProcessSpec& spec) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : spec.env_unset) env.erase(name);
  for (const auto& [name, value] : spec.env_set) env[name] = value;
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

StatusOr<ProcessOutcome> run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Status::error("run_process: empty argv");
  std::vector<std::string> argv_strings = spec.argv;
  std::vector<std::string> env_strings = build_environment(spec);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);
  const std::string output = spec.output_path.empty() ? "/dev/null" : spec.output_path;

  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) return Status::error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    int null_in = open("/dev/null", O_RDONLY);
    if (null_in >= 0) dup2(null_in, STDIN_FILENO);
    // Without CAP_SYS_ADMIN this fails and the child keeps the network; the Python sandbox
    // still refuses connections.
    if (spec.isolate_network) unshare(CLONE_NEWNET);
    if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so the group exists before any kill

  ProcessOutcome outcome;
  int wait_status = 0;
  auto deadline = start + spec.timeout;
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    pid_t done = waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Status::error(std::string("waitpid: ") + std::strerror(errno));
    bool over_memory = spec.max_rss_bytes && resident_bytes(pid) > spec.max_rss_bytes;
    if (over_memory || std::chrono::steady_clock::now() >= deadline) {
      (over_memory ? outcome.memory_exceeded : outcome.timed_out) = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &wait_status, 0);
      break;
    }
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(50)) pause *= 2;
  }
  kill(-pid, SIGKILL);  // reap what the child left behind in its group
  outcome.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(wait_status)) outcome.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) outcome.term_signal = WTERMSIG(wait_status);
  if (!outcome.timed_out && outcome.exit_code == 127 && outcome.term_signal == 0) {
    // 127 is also what a program may return itself; we only call it a failed exec when
    // the program is missing.
    if (access(argv[0], X_OK) != 0) return Status::error("cannot execute " + spec.argv[0]);
  }
  return outcome;
}

}  // namespace tritonpile
