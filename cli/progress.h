// Progress of a crawl for the person watching it. On a terminal, one status line redrawn in
// place (per source: objects received, files listed or parsed); otherwise plain log lines at
// milestones, so logs of scheduled runs stay readable. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "crawler/snapshot.h"

namespace tritonpile::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();

  void update(const crawler::CrawlProgress& progress);
  // Ends a source's line: clears it from the status line and logs line permanently (as an
  // error when failed).
  void finish(const std::string& source, const std::string& line, bool failed);

 private:
  void redraw_locked(bool force);

  const bool terminal_;
  std::mutex mutex_;
  std::map<std::string, std::string> active_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace tritonpile::cli
