// One writer per database: an exclusive flock on "<db>.lock", held for the life of the
// object. The kernel drops it when the process dies, so a killed run never leaves a stale
// lock behind.
#pragma once

#include <string>

#include "common/status.h"

namespace tritonpile::cli {

class RunLock {
 public:
  // Fails at once, naming the holder's pid, when another run holds the lock.
  static StatusOr<RunLock> acquire(const std::string& db_path);
  RunLock(RunLock&& other) noexcept;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tritonpile::cli
