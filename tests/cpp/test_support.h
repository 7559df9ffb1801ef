// Helpers the GoogleTest suites share: scratch directories that clean up after themselves,
// writing files, and running shell commands (git) to build fixture repositories.
#pragma once

#include <filesystem>
#include <string>

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

}  // namespace tritonpile::testing
