// Helpers the GoogleTest suites share: scratch directories that clean up after themselves,
// writing files, and running shell commands (git) to build fixture repositories.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tritonpile::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);

// Runs a shell command; returns its exit code.
int shell(const std::string& command);

// A server the test starts and stops: a child process in its own process group, killed with
// everything it started when the object goes away.
class ServerProcess {
 public:
  // Starts argv; when wait_for_port_line is set, waits for a "PORT <n>" line on its stdout.
  ServerProcess(const std::vector<std::string>& argv, bool wait_for_port_line);
  ~ServerProcess();
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

 private:
  int pid_ = -1;
  int port_ = 0;
};

// A loopback TCP port nothing listens on at the moment of the call.
int free_port();

// Waits until something accepts connections on 127.0.0.1:port; false after timeout_ms.
bool wait_for_port(int port, int timeout_ms);

}  // namespace tritonpile::testing
