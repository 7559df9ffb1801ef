#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/log.h"

namespace tritonpile::cli {

Progress::Progress(bool enabled) : terminal_(enabled && isatty(STDERR_FILENO)) {}

Progress::~Progress() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::update(const crawler::CrawlProgress& p) {
  std::string state = p.stage + " " + std::to_string(p.done) + (p.total ? "/" + std::to_string(p.total) : "");
  std::lock_guard<std::mutex> lock(mutex_);
  active_[p.source] = state;
  if (terminal_) {
    redraw_locked(false);
  } else if (p.total && p.done == p.total) {
    log::info("  " + p.source + ": " + state);
  }
}

void Progress::finish(const std::string& source, const std::string& line, bool failed) {
  std::lock_guard<std::mutex> lock(mutex_);
  active_.erase(source);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
  if (failed) {
    log::error(line);
  } else {
    log::info(line);
  }
  if (terminal_) redraw_locked(true);
}

void Progress::redraw_locked(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::string line;
  for (const auto& [source, state] : active_) line += (line.empty() ? "" : " | ") + source + ": " + state;
  if (line.size() > 160) line = line.substr(0, 157) + "...";
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = !line.empty();
}

}  // namespace tritonpile::cli
