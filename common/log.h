// Log lines for people running the tool: on stderr, one line each, filtered by verbosity
// (-q shows only warnings and errors, -v adds detail). Thread-safe.
#pragma once

#include <string>

namespace tritonpile::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_level(Level level);
void debug(const std::string& line);
void info(const std::string& line);
void warn(const std::string& line);
void error(const std::string& line);

}  // namespace tritonpile::log
