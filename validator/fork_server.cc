#include "validator/fork_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace tritonpile::validator {

bool ForkServer::start(const std::string& python, const std::string& script,
                       const std::vector<std::string>& arguments, const std::map<std::string, std::string>& env) {
  int in[2], out[2];
  if (pipe(in) != 0) return false;
  if (pipe(out) != 0) {
    close(in[0]), close(in[1]);
    return false;
  }
  std::vector<std::string> args = {python, script};
  args.insert(args.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::pair<std::string, std::string>> settings(env.begin(), env.end());
  signal(SIGPIPE, SIG_IGN);  // a dead server must not kill us through a write
  pid_ = fork();
  if (pid_ < 0) return false;
  if (pid_ == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    for (const auto& [name, value] : settings) setenv(name.c_str(), value.c_str(), 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  to_server_ = in[1];
  from_server_ = out[0];
  return true;
}

void ForkServer::send(const std::string& line) {
  std::string data = line + "\n";
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(to_server_, data.data() + written, data.size() - written);
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

void ForkServer::finish_sending() {
  if (to_server_ >= 0) close(to_server_);
  to_server_ = -1;
}

bool ForkServer::read_line(std::string* line) {
  for (;;) {
    size_t newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      *line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return true;
    }
    char chunk[4096];
    ssize_t n = read(from_server_, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

ForkServer::~ForkServer() {
  finish_sending();
  if (from_server_ >= 0) close(from_server_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

}  // namespace tritonpile::validator
