#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace tritonpile::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mutex;

void emit(Level level, const char* tag, const std::string& line) {
  if (level < g_level.load()) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "%s%s\n", tag, line.c_str());
}

}  // namespace

void set_level(Level level) { g_level = level; }
void debug(const std::string& line) { emit(Level::kDebug, "debug: ", line); }
void info(const std::string& line) { emit(Level::kInfo, "", line); }
void warn(const std::string& line) { emit(Level::kWarn, "warning: ", line); }
void error(const std::string& line) { emit(Level::kError, "error: ", line); }

}  // namespace tritonpile::log
