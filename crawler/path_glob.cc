#include "crawler/path_glob.h"

#include <string>

namespace tritonpile::crawler {
namespace {

// Matches a bracket class at pattern[*p] against c; advances *p past the ']'.
bool match_class(std::string_view pattern, size_t* p, char c) {
  size_t i = *p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) matched = true;
      i += 3;
    } else {
      if (pattern[i] == c) matched = true;
      ++i;
    }
  }
  *p = i + 1;
  return matched != negate;
}

bool match_from(std::string_view pattern, size_t p, std::string_view path, size_t s) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
      if (double_star) {
        size_t rest = p + 2;
        // "**/" may also match zero directories.
        if (rest < pattern.size() && pattern[rest] == '/' && match_from(pattern, rest + 1, path, s)) {
          return true;
        }
        for (size_t k = s; k <= path.size(); ++k) {
          if (match_from(pattern, rest, path, k)) return true;
        }
        return false;
      }
      for (size_t k = s; k <= path.size(); ++k) {
        if (match_from(pattern, p + 1, path, k)) return true;
        if (k < path.size() && path[k] == '/') break;
      }
      return false;
    }
    if (s >= path.size()) return false;
    if (pc == '?') {
      if (path[s] == '/') return false;
      ++p;
      ++s;
    } else if (pc == '[') {
      if (path[s] == '/' || !match_class(pattern, &p, path[s])) return false;
      ++s;
    } else {
      if (pc != path[s]) return false;
      ++p;
      ++s;
    }
  }
  return s == path.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(pattern, 0, path, 0);
}

Status check_glob(std::string_view pattern) {
  if (pattern.empty()) return Status::error("empty glob");
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '[') continue;
    size_t close = pattern.find(']', i + 2);
    if (close == std::string_view::npos) {
      return Status::error("glob '" + std::string(pattern) + "' has an unclosed '['");
    }
    i = close;
  }
  return Status::ok();
}

}  // namespace tritonpile::crawler
