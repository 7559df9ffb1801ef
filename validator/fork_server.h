// The C++ end of python/tritonpile_runner.py: starts the server with pipes, sends it one
// JSON request a line and reads its answers a line at a time. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace tritonpile::validator {

class ForkServer {
 public:
  ForkServer() = default;
  ~ForkServer();
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;

  // False when the server could not be started.
  bool start(const std::string& python, const std::string& script, const std::vector<std::string>& arguments,
             const std::map<std::string, std::string>& env);
  void send(const std::string& line);
  // Closes the request pipe: the server ends once every child has.
  void finish_sending();
  // False at the end of the server's output.
  bool read_line(std::string* line);

 private:
  pid_t pid_ = -1;
  int to_server_ = -1;
  int from_server_ = -1;
  std::string buffer_;
};

}  // namespace tritonpile::validator
