// Configuration a repository looks up by an op's name at import, read out of the repository
// instead: FlagGems' `runtime.get_heuristic_config("argmax")` is the "argmax" entry of the
// HEURISTICS_CONFIGS dict in its NVIDIA backend. A closure carries the entries its statements
// look up, each as a top-level assignment of its own, rather than the whole table.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tritonpile::matcher {

// The string-literal first arguments of the calls `object.attribute("...")` the statement makes;
// *other is set when it calls `object.attribute` with anything else (a variable).
std::vector<std::string> literal_lookups(const std::string& statement, const std::string& object,
                                         const std::string& attribute, bool* other);

// The (key, value source text) pairs of the dict literal a top-level statement of source assigns
// to `table`, string keys only; nothing when source assigns no dict literal to it.
std::optional<std::vector<std::pair<std::string, std::string>>> dict_entries(const std::string& source,
                                                                             const std::string& table);

}  // namespace tritonpile::matcher
